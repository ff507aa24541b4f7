import Dispatch
import Foundation
import Model

/// The heat layer's colour ramp: absolute density breakpoints, one colour each, and the fixed palette
/// every heat tile uses.
///
/// Palette: entry 0 is transparent (below the first breakpoint); then `steps` shades per interval
/// between neighbouring breakpoints, shade s of interval i being colour i blended s/steps of the way to
/// colour i + 1 (so a value exactly at a breakpoint shows that breakpoint's colour); then the last
/// colour, for every value at or above the last breakpoint. No quantiser: the palette is the ramp.
public struct HeatRamp: Sendable, Equatable {
    public let breakpoints: [Double]
    public let colors: [RGBA8]
    public let steps: Int
    public let palette: [RGBA8]
    private let lower: [Float], inverseWidth: [Float]

    /// - Parameters: `colors` opaque or not; `opacity` (0...1) multiplies their alpha.
    public init(breakpoints: [Double], colors: [RGBA8], steps: Int, opacity: Double) {
        precondition(!breakpoints.isEmpty && breakpoints.count == colors.count && steps >= 1)
        precondition(2 + (breakpoints.count - 1) * steps <= 256)
        self.breakpoints = breakpoints; self.colors = colors; self.steps = steps
        let alpha = { (c: RGBA8) in c.withAlpha(UInt8((Double(c.a) * opacity).rounded())) }
        var palette = [RGBA8(r: 0, g: 0, b: 0, a: 0)]
        for i in 0..<(colors.count - 1) {
            for s in 0..<steps { palette.append(alpha(Self.blend(colors[i], colors[i + 1], Double(s) / Double(steps)))) }
        }
        palette.append(alpha(colors.last!))
        // libpng's simplified API packs palettes of ≤ 16 colours into 1–4 bits; the layer promises 8-bit
        // PNGs, so short palettes are padded with copies of the top colour (never referenced).
        while palette.count < 17 { palette.append(palette.last!) }
        self.palette = palette
        lower = breakpoints.map(Float.init)
        inverseWidth = (0..<breakpoints.count).map { i in
            i + 1 < breakpoints.count ? Float(1 / (breakpoints[i + 1] - breakpoints[i])) : 0
        }
    }

    /// The palette index of a density.
    public func index(_ v: Float) -> UInt8 {
        var value = v, out: UInt8 = 0
        _ = indices(&value, into: &out, count: 1)
        return out
    }

    /// The palette indices of `count` densities into `out`; returns the OR of all indices (0: the tile
    /// is empty). Over raw buffers: this is the heat tiles' per-pixel loop, and array bounds checks
    /// cost as much as the work.
    func indices(_ values: UnsafePointer<Float>, into out: UnsafeMutablePointer<UInt8>, count: Int) -> UInt8 {
        lower.withUnsafeBufferPointer { lo in
            inverseWidth.withUnsafeBufferPointer { iw in
                let first = lo[0], last = lo.count - 1, stepCount = Float(steps)
                let top = UInt8(1 + last * steps)
                var any: UInt8 = 0
                // Most pixels of a heat tile lie below the first breakpoint (transparent): sixteen at a
                // time are checked and cleared at once, the others take the scalar path (NaN among them).
                let below = SIMD16<Float>(repeating: first)
                var p = 0
                while p < count {
                    if p + 16 <= count,
                       all(UnsafeRawPointer(values + p).loadUnaligned(as: SIMD16<Float>.self) .< below) {
                        UnsafeMutableRawPointer(out + p).storeBytes(of: SIMD16<UInt8>(), as: SIMD16<UInt8>.self)
                        p += 16
                        continue
                    }
                    for q in p..<min(p + 16, count) {
                        let v = values[q]
                        var k: UInt8 = 0
                        if v >= first {
                            var i = 0
                            while i < last && v >= lo[i + 1] { i += 1 }
                            k = i == last ? top : UInt8(1 + i * steps + min(Int((v - lo[i]) * iw[i] * stepCount), steps - 1))
                        }
                        out[q] = k
                        any |= k
                    }
                    p = min(p + 16, count)
                }
                return any
            }
        }
    }

    static func blend(_ a: RGBA8, _ b: RGBA8, _ t: Double) -> RGBA8 {
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return RGBA8(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b), a: mix(a.a, b.a))
    }
}

/// Renders the kernel-density heat layer into XYZ palette PNG tiles (see `DensityField` for the values).
public final class HeatmapRenderer: Sendable {
    public let options: TileOptions
    public let ramp: HeatRamp
    public let field: DensityField
    /// The points drawn, as given.
    public let points: [HeatPoint]
    /// log2(tileSize / 256): a tile of zoom z reads pixel level z + tileShift.
    let tileShift: Int
    let candidates: [TileID]

    /// `previous`: an earlier run's points and fixed density (see `DensityField.init`).
    public init(points: [HeatPoint], bandwidthMetres: Double, ramp: HeatRamp, options: TileOptions = TileOptions(),
                updating previous: (points: [HeatPoint], density: FixedDensity)? = nil) {
        self.options = options
        self.ramp = ramp
        self.points = points
        tileShift = options.tileSize == 512 ? 1 : 0
        field = DensityField(points: points, bandwidthMetres: bandwidthMetres,
                             coarsestLevel: options.minZoom + tileShift, finestLevel: options.maxZoom + tileShift,
                             updating: previous)
        candidates = Self.candidates(field: field, options: options, tileShift: tileShift)
    }

    /// The tiles that may show something (they meet a stored block), sorted.
    public func tiles() -> [TileID] { candidates }

    /// The density (weighted cases per km²) of every pixel of a tile, row-major.
    public func density(_ id: TileID) -> [Float] {
        let size = options.tileSize
        var values = [Float](repeating: 0, count: size * size)
        var scratch: [Float] = []
        values.withUnsafeMutableBufferPointer { density(id, into: $0.baseAddress!, scratch: &scratch) }
        return values
    }

    /// The palette PNG of a tile, or nil when every pixel is below the first breakpoint (not written).
    public func renderTile(_ id: TileID) throws -> [UInt8]? {
        var buffers = TileBuffers(size: options.tileSize)
        return try renderTile(id, buffers: &buffers)
    }

    /// Renders every candidate tile on all cores; same contract as `ChoroplethRenderer.render`.
    /// `including` picks a part of the candidates (a shard, the tiles that changed); nil: all.
    public func render(including: ((TileID) -> Bool)? = nil, onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        try renderTiles(including.map { candidates.filter($0) } ?? candidates, makeWorker: { TileBuffers(size: options.tileSize) },
                        render: { id, buffers in try renderTile(id, buffers: &buffers) }, onTile: onTile, progress: progress)
    }

    // MARK: pixels

    /// `shift`: draw the tile of the pyramid in that datum (see `DatumShift`); nil: WGS-84.
    func renderTile(_ id: TileID, buffers: inout TileBuffers, shift: DatumShift? = nil) throws -> [UInt8]? {
        let n = options.tileSize * options.tileSize
        var any: UInt8 = 0
        buffers.values.withUnsafeMutableBufferPointer { v in
            if let shift {
                density(id, shiftedBy: shift, into: v.baseAddress!, scratch: &buffers.scratch)
            } else {
                density(id, into: v.baseAddress!, scratch: &buffers.scratch)
            }
            buffers.indices.withUnsafeMutableBufferPointer { out in
                any = ramp.indices(v.baseAddress!, into: out.baseAddress!, count: n)
            }
        }
        guard any != 0 else { return nil }
        return try PNGEncoder.encodePalette(indices: buffers.indices, width: options.tileSize,
                                            height: options.tileSize, palette: ramp.palette, scratch: &buffers.png)
    }

    /// Fills `out` (tileSize² values) with the tile's densities: a window of the field at or below the
    /// store level, bilinear interpolation of the store level above it.
    private func density(_ id: TileID, into out: UnsafeMutablePointer<Float>, scratch: inout [Float]) {
        let size = options.tileSize, level = id.z + tileShift
        let x0 = id.x * size, y0 = id.y * size
        guard level > field.storeLevel else {
            field.window(level: level, x0: x0, y0: y0, width: size, height: size, into: out)
            return
        }
        // Pixel centre X (at `level`) lies at (X + 0.5) / f − 0.5 in store-level pixel centres.
        let f = Double(1 << (level - field.storeLevel))
        func coordinate(_ p: Int) -> (Int, Float) {
            let u = (Double(p) + 0.5) / f - 0.5, i = Int(u.rounded(.down))
            return (i, Float(u - Double(i)))
        }
        let cols = (0..<size).map { coordinate(x0 + $0) }, rows = (0..<size).map { coordinate(y0 + $0) }
        let wx0 = cols[0].0, wy0 = rows[0].0
        let w = cols[size - 1].0 - wx0 + 2, h = rows[size - 1].0 - wy0 + 2
        if scratch.count < w * h + h * size { scratch = [Float](repeating: 0, count: w * h + h * size) }
        let columns = cols.map { $0.0 - wx0 }, fractions = cols.map(\.1)
        scratch.withUnsafeMutableBufferPointer { s in
            let src = s.baseAddress!, across = src + w * h
            field.window(level: field.storeLevel, x0: wx0, y0: wy0, width: w, height: h, into: src)
            // Separably: each store row interpolated across the tile's columns once (2^k tile rows share
            // it), then every tile row between two of them — the very operations, in the same order, of
            // interpolating each pixel from its four neighbours, so the values are bit for bit the same.
            columns.withUnsafeBufferPointer { ci in
                fractions.withUnsafeBufferPointer { fx in
                    for j in 0..<h {
                        let line = src + j * w, to = across + j * size
                        for c in 0..<size { let i = ci[c]; to[c] = line[i] + (line[i + 1] - line[i]) * fx[c] }
                    }
                }
            }
            for r in 0..<size {
                let (j, fy) = rows[r]
                let a = across + (j - wy0) * size, b = a + size, o = out + r * size
                for c in 0..<size { o[c] = a[c] + (b[c] - a[c]) * fy }
            }
        }
    }

    /// Every tile of the zoom range that meets a block of the field.
    static func candidates(field: DensityField, options: TileOptions, tileShift: Int) -> [TileID] {
        var result: [TileID] = []
        for z in options.minZoom...options.maxZoom {
            let level = z + tileShift
            var ids = Set<BlockKey>()
            if level <= field.storeLevel {
                for b in field.blockKeys(level: level) { ids.insert(BlockKey(x: b.x >> tileShift, y: b.y >> tileShift)) }
            } else {
                let f = level - field.storeLevel
                for b in field.blockKeys(level: field.storeLevel) {
                    for y in (b.y << f)..<((b.y + 1) << f) {
                        for x in (b.x << f)..<((b.x + 1) << f) { ids.insert(BlockKey(x: x >> tileShift, y: y >> tileShift)) }
                    }
                }
            }
            let n = 1 << z
            result += ids.filter { $0.x >= 0 && $0.y >= 0 && $0.x < n && $0.y < n }
                .map { TileID(z: z, x: $0.x, y: $0.y) }
        }
        return result.sorted()
    }
}

/// One worker's reusable buffers.
struct TileBuffers {
    var values: [Float]
    var indices: [UInt8]
    var scratch: [Float] = []
    var png: [UInt8] = []
    init(size: Int) {
        values = [Float](repeating: 0, count: size * size)
        indices = [UInt8](repeating: 0, count: size * size)
    }
}
