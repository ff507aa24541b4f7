import Foundation
import Geometry
import Projection

// Web Mercator (EPSG:3857) tile math in the XYZ scheme (y counted from the north, as Leaflet, MapLibre
// and OpenLayers expect): the one tile-math module, used by every renderer, the tile budget and the
// incremental tile state. Formulas follow mercantile operation for operation, so that tile indices agree
// with it exactly, even for points lying on a tile edge; the projection itself is `WebMercator`
// (Projection).

/// One XYZ tile.
public struct TileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var z: Int, x: Int, y: Int
    public init(z: Int, x: Int, y: Int) { self.z = z; self.x = x; self.y = y }

    /// Zoom first, then column, then row: a stable order for output and tests.
    public static func < (a: TileID, b: TileID) -> Bool { (a.z, a.x, a.y) < (b.z, b.x, b.y) }
    /// `z/x/y`, the path of the tile under a tiles folder (without `.png`).
    public var description: String { "\(z)/\(x)/\(y)" }

    /// The tile one zoom level up that contains this one; nil at zoom 0.
    public var parent: TileID? { z == 0 ? nil : TileID(z: z - 1, x: x >> 1, y: y >> 1) }
    /// The ancestor at `zoom` (≤ z), or nil when `zoom` is out of 0...z.
    public func parent(atZoom zoom: Int) -> TileID? {
        guard zoom >= 0, zoom <= z else { return nil }
        return TileID(z: zoom, x: x >> (z - zoom), y: y >> (z - zoom))
    }
    /// The four tiles one zoom level down, in mercantile's order: top-left, top-right, bottom-right, bottom-left.
    public var children: [TileID] {
        let (cx, cy, cz) = (x * 2, y * 2, z + 1)
        return [TileID(z: cz, x: cx, y: cy), TileID(z: cz, x: cx + 1, y: cy),
                TileID(z: cz, x: cx + 1, y: cy + 1), TileID(z: cz, x: cx, y: cy + 1)]
    }
}

/// The tile at `zoom` containing `lonLat`. Points on the edge between two tiles belong to the east/south
/// one (mercantile adds 1e-14 to absorb round-trip error); points beyond the world go to its edge tiles.
public func tile(containing lonLat: Coordinate, zoom: Int) -> TileID {
    let (x, y) = WebMercator.world(lon: lonLat.x, lat: lonLat.y)
    let z2 = pow(2.0, Double(zoom))
    func index(_ v: Double) -> Int {
        if !(v > 0) { return 0 }   // NaN included
        if v >= 1 { return Int(z2 - 1) }
        return Int(((v + 1e-14) * z2).rounded(.down))
    }
    return TileID(z: zoom, x: index(x), y: index(y))
}

/// The lon/lat extent of a tile.
public func bounds(of t: TileID) -> BoundingBox {
    let z2 = pow(2.0, Double(t.z))
    return BoundingBox(minX: Double(t.x) / z2 * 360.0 - 180.0,
                       minY: WebMercator.latitude(worldY: Double(t.y + 1) / z2),
                       maxX: Double(t.x + 1) / z2 * 360.0 - 180.0,
                       maxY: WebMercator.latitude(worldY: Double(t.y) / z2))
}

/// The EPSG:3857 extent of a tile, in metres.
public func mercatorBounds(of t: TileID) -> BoundingBox {
    let size = WebMercator.circumference / pow(2.0, Double(t.z))
    let left = Double(t.x) * size - WebMercator.circumference / 2
    let top = WebMercator.circumference / 2 - Double(t.y) * size
    return BoundingBox(minX: left, minY: top - size, maxX: left + size, maxY: top)
}

/// The tiles at `zoom` that a lon/lat box touches, sorted. A box whose minX > maxX crosses the
/// antimeridian and is split in two. The box's own east and south edges are excluded (1e-11°), so the
/// bounds of one tile give exactly that tile.
public func tiles(covering box: BoundingBox, zoom: Int) -> [TileID] {
    let parts = box.minX > box.maxX
        ? [BoundingBox(minX: -180, minY: box.minY, maxX: box.maxX, maxY: box.maxY),
           BoundingBox(minX: box.minX, minY: box.minY, maxX: 180, maxY: box.maxY)]
        : [box]
    var result: [TileID] = []
    for p in parts {
        let w = max(-180.0, p.minX), s = max(-85.051129, p.minY)
        let e = min(180.0, p.maxX), n = min(85.051129, p.maxY)
        let ul = tile(containing: Coordinate(w, n), zoom: zoom)
        let lr = tile(containing: Coordinate(e - 1e-11, s + 1e-11), zoom: zoom)
        guard ul.x <= lr.x, ul.y <= lr.y else { continue }
        for x in ul.x...lr.x { for y in ul.y...lr.y { result.append(TileID(z: zoom, x: x, y: y)) } }
    }
    return result.sorted()
}
