import Foundation
import Geometry
import Testing
@testable import Rendering

/// Answers computed by mercantile (scripts/oracles/tile_fixtures.py → Tests/Fixtures/tiles.json).
private struct TileFixtures: Decodable {
    struct PointCase: Decodable { let lon, lat: Double; let z, x, y: Int }
    struct BoundsCase: Decodable { let z, x, y: Int; let lonlat, mercator: [Double] }
    struct TilesCase: Decodable { let bbox: [Double]; let z: Int; let tiles: [[Int]] }
    struct ParentCase: Decodable { let z, x, y: Int; let parent: [Int]? }
    struct ChildrenCase: Decodable { let z, x, y: Int; let children: [[Int]] }
    let tile: [PointCase], bounds: [BoundsCase], tiles: [TilesCase]
    let parent: [ParentCase], children: [ChildrenCase]

    static func load() throws -> TileFixtures {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tiles.json")
        return try JSONDecoder().decode(TileFixtures.self, from: Data(contentsOf: url))
    }
}

@Suite struct TileMathTests {
    @Test func pointToTileMatchesMercantile() throws {
        let f = try TileFixtures.load()
        #expect(f.tile.count > 200)
        for c in f.tile {
            let t = tile(containing: Coordinate(c.lon, c.lat), zoom: c.z)
            #expect(t == TileID(z: c.z, x: c.x, y: c.y), "lon \(c.lon) lat \(c.lat) z \(c.z)")
        }
    }

    @Test func boundsMatchMercantile() throws {
        let f = try TileFixtures.load()
        #expect(f.bounds.count > 50)
        for c in f.bounds {
            let id = TileID(z: c.z, x: c.x, y: c.y)
            let b = bounds(of: id), m = mercatorBounds(of: id)
            for (mine, theirs) in zip([b.minX, b.minY, b.maxX, b.maxY], c.lonlat) {
                #expect(abs(mine - theirs) < 1e-9, "\(id) lon/lat \(mine) vs \(theirs)")
            }
            for (mine, theirs) in zip([m.minX, m.minY, m.maxX, m.maxY], c.mercator) {
                #expect(abs(mine - theirs) < 1e-6, "\(id) mercator \(mine) vs \(theirs)")
            }
        }
    }

    @Test func coveringTilesMatchMercantile() throws {
        let f = try TileFixtures.load()
        #expect(f.tiles.count > 40)
        for c in f.tiles {
            let box = BoundingBox(minX: c.bbox[0], minY: c.bbox[1], maxX: c.bbox[2], maxY: c.bbox[3])
            let mine = tiles(covering: box, zoom: c.z).map { [$0.x, $0.y] }
            #expect(mine == c.tiles, "bbox \(c.bbox) z \(c.z)")
        }
    }

    @Test func parentsAndChildrenMatchMercantile() throws {
        let f = try TileFixtures.load()
        for c in f.parent {
            let p = TileID(z: c.z, x: c.x, y: c.y).parent
            #expect(p.map { [$0.z, $0.x, $0.y] } == c.parent, "parent of \(c.z)/\(c.x)/\(c.y)")
        }
        for c in f.children {
            let kids = TileID(z: c.z, x: c.x, y: c.y).children.map { [$0.z, $0.x, $0.y] }
            #expect(kids == c.children, "children of \(c.z)/\(c.x)/\(c.y)")
        }
    }

    @Test func parentAtZoomIsTheAncestorContainingTheTile() {
        let t = TileID(z: 17, x: 106_993, y: 57_107)
        #expect(t.parent(atZoom: 17) == t)
        #expect(t.parent(atZoom: 16) == t.parent)
        #expect(t.parent(atZoom: 0) == TileID(z: 0, x: 0, y: 0))
        #expect(t.parent(atZoom: 18) == nil)
        // Independent check: the ancestor's bounds contain the tile's bounds.
        let inner = bounds(of: t), outer = bounds(of: t.parent(atZoom: 10)!)
        #expect(outer.minX <= inner.minX && inner.maxX <= outer.maxX)
        #expect(outer.minY <= inner.minY && inner.maxY <= outer.maxY)
    }

    @Test func orderAndDescription() {
        let ids = [TileID(z: 2, x: 1, y: 0), TileID(z: 1, x: 1, y: 1), TileID(z: 2, x: 0, y: 3)]
        #expect(ids.sorted() == [TileID(z: 1, x: 1, y: 1), TileID(z: 2, x: 0, y: 3), TileID(z: 2, x: 1, y: 0)])
        #expect(TileID(z: 17, x: 106_993, y: 57_107).description == "17/106993/57107")
    }
}

@Suite struct ColorTests {
    @Test func parsesHex() {
        #expect(RGBA8(hex: "#FF8000") == RGBA8(r: 255, g: 128, b: 0, a: 255))
        #expect(RGBA8(hex: "#0a0B0c80") == RGBA8(r: 10, g: 11, b: 12, a: 128))
        for bad in ["FF8000", "#FF800", "#FF80000", "#GG0000", "", "#", "#FF8000FF00", "#ff 000"] {
            #expect(RGBA8(hex: bad) == nil, "\(bad)")
        }
    }

    @Test func hexStringRoundTrips() {
        #expect(RGBA8(r: 255, g: 8, b: 0).hexString == "#FF0800")
        #expect(RGBA8(r: 1, g: 2, b: 3, a: 4).hexString == "#01020304")
        for s in ["#00FF7F", "#12345678", "#ABCDEF00"] { #expect(RGBA8(hex: s)?.hexString == s) }
    }
}
