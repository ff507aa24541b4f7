import Foundation
import Projection
import Geometry

/// How many tiles a zone layer may draw, counted from the zones' boxes before anything is drawn: a run
/// that would draw millions of tiles (a zone around the world, a zoom range too deep for the area) is
/// refused up front rather than discovered an hour later.
public struct TileBudget: Sendable {
    /// An upper bound of the layer's candidate tiles over all zooms.
    public var tiles: Double
    /// The zone whose box alone covers the most tiles, and how many.
    public var largest: (index: Int, tiles: Double)?

    /// The bound for zones with these lon/lat boxes, as `ChoroplethRenderer` picks its candidate tiles
    /// (every tile a box touches, with the outline's margin): per zoom, the smaller of the sum over the
    /// boxes and the tiles of the box around them all. In Double: a world-sized box at zoom 24 has more
    /// tiles than an Int64 sum of many such boxes holds.
    public init(boxes: [BoundingBox?], options: TileOptions) {
        tiles = 0
        var perZone = [Double](repeating: 0, count: boxes.count)
        let union = boxes.compactMap { $0 }.reduce(nil as BoundingBox?) { $0?.union($1) ?? $1 }
        for z in options.minZoom...options.maxZoom {
            var sum = 0.0
            for (i, box) in boxes.enumerated() {
                guard let box else { continue }
                let n = Self.count(box, zoom: z, tileSize: options.tileSize)
                sum += n
                perZone[i] += n
            }
            tiles += min(sum, union.map { Self.count($0, zoom: z, tileSize: options.tileSize) } ?? 0)
        }
        largest = perZone.indices.max { perZone[$0] < perZone[$1] }.map { ($0, perZone[$0]) }
    }

    /// The tiles at `zoom` that `box` touches with a two-pixel margin (`ChoroplethRenderer.tileRange`).
    static func count(_ box: BoundingBox, zoom: Int, tileSize: Int) -> Double {
        let nw = WebMercator.world(lon: box.minX, lat: box.maxY), se = WebMercator.world(lon: box.maxX, lat: box.minY)
        let n = pow(2.0, Double(zoom)), margin = 2.0 / Double(tileSize)
        func index(_ t: Double) -> Double { min(max(t.rounded(.down), 0), n - 1).nanToZero }
        let columns = index(se.x * n + margin) - index(nw.x * n - margin) + 1
        let rows = index(se.y * n + margin) - index(nw.y * n - margin) + 1
        return max(columns, 0) * max(rows, 0)
    }
}
