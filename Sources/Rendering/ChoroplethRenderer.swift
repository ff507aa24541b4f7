import Dispatch
import Foundation
import Synchronization
import Support
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
/// `init` projects every feature once (to normalised Web Mercator). `render` then walks the pyramid
/// from the top, one zoom at a time on all cores, carrying each tile's *parts*: the features cut to the
/// tile's box (`ProjectedFeature.clipped`). A tile's children are cut from its parts, so a tile costs
/// what lies in it, never the whole zone's vertices. A tile that no outline reaches is *flat*: it lies
/// wholly inside the same zones, and so do all its children at every deeper zoom; none of them is
/// drawn — each gets the one PNG of its colour, encoded once per colour (`FlatTiles`).
public final class ChoroplethRenderer: Sendable {
    public let options: TileOptions
    private let features: [ProjectedFeature]
    /// features[i] was the init's feature sources[i] (empty and invisible features are dropped).
    private let sources: [Int]
    /// Canvases kept between `renderTile` calls: a fresh one costs ~3 MB of zeroed, page-faulted memory,
    /// more than drawing a tile.
    private let pool = CanvasPool()
    private let flats = FlatTiles()

    /// Outline width in pixels.
    static let strokeWidth = 1.0
    /// How far past its square a tile's pixels can be affected by an edge, in pixels of its zoom: the
    /// outline's half width and the antialiased pixel, with room to spare. Parts are cut to the tile
    /// widened by this much, and a tile is flat when no outline comes this close. A child's widened
    /// box lies inside its parent's (2 px of the child are 1 px of the parent).
    static let marginPixels = 2.0

    /// How far, in pixels of a zoom, leaving out a vertex may move a ring there (see
    /// `ProjectedFeature.markSignificance`): it drops the vertices a straight edge was cut into, so
    /// that a tile's cost follows its outlines' shape, not their vertex count (NYC with every edge cut
    /// in ten: 1.05× the time per tile, 1.5× without). A fill moves by at most a thousandth of a pixel
    /// (no 8-bit colour by more than 0.4); an outline's quarter-pixel merging steps from other
    /// vertices where one was left out, which moves it by up to a quarter pixel there (measured on the
    /// demo: 2–4 % of the tiles differ by more than ±2 from drawing every vertex, by 19 at most).
    public static let thinningPixels = 1.0 / 1000

    /// `thinning`: `thinningPixels`; 0 draws every vertex (the tests' reference).
    public init(features: [ChoroplethFeature], options: TileOptions = TileOptions(), thinning: Double = thinningPixels) {
        self.options = options
        let projected = features.enumerated().compactMap { i, f -> (Int, ProjectedFeature)? in
            // A zone with neither fill nor outline draws nothing (the significance layers' unclassed zones).
            guard f.fill.a > 0 || f.stroke.a > 0 else { return nil }
            return ProjectedFeature(f, options: options, thinning: thinning).map { (i, $0) }
        }
        self.features = projected.enumerated().map { j, p in
            var f = p.1
            f.source = j
            return f
        }
        self.sources = projected.map(\.0)
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

    /// The tiles that may have something drawn (their box meets a feature's box), sorted. Computed on
    /// each call, for tests and small layers: `render` does not need the list.
    public func tiles() -> [TileID] {
        var all = Set<TileID>()
        for f in features { all.formUnion(Self.tileRange(of: f, options: options)) }
        return all.sorted()
    }

    /// The PNG of one tile, or nil when nothing is drawn on it (then no file should be written): the
    /// features cut to the tile's box, drawn as `render` draws them.
    /// `sparse` false: drawn on every pixel of the canvas, the palette found by comparing them (what
    /// every tile was before the run marks; the tests' reference for them).
    public func renderTile(_ id: TileID, sparse: Bool = true) throws -> [UInt8]? {
        let box = WorldBox(tile: id, tileSize: options.tileSize, marginPixels: Self.marginPixels)
        let parts = features.compactMap { $0.clipped(to: box) }
        return try withCanvas { try paint(id, parts: parts, on: $0, sparse: sparse) }
    }

    /// The tile drawn from the whole features, uncut, with no flat shortcut: what every tile was before
    /// the walk down the pyramid, kept as the reference the tests compare `render` with.
    func renderWhole(_ id: TileID) throws -> [UInt8]? {
        let box = WorldBox(tile: id, tileSize: options.tileSize, marginPixels: Self.marginPixels)
        return try withCanvas { try paint(id, parts: features.filter(box.meets), on: $0, palette: false, sparse: false) }
    }

    /// Renders every tile of every zoom that has something drawn, on all cores. `onTile` receives each
    /// of them once, possibly from several threads at once; flat tiles of one colour share one byte
    /// array. `progress(done, total)` counts the tiles of the zooms walked so far within the features'
    /// box. The first error thrown (by encoding or by `onTile`) stops the remaining work and is rethrown.
    /// `including` picks a part of the tiles (a shard, the tiles that changed); nil: all. `reaching`,
    /// when given, says whether any wanted tile lies at or under a tile: the walk skips the others.
    public func render(including: ((TileID) -> Bool)? = nil, reaching: ((TileID) -> Bool)? = nil,
                       onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        guard let extent = features.reduce(nil as WorldBox?, { box, f in
            let b = WorldBox(minX: f.minX, minY: f.minY, maxX: f.maxX, maxY: f.maxY)
            return box.map { WorldBox(minX: min($0.minX, b.minX), minY: min($0.minY, b.minY),
                                      maxX: max($0.maxX, b.maxX), maxY: max($0.maxY, b.maxY)) } ?? b
        }) else { return }
        let walk = PyramidWalk(options: options, extent: extent)
        let stop = ParallelProgress()
        var level = try rootNodes(walk)
        var done = 0
        for z in options.minZoom...options.maxZoom {
            let current = level
            let chunks = min(current.count, ProcessInfo.processInfo.activeProcessorCount * 4)
            let next = try parallelMap(chunks) { chunk -> [TileNode] in
                try self.withCanvas { canvas in
                    var children: [TileNode] = []
                    var i = chunk
                    while i < current.count, !stop.stopped {
                        do {
                            try self.visit(current[i], canvas: canvas, including: including, reaching: reaching,
                                           onTile: onTile, children: &children)
                        } catch {
                            stop.fail(error)
                            throw error
                        }
                        i += chunks
                    }
                    return children
                }
            }
            try stop.check()
            level = next.flatMap { $0 }
            done += walk.tiles(atZoom: z)
            progress?(done, walk.total)
        }
    }

    // MARK: the walk down the pyramid

    /// A tile still to visit and the features cut to its box.
    struct TileNode {
        var id: TileID
        var parts: [ProjectedFeature]
    }

    /// The tiles of the top zoom over the features' box, each with the features cut to it.
    private func rootNodes(_ walk: PyramidWalk) throws -> [TileNode] {
        let roots = walk.tiles(atZoom: options.minZoom, in: walk.extent)
        return parallelMap(roots.count) { i -> TileNode in
            let box = WorldBox(tile: roots[i], tileSize: options.tileSize, marginPixels: Self.marginPixels)
            return TileNode(id: roots[i], parts: features.compactMap { $0.clipped(to: box) })
        }.filter { !$0.parts.isEmpty }
    }

    /// One tile: flat (it and everything under it get its colour's PNG) or drawn, then its children
    /// cut from its parts.
    private func visit(_ node: TileNode, canvas: TileCanvas, including: ((TileID) -> Bool)?, reaching: ((TileID) -> Bool)?,
                       onTile: (TileID, [UInt8]) throws -> Void, children: inout [TileNode]) throws {
        if reaching.map({ !$0(node.id) }) ?? false { return }
        guard node.parts.contains(where: \.hasOutline) else {
            try emitFlat(node, canvas: canvas, including: including, onTile: onTile)
            return
        }
        if including?(node.id) ?? true, let png = try paint(node.id, parts: node.parts, on: canvas) {
            try onTile(node.id, png)
        }
        guard node.id.z < options.maxZoom else { return }
        for child in node.id.children {
            let box = WorldBox(tile: child, tileSize: options.tileSize, marginPixels: Self.marginPixels)
            let parts = node.parts.compactMap { $0.clipped(to: box) }
            if !parts.isEmpty { children.append(TileNode(id: child, parts: parts)) }
        }
    }

    /// A tile no outline reaches, and every tile under it down to the deepest zoom: the PNG of the
    /// zones it lies inside (none: nothing is written).
    private func emitFlat(_ node: TileNode, canvas: TileCanvas, including: ((TileID) -> Bool)?,
                          onTile: (TileID, [UInt8]) throws -> Void) throws {
        let box = WorldBox(tile: node.id, tileSize: options.tileSize, marginPixels: Self.marginPixels)
        // Cut to the box and without outline, a part covers the box (area −box) or nothing (0).
        let inside = node.parts.filter { $0.signedArea < -0.5 * box.area }
        guard !inside.isEmpty else { return }
        guard let png = try flats.png(for: inside.map(\.fill), draw: { try paint(node.id, parts: inside, on: canvas) }) else { return }
        for z in node.id.z...options.maxZoom {
            let d = z - node.id.z
            for x in (node.id.x << d)..<((node.id.x + 1) << d) {
                for y in (node.id.y << d)..<((node.id.y + 1) << d) {
                    let id = TileID(z: z, x: x, y: y)
                    if including?(id) ?? true { try onTile(id, png) }
                }
            }
        }
    }

    // MARK: drawing

    private func withCanvas<T>(_ body: (TileCanvas) throws -> T) throws -> T {
        let canvas = pool.take() ?? TileCanvas(size: options.tileSize)
        defer { pool.give(canvas) }
        return try body(canvas)
    }

    /// Fills and outlines `parts` on the tile, encoded; nil when nothing is visible.
    /// `palette` false: straight RGBA, exact (the tests' reference).
    /// `sparse` false: every pixel of the canvas drawn (`TileCanvas.fill`), the tests' reference.
    private func paint(_ id: TileID, parts: [ProjectedFeature], on canvas: TileCanvas, palette: Bool = true,
                       sparse: Bool = true) throws -> [UInt8]? {
        guard !parts.isEmpty else { return nil }
        let k = Double(options.tileSize) * pow(2.0, Double(id.z))   // world → pixel scale
        let origin = (x: Double(id.x * options.tileSize), y: Double(id.y * options.tileSize))
        canvas.fill(parts, wholes: features, zoom: id.z, scale: k, origin: origin, sparse: sparse)
        canvas.stroke(parts, wholes: features, zoom: id.z, scale: k, origin: origin, width: Self.strokeWidth)
        return try canvas.encodePNG(palette: palette)
    }

    /// Every tile, at every zoom, that the feature's box touches, with a margin of two pixels for the
    /// outline and antialiasing.
    private static func tileRange(of f: ProjectedFeature, options: TileOptions) -> [TileID] {
        var result: [TileID] = []
        for z in options.minZoom...options.maxZoom {
            let (xs, ys) = PyramidWalk.range(minX: f.minX, minY: f.minY, maxX: f.maxX, maxY: f.maxY, zoom: z, tileSize: options.tileSize)
            for x in xs { for y in ys { result.append(TileID(z: z, x: x, y: y)) } }
        }
        return result
    }
}

/// The zooms of a pyramid over a box of world coordinates: the tiles it touches per zoom (with the
/// two-pixel margin), for the walk's roots and its progress.
struct PyramidWalk {
    let options: TileOptions
    let extent: WorldBox

    func tiles(atZoom z: Int, in box: WorldBox) -> [TileID] {
        let (xs, ys) = Self.range(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY, zoom: z, tileSize: options.tileSize)
        return xs.flatMap { x in ys.map { y in TileID(z: z, x: x, y: y) } }
    }

    func tiles(atZoom z: Int) -> Int {
        let (xs, ys) = Self.range(minX: extent.minX, minY: extent.minY, maxX: extent.maxX, maxY: extent.maxY, zoom: z, tileSize: options.tileSize)
        return xs.count * ys.count
    }

    var total: Int { (options.minZoom...options.maxZoom).reduce(0) { $0 + tiles(atZoom: $1) } }

    static func range(minX: Double, minY: Double, maxX: Double, maxY: Double, zoom z: Int,
                      tileSize: Int) -> (ClosedRange<Int>, ClosedRange<Int>) {
        let n = 1 << z
        let scale = Double(n), margin = 2.0 / Double(tileSize)
        // Clamped as a Double: a vertex far off the world must not overflow Int().
        func clampIndex(_ v: Double) -> Int { Int(min(max(v.rounded(.down), 0), Double(n - 1)).nanToZero) }
        return (clampIndex(minX * scale - margin)...clampIndex(maxX * scale + margin),
                clampIndex(minY * scale - margin)...clampIndex(maxY * scale + margin))
    }
}

/// The encoded PNG of each flat colour (the fills of the zones a flat tile lies in, in drawing order),
/// drawn and encoded once per layer and shared by every flat tile of that colour.
private final class FlatTiles: Sendable {
    private let cache = Mutex<[[RGBA8]: [UInt8]?]>([:])

    func png(for key: [RGBA8], draw: () throws -> [UInt8]?) throws -> [UInt8]? {
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let png = try draw()
        // Two threads may draw the same colour at once; the first stored wins, so every tile of a
        // colour carries the very same bytes.
        return cache.withLock { c in
            if let stored = c[key] { return stored }
            c[key] = .some(png)
            return png
        }
    }
}

/// A feature in normalised Web Mercator world coordinates (EPSG:3857 scaled to [0, 1], y down), its
/// rings flattened into one array and oriented for the nonzero rule: exteriors one way, holes the other.
struct ProjectedFeature: Sendable {
    var xs: [Double] = [], ys: [Double] = []
    /// Ring i is points ringStarts[i] ..< ringStarts[i + 1] (closing point dropped, closure implied).
    var ringStarts: [Int] = [0]
    var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
    /// Empty for a whole feature; for a part cut to a tile's box, real[i] tells whether the edge arriving
    /// at point i is the zone's own (stroked) or runs along the box (filled, never stroked).
    var real: [Bool] = []
    /// Per vertex, the zooms at which the outline goes through it (see `markOutlineVertices`); points
    /// where a ring was cut are kept at every zoom.
    var keep: [UInt32] = []
    /// Per vertex, the zooms at which the fill goes through it: where leaving it out would move the
    /// ring by more than the thinning tolerance (see `markSignificance`). Whole features only.
    var fillKeep: [UInt32] = []
    /// Empty for a whole feature; for a part, per point, the whole feature's vertex it is (≥ 0), or for
    /// a point where an edge was cut, −1 − the vertex at that edge's end outside the box. The outline
    /// of a part is drawn between the whole ring's vertices kept at the zoom (`keep`), reached through
    /// these: from a cut, the segment runs on to the next vertex kept beyond the box, exactly the
    /// segment the whole ring draws; a segment to the cut itself would run a fraction of a pixel off it
    /// wherever vertices were merged.
    var origin: [Int32] = []
    /// For a part, the ring of the whole feature each of its rings was cut from.
    var rings: [Int32] = []
    /// The index of the whole feature in its renderer (parts keep their feature's).
    var source = 0
    let fill: RGBA8, stroke: RGBA8

    /// An empty part to be filled by `clipped(to:)`.
    init(fill: RGBA8, stroke: RGBA8, source: Int) {
        self.fill = fill; self.stroke = stroke; self.source = source
    }

    /// `thinning`: the tolerance in pixels (see `ChoroplethRenderer.thinningPixels`); 0: every vertex.
    init?(_ feature: ChoroplethFeature, options: TileOptions, thinning: Double) {
        fill = feature.fill; stroke = feature.stroke
        for polygon in feature.geometry.polygons {
            // Exteriors get a negative shoelace sum in these y-down coordinates, which the rasterizer
            // sees as winding +1 (edges going down on the right side); holes the reverse.
            append(polygon.exterior, positive: false)
            for hole in polygon.holes { append(hole, positive: true) }
        }
        guard ringStarts.count > 1 else { return nil }
        var significance = [Double](repeating: .infinity, count: xs.count)
        if thinning > 0 {
            for r in 0..<(ringStarts.count - 1) { markSignificance(ring: r, into: &significance) }
            dropInsignificant(&significance, least: thinning / (Double(options.tileSize) * pow(2.0, Double(options.maxZoom))))
        }
        markOutlineVertices(options, thinning: thinning, significance: significance)
    }

    /// Leaves out the vertices no zoom draws (significance at most `least` world units, the tolerance
    /// at the deepest zoom): the cutting per tile then never meets them either.
    private mutating func dropInsignificant(_ significance: inout [Double], least: Double) {
        var kept = 0, starts = [0]
        for r in 0..<(ringStarts.count - 1) {
            let end = ringStarts[r + 1]
            for i in ringStarts[r]..<end where significance[i] > least || i == end - 1 {
                xs[kept] = xs[i]; ys[kept] = ys[i]; significance[kept] = significance[i]
                kept += 1
            }
            starts.append(kept)
        }
        xs.removeLast(xs.count - kept); ys.removeLast(ys.count - kept); significance.removeLast(significance.count - kept)
        ringStarts = starts
    }

    /// Per vertex, the zooms (bit z) at which the fill (`fillKeep`) and the outline (`keep`) pass
    /// through it.
    /// - Fill: the vertices whose `significance` at that zoom exceeds `thinning` pixels: the ring
    ///   within that distance of the whole one (a straight edge cut into ten is one edge again).
    /// - Outline: of those, the ones a quarter pixel or more from the previous one kept; closer ones
    ///   are merged into the next: at low zoom, rings with hundreds of sub-pixel edges would otherwise
    ///   pile up overlapping rectangles.
    /// Decided once along each whole ring, not per tile: a ring cut to a tile starts somewhere else, and
    /// merging from there would move the outline by up to a quarter pixel — each tile's outline is the
    /// whole ring's, wherever the ring was cut. The last vertex of a ring is kept at every zoom.
    private mutating func markOutlineVertices(_ options: TileOptions, thinning: Double, significance: [Double]) {
        keep = [UInt32](repeating: 0, count: xs.count)
        fillKeep = keep
        for z in options.minZoom...options.maxZoom {
            let k = Double(options.tileSize) * pow(2.0, Double(z)), bit = UInt32(1) << UInt32(z)
            // In world units: a vertex is drawn when its significance exceeds this.
            let least = thinning / k
            for r in 0..<(ringStarts.count - 1) {
                let start = ringStarts[r], end = ringStarts[r + 1]
                var px = xs[end - 1] * k, py = ys[end - 1] * k
                for i in start..<end {
                    guard significance[i] > least || i == end - 1 else { continue }
                    fillKeep[i] |= bit
                    let qx = xs[i] * k, qy = ys[i] * k
                    let dx = qx - px, dy = qy - py
                    if dx * dx + dy * dy < 0.0625 && i != end - 1 { continue }
                    keep[i] |= bit
                    px = qx; py = qy
                }
            }
        }
    }

    /// Douglas–Peucker run to the end once, recording for each vertex of ring r how far, in world
    /// units, the ring moves when it is left out: its distance from the chord it splits, capped by its
    /// parents' (a vertex is only kept when the chord it splits is). Keeping the vertices whose
    /// significance exceeds a tolerance t is then exactly Douglas–Peucker's simplification to t, for
    /// every zoom's t at once. The ring's last vertex and the one farthest from it anchor the ring
    /// (infinite significance).
    private func markSignificance(ring r: Int, into significance: inout [Double]) {
        let start = ringStarts[r], end = ringStarts[r + 1], n = end - start
        guard n > 3 else { return }
        // Positions along the ring from its last vertex: 0 is end − 1, p (1..<n) is start + p − 1, n is end − 1 again.
        @inline(__always) func vertex(_ p: Int) -> Int { p == 0 || p == n ? end - 1 : start + p - 1 }
        let ax = xs[end - 1], ay = ys[end - 1]
        var far = 1, farthest = -1.0
        for p in 1..<n {
            let i = vertex(p), dx = xs[i] - ax, dy = ys[i] - ay, d = dx * dx + dy * dy
            if d > farthest { farthest = d; far = p }
        }
        var stack: [(lo: Int, hi: Int, cap: Double)] = [(0, far, .infinity), (far, n, .infinity)]
        while let (lo, hi, cap) = stack.popLast() {
            guard hi - lo >= 2 else { continue }
            let a = vertex(lo), b = vertex(hi)
            let x0 = xs[a], y0 = ys[a], ex = xs[b] - x0, ey = ys[b] - y0, len2 = ex * ex + ey * ey
            var split = lo + 1, most = -1.0
            for p in (lo + 1)..<hi {
                let i = vertex(p)
                var dx = xs[i] - x0, dy = ys[i] - y0
                // The distance from the chord as a segment (a spike back past its ends counts in full).
                if len2 > 0 {
                    let t = min(max((dx * ex + dy * ey) / len2, 0), 1)
                    dx -= t * ex; dy -= t * ey
                }
                let d = dx * dx + dy * dy
                if d > most { most = d; split = p }
            }
            let value = min(most.squareRoot(), cap)
            significance[vertex(split)] = value
            stack.append((lo, split, value))
            stack.append((split, hi, value))
        }
    }

    /// Calls `body` with every edge (closing edges included) in the pixel space of a tile, between the
    /// points `keeping` keeps (a ring closes from its last point kept).
    @inline(__always)
    func forEachEdge(scale k: Double, origin: (x: Double, y: Double), keeping: (Int) -> Bool,
                     _ body: (Double, Double, Double, Double) -> Void) {
        for r in 0..<(ringStarts.count - 1) {
            let start = ringStarts[r], end = ringStarts[r + 1]
            guard let last = (start..<end).last(where: keeping) else { continue }
            var px = xs[last] * k - origin.x, py = ys[last] * k - origin.y
            for i in start..<end where keeping(i) {
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
    private var palette: TilePalette
    private let paletteWriter: PalettePNGWriter
    /// One bit per pixel: where a run of equal pixels along a row may start (every row's first pixel,
    /// and wherever the fills' sum or an outline's coverage changes), marked as the canvas is drawn.
    /// The palette reads the runs from these marks instead of comparing every float pixel with the
    /// one before — a scan of the whole 1 MB canvas per tile that was the zone layers' largest cost.
    private let runStarts: TouchedCells
    /// Whether `pixels` holds only the run starts' values (see `fill`).
    private var sparse = true

    init(size: Int) {
        self.size = size
        fills = ColorAccumulator(width: size, height: size)
        raster = Rasterizer(width: size, height: size)
        pixels = [SIMD4<Float>](repeating: .zero, count: size * size)
        rgba8 = [UInt8](repeating: 0, count: size * size * 4)
        palette = TilePalette(pixels: size * size)
        paletteWriter = PalettePNGWriter(width: size, height: size)
        runStarts = TouchedCells(cells: size * size)
    }

    deinit { runStarts.deallocate() }

    /// Paints the fills of all `features`, each weighted by its exact coverage, over the whole canvas
    /// (pixels outside every feature become transparent: the canvas needs no clearing first).
    ///
    /// Fills are *summed*, not composited with "over": where two zones share an edge, each covers part of
    /// the edge pixels (say 50 % and 50 %). "Over" would give 1 - (1 - .5a)(1 - .5a) < a there — a faint
    /// hairline seam along every shared border. Summing Σ coverageᵢ · premultiplied(fillᵢ) gives the
    /// edge pixels full coverage (a blend of both colours), exactly as if the zones were one shape.
    /// Being a sum, it is also computed in one sweep for all zones (`ColorAccumulator`).
    /// The sums are clamped to 1 (overlapping zones, float error) later — under outlines and when
    /// converting; every term is ≥ 0, and with premultiplied colours ≤ alpha the clamped colour never
    /// exceeds the clamped alpha.
    ///
    /// `sparse`: only the first pixel of every run of equal pixels (`runStarts`) is written, and kept
    /// so by the outlines; the palette reads no other, and an RGBA encoding fills the runs in first.
    /// A tile then costs what its edges cost, not its 65,536 pixels. false: every pixel, as before
    /// the marks (the reference `renderWhole` draws with and the tests compare with).
    ///
    /// A part's points are drawn where they are the points of its whole feature (`wholes[source]`)
    /// that the fill keeps at `zoom` (`fillKeep`), or points where the ring was cut.
    func fill(_ features: [ProjectedFeature], wholes: [ProjectedFeature], zoom: Int, scale k: Double,
              origin: (x: Double, y: Double), sparse: Bool = true) {
        let bit = UInt32(1) << UInt32(zoom)
        for f in features where f.fill.a > 0 {
            let color = Self.premultiplied(f.fill)
            let kept = f.origin.isEmpty ? f.fillKeep : wholes[f.source].fillKeep
            f.forEachEdge(scale: k, origin: origin, keeping: { i in
                let o = f.origin.isEmpty ? i : Int(f.origin[i])
                return o < 0 || kept[o] & bit != 0
            }) { ax, ay, bx, by in
                fills.addLine(ax, ay, bx, by, color: color)
            }
        }
        self.sparse = sparse
        pixels.withUnsafeMutableBufferPointer { p in
            guard sparse else { return fills.resolve(into: p.baseAddress!) }
            runStarts.clear()
            for row in 0..<size { runStarts.mark(row * size) }
            fills.resolveRunStarts(into: p.baseAddress!, runStarts: runStarts)
        }
    }

    /// Draws the outlines of `features` (`width` px, antialiased) with normal "over" compositing, one
    /// pass per distinct outline colour (in order of first appearance).
    /// Each edge becomes a thin rectangle; all rectangles are wound the same way, so the nonzero rule
    /// unions them: consecutive collinear pieces abut exactly (like neighbouring fills), and the border
    /// two neighbours share is drawn once, not darkened twice.
    func stroke(_ features: [ProjectedFeature], wholes: [ProjectedFeature], zoom: Int, scale k: Double,
                origin: (x: Double, y: Double), width: Double) {
        var colors: [RGBA8] = []
        for f in features where f.stroke.a > 0 && !colors.contains(f.stroke) { colors.append(f.stroke) }
        for color in colors {
            for f in features where f.stroke == color { 
                if f.origin.isEmpty {
                    addOutline(f, zoom: zoom, scale: k, origin: origin, width: width)
                } else {
                    addPartOutline(f, of: wholes[f.source], zoom: zoom, scale: k, origin: origin, width: width)
                }
            }
            composite(Self.premultiplied(color))
        }
    }

    /// Adds one rectangle per edge of the whole feature's outline at this zoom: between the vertices it
    /// keeps there (`ProjectedFeature.keep`).
    private func addOutline(_ f: ProjectedFeature, zoom: Int, scale k: Double, origin: (x: Double, y: Double), width: Double) {
        let bit = UInt32(1) << UInt32(zoom)
        for r in 0..<(f.ringStarts.count - 1) {
            let start = f.ringStarts[r], end = f.ringStarts[r + 1]
            // The last vertex of a ring is always kept: the ring is closed from it.
            var p = end - 1
            for i in start..<end where f.keep[i] & bit != 0 {
                addSegment(f, p, i, scale: k, origin: origin, width: width)
                p = i
            }
        }
    }

    /// The outline of a part: the segments of the whole ring (`whole`, at this zoom) that its own edges
    /// lie on, found through `origin`; none along the runs on its box.
    private func addPartOutline(_ f: ProjectedFeature, of whole: ProjectedFeature, zoom: Int, scale k: Double,
                                origin: (x: Double, y: Double), width: Double) {
        let bit = UInt32(1) << UInt32(zoom)
        for r in 0..<(f.ringStarts.count - 1) {
            let ring = Int(f.rings[r])
            let rs = whole.ringStarts[ring], re = whole.ringStarts[ring + 1]
            func before(_ i: Int) -> Int { i == rs ? re - 1 : i - 1 }
            func after(_ i: Int) -> Int { i == re - 1 ? rs : i + 1 }
            // The vertex kept at or before / after i (the last vertex of the ring is always kept).
            func keptAtOrBefore(_ i: Int) -> Int { var j = i; while whole.keep[j] & bit == 0 { j = before(j) }; return j }
            func keptAtOrAfter(_ i: Int) -> Int { var j = i; while whole.keep[j] & bit == 0 { j = after(j) }; return j }
            func vertex(_ o: Int32) -> Int { o >= 0 ? Int(o) : Int(-o - 1) }
            let start = f.ringStarts[r], end = f.ringStarts[r + 1]
            var p = keptAtOrBefore(before(vertex(f.origin[start])))
            for i in start..<end {
                let o = f.origin[i]
                if !f.real[i] {
                    // Entering the box again: the outline resumes from the last vertex kept before.
                    p = keptAtOrBefore(vertex(o))
                } else if o < 0 {
                    // Leaving the box: the segment runs on to the next vertex kept beyond it.
                    let q = keptAtOrAfter(vertex(o))
                    addSegment(whole, p, q, scale: k, origin: origin, width: width)
                    p = q
                } else if whole.keep[Int(o)] & bit != 0 {
                    addSegment(whole, p, Int(o), scale: k, origin: origin, width: width)
                    p = Int(o)
                }
            }
        }
    }

    /// The outline's rectangle from vertex a to vertex b of `f` (skipped when it is empty or nowhere
    /// near the tile). All rectangles are wound the same way, so the nonzero rule unions them.
    @inline(__always)
    private func addSegment(_ f: ProjectedFeature, _ a: Int, _ b: Int, scale k: Double, origin: (x: Double, y: Double), width: Double) {
        let half = width / 2, lo = -width - 1, hi = Double(size) + width + 1
        let px = f.xs[a] * k - origin.x, py = f.ys[a] * k - origin.y
        let qx = f.xs[b] * k - origin.x, qy = f.ys[b] * k - origin.y
        let dx = qx - px, dy = qy - py
        let len2 = dx * dx + dy * dy
        guard len2 > 0, max(px, qx) >= lo, min(px, qx) <= hi, max(py, qy) >= lo, min(py, qy) <= hi else { return }
        let s = half / len2.squareRoot()
        let nx = -dy * s, ny = dx * s
        raster.addLine(px + nx, py + ny, qx + nx, qy + ny)
        raster.addLine(qx + nx, qy + ny, qx - nx, qy - ny)
        raster.addLine(qx - nx, qy - ny, px - nx, py - ny)
        raster.addLine(px - nx, py - ny, px + nx, py + ny)
    }

    /// Composites `color` over the canvas with the rasterizer's coverage, run by run (an outline's band).
    private func composite(_ color: SIMD4<Float>) {
        if sparse { return compositeRunStarts(color) }
        let size = self.size
        pixels.withUnsafeMutableBufferPointer { p in
            raster.sweepRuns { row, columns, cv in
                let paint = cv * color, keep = 1 - cv * color.w
                for o in (row * size + columns.lowerBound)..<(row * size + columns.upperBound) {
                    // Clamp the summed fills under the outline first (see `fill`).
                    let below = p[o].replacing(with: 1, where: p[o] .> 1)
                    p[o] = paint + below * keep
                }
            }
        }
    }

    /// `composite` on a sparse canvas: the band's ends become run starts (holding the value that was
    /// there), and only the run starts within the band are composited — within the band the result
    /// follows the pixel below, so its runs start where they did under it.
    private func compositeRunStarts(_ color: SIMD4<Float>) {
        let size = self.size, runStarts = self.runStarts
        pixels.withUnsafeMutableBufferPointer { p in
            raster.sweepRuns { row, columns, cv in
                let paint = cv * color, keep = 1 - cv * color.w
                let lo = row * size + columns.lowerBound, hi = row * size + columns.upperBound
                // The pixel after the band keeps its value: read before the band changes.
                if columns.upperBound < size && !runStarts.isMarked(hi) {
                    p[hi] = p[runStarts.previousMarked(before: hi)]
                    runStarts.mark(hi)
                }
                if !runStarts.isMarked(lo) {
                    p[lo] = p[runStarts.previousMarked(before: lo)]
                    runStarts.mark(lo)
                }
                var o = lo
                while o < hi {
                    let below = p[o].replacing(with: 1, where: p[o] .> 1)
                    p[o] = paint + below * keep
                    o = runStarts.nextMarked(after: o, end: hi)
                }
            }
        }
    }

    /// A sparse canvas made whole: every run's pixels get its first pixel's value.
    private func fillRuns() {
        let size = self.size, runStarts = self.runStarts
        pixels.withUnsafeMutableBufferPointer { p in
            for row in 0..<size {
                var s = row * size
                let end = s + size
                while s < end {
                    let next = runStarts.nextMarked(after: s, end: end)
                    (p.baseAddress! + s + 1).update(repeating: p[s], count: next - s - 1)
                    s = next
                }
            }
        }
        sparse = false
    }

    /// The canvas as a PNG, or nil when every pixel is fully transparent: an 8-bit palette PNG with tRNS
    /// when its colours fit in 256 entries, exactly or within ±2 per channel (`TilePalette`), which all
    /// but the busiest low-zoom tiles do; straight RGBA otherwise.
    /// A sparse canvas's palette reads the runs from their marks; a whole one's compares the pixels.
    func encodePNG(palette usePalette: Bool = true) throws -> [UInt8]? {
        if usePalette {
            let outcome = pixels.withUnsafeBytes {
                palette.build(premultiplied: $0, runStarts: sparse ? runStarts : nil, straight: Self.straight)
            }
            switch outcome {
            case .invisible:
                return nil
            case .built:
                return try palette.indices.withUnsafeBufferPointer { indices in
                    try palette.runStart.withUnsafeBufferPointer { runs in
                        try paletteWriter.encode(indices: indices, palette: palette.colours, runStarts: runs)
                    }
                }
            case .tooMany:
                break
            }
        }
        if sparse { fillRuns() }
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
        // Runs of one value (a zone's fill, transparency) are converted once: a zone tile is mostly
        // runs, and the division below, per pixel, cost more than the rest of the tile's drawing.
        pixels.withUnsafeBytes { raw in
            rgba8.withUnsafeMutableBytes { out in
                var px = 0
                while px < count {
                    let packed = Self.straight(raw.load(fromByteOffset: px &* 16, as: SIMD4<Float>.self))
                    let end = TilePalette.endOfEqualPixels(raw, from: px, count: count)
                    for k in px..<end { out.storeBytes(of: packed, toByteOffset: k &* 4, as: UInt32.self) }
                    any |= packed >> 24
                    px = end
                }
            }
        }
        return any != 0
    }

    /// One premultiplied float pixel as straight 8-bit RGBA, packed little-endian (R in the low byte);
    /// fully transparent pixels become 0. Scalar code without libm calls or trapping conversions.
    @inline(__always)
    static func straight(_ v: SIMD4<Float>) -> UInt32 {
        let a = min(max(v[3], 0), 1) * 255
        let a8 = round8(a)
        let s: Float = a8 == 0 ? 0 : 255 * 255 / a
        let r = round8(min(max(v[0] * s, 0), 255)), g = round8(min(max(v[1] * s, 0), 255)), b = round8(min(max(v[2] * s, 0), 255))
        return UInt32(r) | UInt32(g) << 8 | UInt32(b) << 16 | UInt32(a8) << 24
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
