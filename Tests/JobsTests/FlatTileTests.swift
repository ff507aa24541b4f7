import Foundation
import Synchronization
import Testing
import Geometry
import Input
import Model
@testable import Rendering
import TestSupport

/// Issue 16: the zone renderer walks down the pyramid cutting the zones per tile and does not draw the
/// tiles no outline reaches (one shared PNG per colour). That must never change what a tile shows:
/// every tile `render` gives is compared, decoded by Pillow, with the same tile drawn the old way from
/// the whole, uncut zones as exact RGBA (`renderWhole`), within the palette's bound (±2 per channel of
/// straight RGBA),
/// and every tile of one uniform colour must be the very same bytes.
@Suite(.serialized) struct FlatTileTests {
    static let fills = [RGBA8(r: 46, g: 160, b: 67, a: 115), RGBA8(r: 230, g: 180, b: 0, a: 115),
                        RGBA8(r: 210, g: 40, b: 30, a: 115)]
    static let outline = RGBA8(r: 60, g: 60, b: 60)

    /// The zones coloured by a hash of their ids, so that neighbours often differ.
    static func features(_ zones: [Zone]) -> [ChoroplethFeature] {
        zones.map { z in
            let h = z.id.unicodeScalars.reduce(7) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }
            return ChoroplethFeature(geometry: z.geometry, fill: fills[h % 3], stroke: outline)
        }
    }

    struct Comparison: Decodable {
        var tiles_reference: Int, tiles_candidate: Int, max_difference: Int, over_tolerance: Int
        var uniform_colours: Int
        var uniform_byte_variants: [String: Int]
        var modes: [String: Int]
    }

    /// `render`'s tiles against `renderWhole`'s, through scripts/oracles/compare_tiles.py; also how many
    /// of `render`'s tiles share their byte array with another (the flat tiles).
    static func compare(_ features: [ChoroplethFeature], zooms: ClosedRange<Int>, name: String,
                        reference: ChoroplethRenderer? = nil) throws -> (Comparison, shared: Int) {
        let r = ChoroplethRenderer(features: features, options: TileOptions(minZoom: zooms.lowerBound, maxZoom: zooms.upperBound))
        let walked = Mutex<[TileID: [UInt8]]>([:])
        try r.render(onTile: { id, png in walked.withLock { $0[id] = png } })
        let tiles = walked.withLock { $0 }
        let root = try Repo.temporaryFolder("flat-\(name)")
        func write(_ png: [UInt8], _ id: TileID, under folder: String) throws {
            let dir = root.appendingPathComponent("\(folder)/\(id.z)/\(id.x)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(png).write(to: dir.appendingPathComponent("\(id.y).png"))
        }
        for (id, png) in tiles { try write(png, id, under: "walked") }
        // `reference`: the renderer whose whole zones are drawn (default: the same one).
        let whole = reference ?? r
        for id in r.tiles() { if let png = try whole.renderWhole(id) { try write(png, id, under: "whole") } }
        let result = try python([Repo.root.appendingPathComponent("scripts/oracles/compare_tiles.py").path,
                                 root.appendingPathComponent("whole").path, root.appendingPathComponent("walked").path])
        try #require(result.status == 0, "\(result.stderr)")
        let comparison = try JSONDecoder().decode(Comparison.self, from: Data(result.stdout.utf8))
        // Tiles handed out as one shared array: flat tiles (Swift arrays share storage when copied).
        var owners: [UnsafeRawPointer: Int] = [:]
        for png in tiles.values { png.withUnsafeBytes { owners[$0.baseAddress!, default: 0] += 1 } }
        let shared = owners.values.filter { $0 > 1 }.reduce(0, +)
        return (comparison, shared)
    }

    static func check(_ c: Comparison, shared: Int, minimumShared: Int) {
        #expect(c.tiles_candidate == c.tiles_reference, "the same tiles have something drawn")
        #expect(c.over_tolerance == 0 && c.max_difference <= 2, "max difference \(c.max_difference)")
        #expect(c.uniform_byte_variants.values.allSatisfy { $0 == 1 }, "uniform tiles of one colour, one content: \(c.uniform_byte_variants)")
        #expect(shared >= minimumShared, "flat tiles sharing one PNG: \(shared)")
        #expect((c.modes["P"] ?? 0) > 0, "palette PNGs: \(c.modes)")
    }

    @Test func demoDistrictEveryLevel() throws {
        let b = try BoundaryReader(folder: Repo.demo).read()
        for level in ZoneLevel.allCases {
            let (c, shared) = try Self.compare(Self.features(b.zones(level)), zooms: 10...16, name: "demo-\(level)")
            // The demo's posts are small: few tiles lie inside one down to zoom 16.
            Self.check(c, shared: shared, minimumShared: level == .post ? 0 : 10)
        }
    }

    /// The 3-district city fixture (Tests/Fixtures/city, scripts/make_city_fixture.py).
    @Test func threeDistrictCity() throws {
        let b = try BoundaryReader(folder: Repo.root.appendingPathComponent("Tests/Fixtures/city")).read()
        for level in ZoneLevel.allCases {
            let (c, shared) = try Self.compare(Self.features(b.zones(level)), zooms: 10...15, name: "city-\(level)")
            Self.check(c, shared: shared, minimumShared: 50)
        }
    }

    /// The vertices that move an outline by less than a thousandth of a pixel are left out
    /// (`ChoroplethRenderer.thinningPixels`). Fills move by no more than that; the outline's
    /// quarter-pixel merging then steps from other vertices in places, which moves it by up to a
    /// quarter pixel there (a quarter of an opaque outline's 255). Against every vertex drawn:
    @Test func leftOutVerticesMoveOutlinesByAtMostAQuarterPixel() throws {
        let b = try BoundaryReader(folder: Repo.demo).read()
        for level in ZoneLevel.allCases {
            let features = Self.features(b.zones(level))
            let options = TileOptions(minZoom: 10, maxZoom: 16)
            let everyVertex = ChoroplethRenderer(features: features, options: options, thinning: 0)
            let (c, _) = try Self.compare(features, zooms: 10...16, name: "thin-\(level)", reference: everyVertex)
            #expect(c.tiles_candidate == c.tiles_reference)
            #expect(c.max_difference <= 64, "\(level): max difference \(c.max_difference)")
            // Most tiles show no such step: within the palette's bound (measured: 5–8 % of the tiles
            // at zooms 10–16 are not).
            #expect(Double(c.over_tolerance) <= 0.1 * Double(c.tiles_reference), "\(level): \(c.over_tolerance) tiles over ±2")
        }
    }

    /// One zone with a 100,000-vertex outline (a wavy ring of ≈ 4 km) with a hole, beside a plain square.
    @Test func hundredThousandVertexZone() throws {
        let centre = Coordinate(114.05, 22.54)
        func ring(_ radius: Double, _ count: Int, wave: Double) -> [Coordinate] {
            var points = (0..<count).map { i -> Coordinate in
                let t = Double(i) / Double(count) * 2 * .pi
                let r = radius * (1 + wave * sin(t * 360) + wave / 2 * sin(t * 2_900))
                return Coordinate(centre.x + r * cos(t) / cos(centre.y * .pi / 180), centre.y + r * sin(t))
            }
            points.append(points[0])
            return points
        }
        var hole = ring(0.008, 2_000, wave: 0.05)
        hole.reverse()
        let wavy = MultiPolygon([Polygon(exterior: ring(0.04, 100_000, wave: 0.02), holes: [hole])])
        let square = MultiPolygon([Polygon(exterior: [Coordinate(114.10, 22.50), Coordinate(114.14, 22.50), Coordinate(114.14, 22.53),
                                                      Coordinate(114.10, 22.53), Coordinate(114.10, 22.50)])])
        let features = [ChoroplethFeature(geometry: wavy, fill: Self.fills[2], stroke: Self.outline),
                        ChoroplethFeature(geometry: square, fill: Self.fills[0], stroke: Self.outline)]
        let (c, shared) = try Self.compare(features, zooms: 10...15, name: "wavy")
        Self.check(c, shared: shared, minimumShared: 20)
    }
}
