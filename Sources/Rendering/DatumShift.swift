import Foundation
import Geometry
import Model
import Projection

/// A tile pyramid drawn in another datum than WGS-84 (GCJ-02 for Amap and Tencent basemaps): a place
/// whose coordinates in that datum are (lon, lat) is drawn at the standard Web Mercator pixel of
/// (lon, lat). Zone layers shift their shapes vertex by vertex (`fromWGS84`); the heat layer reads,
/// for each pixel of the shifted pyramid, the density at the WGS-84 point under it (`toWGS84`), so
/// that its values, colours and legend are those of the WGS-84 heat layer.
public struct DatumShift: Sendable {
    public let toWGS84: @Sendable (Coordinate) -> Coordinate
    public let fromWGS84: @Sendable (Coordinate) -> Coordinate

    public init(toWGS84: @escaping @Sendable (Coordinate) -> Coordinate,
                fromWGS84: @escaping @Sendable (Coordinate) -> Coordinate) {
        self.toWGS84 = toWGS84; self.fromWGS84 = fromWGS84
    }

    /// The pyramid of a published coordinate system (`PublishedCRS`).
    public init(_ crs: PublishedCRS) {
        self.init(toWGS84: { crs.toWGS84($0) }, fromWGS84: { crs.fromWGS84($0) })
    }
}

extension HeatmapRenderer {
    /// Nodes of the per-tile grid on which the shift is computed exactly; pixels between them
    /// interpolate it bilinearly. The GCJ-02 offset's fastest term has a period of 1/3° (37 km) and an
    /// amplitude of 13 m, so across 16 pixels the interpolation is off by < 0.3 m at zoom 10 (a pixel
    /// there is 150 m) and < 0.01 mm at zoom 17: nothing a pixel can show, at 1/256 of the inversions.
    static let shiftNodeStep = 16

    /// The tiles of the shifted pyramid that may show something: those that the shifted area of a
    /// WGS-84 candidate tile touches, with two pixels to spare for the interpolation, sorted.
    public func tiles(shiftedBy shift: DatumShift) -> [TileID] {
        var ids = Set<TileID>()
        for t in candidates {
            let b = bounds(of: t)
            let corners = [Coordinate(b.minX, b.minY), Coordinate(b.minX, b.maxY), Coordinate(b.maxX, b.minY),
                           Coordinate(b.maxX, b.maxY)].map { c -> (x: Double, y: Double) in
                let s = shift.fromWGS84(c)
                return WebMercator.world(lon: s.x, lat: s.y)
            }
            let n = 1 << t.z, scale = Double(n), margin = 2 / (Double(options.tileSize) * scale)
            func index(_ v: Double) -> Int { Int(min(max((v * scale).rounded(.down), 0), Double(n - 1)).nanToZero) }
            let xs = corners.map(\.x), ys = corners.map(\.y)
            for x in index(xs.min()! - margin)...index(xs.max()! + margin) {
                for y in index(ys.min()! - margin)...index(ys.max()! + margin) { ids.insert(TileID(z: t.z, x: x, y: y)) }
            }
        }
        return ids.sorted()
    }

    /// Renders the heat tiles of the shifted pyramid on all cores; same contract as `render`.
    public func render(shiftedBy shift: DatumShift, including: ((TileID) -> Bool)? = nil,
                       onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        let ids = tiles(shiftedBy: shift)
        try renderTiles(including.map { ids.filter($0) } ?? ids, makeWorker: { TileBuffers(size: options.tileSize) },
                        render: { id, buffers in try renderTile(id, buffers: &buffers, shift: shift) },
                        onTile: onTile, progress: progress)
    }

    /// The densities of a tile of the shifted pyramid, row-major (for tests; `render` draws them).
    public func density(_ id: TileID, shiftedBy shift: DatumShift) -> [Float] {
        let size = options.tileSize
        var values = [Float](repeating: 0, count: size * size)
        var scratch: [Float] = []
        values.withUnsafeMutableBufferPointer { density(id, shiftedBy: shift, into: $0.baseAddress!, scratch: &scratch) }
        return values
    }

    /// Fills `out` with the density at the WGS-84 point under each pixel centre of a shifted tile:
    /// bilinear between the pixel centres of the source level — the tile's own pixel level while the
    /// field stores it (pixel averages: a narrow hotspot keeps its mass at every zoom, as in the
    /// WGS-84 pyramid), the store level above it (as the WGS-84 tiles interpolate it there).
    func density(_ id: TileID, shiftedBy shift: DatumShift, into out: UnsafeMutablePointer<Float>, scratch: inout [Float]) {
        let size = options.tileSize, level = id.z + tileShift
        let source = min(level, field.storeLevel)
        let targetPixels = 256 * pow(2, Double(level)), sourcePixels = 256 * pow(2, Double(source))
        let step = Self.shiftNodeStep, n = size / step + 1
        // Each node: a target pixel centre → its lon/lat in the datum → WGS-84 → source pixel-centre units.
        var nodeX = [Double](repeating: 0, count: n * n), nodeY = nodeX
        for j in 0..<n {
            for i in 0..<n {
                let u = (Double(id.x * size + i * step) + 0.5) / targetPixels
                let v = (Double(id.y * size + j * step) + 0.5) / targetPixels
                let wgs = shift.toWGS84(Coordinate(u * 360 - 180, WebMercator.latitude(worldY: v)))
                let w = WebMercator.world(lon: wgs.x, lat: wgs.y)
                nodeX[j * n + i] = w.x * sourcePixels - 0.5
                nodeY[j * n + i] = w.y * sourcePixels - 0.5
            }
        }
        // Bilinear interpolation stays within the nodes' range: this window holds every pixel read.
        let wx0 = Int(nodeX.min()!.rounded(.down)), wy0 = Int(nodeY.min()!.rounded(.down))
        let w = Int(nodeX.max()!.rounded(.down)) - wx0 + 2, h = Int(nodeY.max()!.rounded(.down)) - wy0 + 2
        if scratch.count < w * h { scratch = [Float](repeating: 0, count: w * h) }
        // One row of source positions at a time: the nodes interpolated down to the row, then along it.
        var rowX = [Double](repeating: 0, count: size), rowY = rowX
        scratch.withUnsafeMutableBufferPointer { s in
            let src = s.baseAddress!
            field.window(level: source, x0: wx0, y0: wy0, width: w, height: h, into: src)
            for r in 0..<size {
                let j = r / step, fj = Double(r % step) / Double(step)
                for i in 0..<(n - 1) {
                    let k = j * n + i
                    let ax = nodeX[k] + (nodeX[k + n] - nodeX[k]) * fj, bx = nodeX[k + 1] + (nodeX[k + n + 1] - nodeX[k + 1]) * fj
                    let ay = nodeY[k] + (nodeY[k + n] - nodeY[k]) * fj, by = nodeY[k + 1] + (nodeY[k + n + 1] - nodeY[k + 1]) * fj
                    for t in 0..<step {
                        let f = Double(t) / Double(step)
                        rowX[i * step + t] = ax + (bx - ax) * f
                        rowY[i * step + t] = ay + (by - ay) * f
                    }
                }
                for c in 0..<size {
                    let sx = rowX[c], sy = rowY[c]
                    let fx = sx.rounded(.down), fy = sy.rounded(.down)
                    // Clamped to the window: rounding can put a value a hair past the nodes' range.
                    let ix = min(max(Int(fx) - wx0, 0), w - 2), iy = min(max(Int(fy) - wy0, 0), h - 2)
                    let tx = Float(sx - fx), ty = Float(sy - fy)
                    let top = src + iy * w + ix, bottom = top + w
                    let a = top[0] + (top[1] - top[0]) * tx
                    let b = bottom[0] + (bottom[1] - bottom[0]) * tx
                    out[r * size + c] = a + (b - a) * ty
                }
            }
        }
    }
}
