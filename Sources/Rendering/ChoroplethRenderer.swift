import Dispatch
import Foundation
import Projection
import Geometry

/// One zone to draw: its WGS84 shape, its fill (usually semi-transparent) and outline colours.
public struct ChoroplethFeature: Sendable {
    public var geometry: MultiPolygon
    public var fill: RGBA8
    public var stroke: RGBA8
    public init(geometry: MultiPolygon, fill: RGBA8, stroke: RGBA8) {
        self.geometry = geometry; self.fill = fill; self.stroke = stroke
    }
}

/// The tile pyramid to produce.
public struct TileOptions: Sendable {
    public var minZoom: Int
    public var maxZoom: Int
    /// 256 or 512 pixels.
    public var tileSize: Int
    public init(minZoom: Int = 10, maxZoom: Int = 17, tileSize: Int = 256) {
        precondition(0 <= minZoom && minZoom <= maxZoom && maxZoom <= 24, "zoom range \(minZoom)...\(maxZoom)")
        precondition(tileSize == 256 || tileSize == 512, "tile size \(tileSize)")
        self.minZoom = minZoom; self.maxZoom = maxZoom; self.tileSize = tileSize
    }
}

/// Renders filled, outlined zones into XYZ PNG tiles.
///
/// `init` projects every feature once (to normalised Web Mercator) and groups features per tile from
/// their bounding boxes; rendering then only touches the features of each tile, on all cores.
public final class ChoroplethRenderer: Sendable {
    public let options: TileOptions
    private let features: [ProjectedFeature]
    /// features[i] was the init's feature sources[i] (empty geometries are dropped).
    private let sources: [Int]
    /// Candidate tiles → indices of the features whose box (plus the outline's margin) meets them.
    private let index: [TileID: [Int32]]
    private let candidates: [TileID]
    /// Canvases kept between `renderTile` calls: a fresh one costs ~3 MB of zeroed, page-faulted memory,
    /// more than drawing a tile.
    private let pool = CanvasPool()

    /// Outline width in pixels.
    static let strokeWidth = 1.0

    public init(features: [ChoroplethFeature], options: TileOptions = TileOptions()) {
        self.options = options
        let projected = features.enumerated().compactMap { i, f in ProjectedFeature(f).map { (i, $0) } }
        self.features = projected.map(\.1)
        self.sources = projected.map(\.0)
        var index: [TileID: [Int32]] = [:]
        for (i, f) in self.features.enumerated() {
            for id in Self.tileRange(of: f, options: options) { index[id, default: []].append(Int32(i)) }
        }
        self.index = index
        self.candidates = index.keys.sorted()
    }

    /// The candidate tiles on which any of the features `changed` picks (indices into the features given
    /// to `init`) may draw: the only tiles a change of those features' colours can alter.
    public func tiles(drawing changed: Set<Int>) -> Set<TileID> {
        var tiles = Set<TileID>()
        for (i, f) in features.enumerated() where changed.contains(sources[i]) {
            tiles.formUnion(Self.tileRange(of: f, options: options))
        }
        return tiles
    }

    /// The tiles that may have something drawn (their box meets a feature's box), sorted.
    public func tiles() -> [TileID] { candidates }

    /// The PNG of one tile, or nil when nothing is drawn on it (then no file should be written).
    public func renderTile(_ id: TileID) throws -> [UInt8]? {
        let canvas = pool.take() ?? TileCanvas(size: options.tileSize)
        defer { pool.give(canvas) }
        return try renderTile(id, on: canvas)
    }

    /// Renders every candidate tile of every zoom on all cores. `onTile` receives each tile that has
    /// something drawn, possibly from several threads at once; `progress(done, total)` counts candidates.
    /// The first error thrown (by encoding or by `onTile`) stops the remaining work and is rethrown.
    /// `including` picks a part of the candidates (a shard, the tiles that changed); nil: all.
    public func render(including: ((TileID) -> Bool)? = nil, onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        try renderTiles(including.map { candidates.filter($0) } ?? candidates, makeWorker: { TileCanvas(size: options.tileSize) },
                        render: { id, canvas in try renderTile(id, on: canvas) }, onTile: onTile, progress: progress)
    }

    // MARK: drawing

    private func renderTile(_ id: TileID, on canvas: TileCanvas) throws -> [UInt8]? {
        guard let members = index[id] else { return nil }
        canvas.clear()
        let k = Double(options.tileSize) * pow(2.0, Double(id.z))   // world → pixel scale
        let origin = (x: Double(id.x * options.tileSize), y: Double(id.y * options.tileSize))
        let drawn = members.map { features[Int($0)] }
        canvas.fill(drawn, scale: k, origin: origin)
        canvas.stroke(drawn, scale: k, origin: origin, width: Self.strokeWidth)
        return try canvas.encodePNG()
    }

    /// Every tile, at every zoom, that the feature's box touches, with a margin of two pixels for the
    /// outline and antialiasing.
    private static func tileRange(of f: ProjectedFeature, options: TileOptions) -> [TileID] {
        var result: [TileID] = []
        for z in options.minZoom...options.maxZoom {
            let n = 1 << z
            let scale = Double(n), margin = 2.0 / Double(options.tileSize)
            // Clamped as a Double: a vertex far off the world must not overflow Int().
            func clampIndex(_ v: Double) -> Int { Int(min(max(v.rounded(.down), 0), Double(n - 1)).nanToZero) }
            let x0 = clampIndex(f.minX * scale - margin), x1 = clampIndex(f.maxX * scale + margin)
            let y0 = clampIndex(f.minY * scale - margin), y1 = clampIndex(f.maxY * scale + margin)
            for x in x0...x1 { for y in y0...y1 { result.append(TileID(z: z, x: x, y: y)) } }
        }
        return result
    }
}

/// A feature in normalised Web Mercator world coordinates (EPSG:3857 scaled to [0, 1], y down), its
/// rings flattened into one array and oriented for the nonzero rule: exteriors one way, holes the other.
struct ProjectedFeature: Sendable {
    var xs: [Double] = [], ys: [Double] = []
    /// Ring i is points ringStarts[i] ..< ringStarts[i + 1] (closing point dropped, closure implied).
    var ringStarts: [Int] = [0]
    var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
    let fill: RGBA8, stroke: RGBA8

    init?(_ feature: ChoroplethFeature) {
        fill = feature.fill; stroke = feature.stroke
        for polygon in feature.geometry.polygons {
            // Exteriors get a negative shoelace sum in these y-down coordinates, which the rasterizer
            // sees as winding +1 (edges going down on the right side); holes the reverse.
            append(polygon.exterior, positive: false)
            for hole in polygon.holes { append(hole, positive: true) }
        }
        guard ringStarts.count > 1 else { return nil }
    }

    /// Calls `body` with every edge (closing edges included) in the pixel space of a tile.
    @inline(__always)
    func forEachEdge(scale k: Double, origin: (x: Double, y: Double),
                     _ body: (Double, Double, Double, Double) -> Void) {
        for r in 0..<(ringStarts.count - 1) {
            let start = ringStarts[r], end = ringStarts[r + 1]
            var px = xs[end - 1] * k - origin.x, py = ys[end - 1] * k - origin.y
            for i in start..<end {
                let qx = xs[i] * k - origin.x, qy = ys[i] * k - origin.y
                body(px, py, qx, qy)
                px = qx; py = qy
            }
        }
    }

    private mutating func append(_ ring: Ring, positive: Bool) {
        var points = ring.filter(\.isFinite).map { WebMercator.world(lon: $0.x, lat: $0.y) }
        if points.count > 1, points.first! == points.last! { points.removeLast() }
        guard points.count >= 3 else { return }
        // Shoelace in world coordinates; reverse rings whose sign is not the wanted one.
        var area = 0.0
        for i in points.indices {
            let p = points[i], q = points[(i + 1) % points.count]
            area += p.x * q.y - q.x * p.y
        }
        if (area > 0) != positive { points.reverse() }
        for p in points {
            xs.append(p.x); ys.append(p.y)
            minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
        }
        ringStarts.append(xs.count)
    }
}

/// One worker's drawing surface: the two accumulators and a premultiplied float RGBA canvas, reused
/// per tile.
final class TileCanvas {
    let size: Int
    private let fills: ColorAccumulator
    private let raster: Rasterizer
    /// Premultiplied RGBA in [0, 1] (sums may exceed 1 until clamped), row-major.
    private var pixels: [SIMD4<Float>]
    /// Reused output buffers: the straight 8-bit image and libpng's worst-case-size PNG buffer.
    private var rgba8: [UInt8]
    private var pngScratch: [UInt8] = []

    init(size: Int) {
        self.size = size
        fills = ColorAccumulator(width: size, height: size)
        raster = Rasterizer(width: size, height: size)
        pixels = [SIMD4<Float>](repeating: .zero, count: size * size)
        rgba8 = [UInt8](repeating: 0, count: size * size * 4)
    }

    func clear() {
        pixels.withUnsafeMutableBufferPointer { p in p.update(repeating: .zero) }
    }

    /// Adds the fills of all `features`, each weighted by its exact coverage.
    ///
    /// Fills are *summed*, not composited with "over": where two zones share an edge, each covers part of
    /// the edge pixels (say 50 % and 50 %). "Over" would give 1 - (1 - .5a)(1 - .5a) < a there — a faint
    /// hairline seam along every shared border. Summing Σ coverageᵢ · premultiplied(fillᵢ) gives the
    /// edge pixels full coverage (a blend of both colours), exactly as if the zones were one shape.
    /// Being a sum, it is also computed in one sweep for all zones (`ColorAccumulator`).
    /// The sums are clamped to 1 (overlapping zones, float error) later — under outlines and when
    /// converting; every term is ≥ 0, and with premultiplied colours ≤ alpha the clamped colour never
    /// exceeds the clamped alpha.
    func fill<S: Sequence>(_ features: S, scale k: Double, origin: (x: Double, y: Double))
    where S.Element == ProjectedFeature {
        for f in features where f.fill.a > 0 {
            let color = Self.premultiplied(f.fill)
            f.forEachEdge(scale: k, origin: origin) { ax, ay, bx, by in
                fills.addLine(ax, ay, bx, by, color: color)
            }
        }
        pixels.withUnsafeMutableBufferPointer { p in fills.resolve(into: p.baseAddress!) }
    }

    /// Draws the outlines of `features` (`width` px, antialiased) with normal "over" compositing, one
    /// pass per distinct outline colour (in order of first appearance).
    /// Each edge becomes a thin rectangle; all rectangles are wound the same way, so the nonzero rule
    /// unions them: consecutive collinear pieces abut exactly (like neighbouring fills), and the border
    /// two neighbours share is drawn once, not darkened twice.
    func stroke(_ features: [ProjectedFeature], scale k: Double, origin: (x: Double, y: Double), width: Double) {
        var colors: [RGBA8] = []
        for f in features where f.stroke.a > 0 && !colors.contains(f.stroke) { colors.append(f.stroke) }
        for color in colors {
            for f in features where f.stroke == color { addOutline(f, scale: k, origin: origin, width: width) }
            composite(Self.premultiplied(color))
        }
    }

    /// Adds one rectangle per edge. Vertices closer than a quarter pixel are merged first: at low zoom,
    /// rings with hundreds of sub-pixel edges would otherwise pile up overlapping rectangles.
    private func addOutline(_ f: ProjectedFeature, scale k: Double, origin: (x: Double, y: Double), width: Double) {
        let half = width / 2, lo = -width - 1, hi = Double(size) + width + 1
        for r in 0..<(f.ringStarts.count - 1) {
            let start = f.ringStarts[r], end = f.ringStarts[r + 1]
            var px = f.xs[end - 1] * k - origin.x, py = f.ys[end - 1] * k - origin.y
            for i in start..<end {
                let qx = f.xs[i] * k - origin.x, qy = f.ys[i] * k - origin.y
                let dx = qx - px, dy = qy - py
                let len2 = dx * dx + dy * dy
                if len2 < 0.0625 && i != end - 1 { continue }   // merge with the next vertex
                if len2 > 0, max(px, qx) >= lo, min(px, qx) <= hi, max(py, qy) >= lo, min(py, qy) <= hi {
                    let s = half / len2.squareRoot()
                    let nx = -dy * s, ny = dx * s
                    raster.addLine(px + nx, py + ny, qx + nx, qy + ny)
                    raster.addLine(qx + nx, qy + ny, qx - nx, qy - ny)
                    raster.addLine(qx - nx, qy - ny, px - nx, py - ny)
                    raster.addLine(px - nx, py - ny, px + nx, py + ny)
                }
                px = qx; py = qy
            }
        }
    }

    /// Composites `color` over the canvas with the rasterizer's coverage.
    private func composite(_ color: SIMD4<Float>) {
        let size = self.size
        pixels.withUnsafeMutableBufferPointer { p in
            raster.sweep { row, c0, cov in
                var o = row * size + c0
                for cv in cov {
                    if cv > 0 {
                        // Clamp the summed fills under the outline first (see `fill`).
                        let below = p[o].replacing(with: 1, where: p[o] .> 1)
                        p[o] = cv * color + below * (1 - cv * color.w)
                    }
                    o += 1
                }
            }
        }
    }

    /// The canvas as a PNG of straight RGBA, or nil when every pixel is fully transparent.
    func encodePNG() throws -> [UInt8]? {
        guard convertToStraightRGBA() else { return nil }
        return try rgba8.withUnsafeBytes { raw in
            try PNGEncoder.encodeRGBA(raw.baseAddress!, width: size, height: size, scratch: &pngScratch)
        }
    }

    /// Un-premultiplies the float canvas into `rgba8`; false when nothing is visible.
    /// Scalar code over the floats, without branches, libm calls or trapping conversions, which LLVM
    /// vectorises: this runs over every pixel of every tile, and versions with `rounded()`/`UInt8(_:)`
    /// or with Swift's generic SIMD4 helpers cost as much as the PNG encoding itself.
    func convertToStraightRGBA() -> Bool {
        var any: UInt32 = 0
        let count = size * size
        pixels.withUnsafeBufferPointer { simd in
            simd.withMemoryRebound(to: Float.self) { p in
                rgba8.withUnsafeMutableBufferPointer { out in
                    for px in 0..<count {
                        let i = px &* 4
                        let a = min(max(p[i + 3], 0), 1) * 255
                        let a8 = Self.round8(a)
                        // Back to straight alpha; fully transparent pixels become 0.
                        let s: Float = a8 == 0 ? 0 : 255 * 255 / a
                        out[i] = Self.round8(min(max(p[i] * s, 0), 255))
                        out[i + 1] = Self.round8(min(max(p[i + 1] * s, 0), 255))
                        out[i + 2] = Self.round8(min(max(p[i + 2] * s, 0), 255))
                        out[i + 3] = a8
                        any |= UInt32(a8)
                    }
                }
            }
        }
        return any != 0
    }

    /// Rounds v in [0, 255] to the nearest integer: adding 1.5·2²³ leaves round(v) in the low mantissa
    /// bits.
    @inline(__always)
    private static func round8(_ v: Float) -> UInt8 {
        UInt8(truncatingIfNeeded: (v + 12_582_912).bitPattern)
    }

    private static func premultiplied(_ c: RGBA8) -> SIMD4<Float> {
        let a = Float(c.a) / 255
        return SIMD4(Float(c.r) / 255 * a, Float(c.g) / 255 * a, Float(c.b) / 255 * a, a)
    }
}

/// A few idle canvases, each used by one thread at a time (taken under the lock, given back after).
/// A canvas is not Sendable; the pool lends each to one thread at a time, which the compiler cannot
/// see: hence unchecked.
private final class CanvasPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [TileCanvas] = []
    func take() -> TileCanvas? { lock.withLock { idle.popLast() } }
    func give(_ c: TileCanvas) { lock.withLock { if idle.count < 8 { idle.append(c) } } }
}
