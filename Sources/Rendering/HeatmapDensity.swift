import Support
import Dispatch
import Foundation
import Projection
import Model

/// A 256×256 block of pixels at one pixel level (see `DensityField`).
public struct BlockKey: Hashable, Sendable, Comparable {
    public var x: Int, y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
    public static func < (a: BlockKey, b: BlockKey) -> Bool { (a.x, a.y) < (b.x, b.y) }
}

extension HeatPoint {
    /// One canonical order of heat points (the daily runs sort them so that their order never
    /// depends on where they came from).
    public static func canonicalOrder(_ a: HeatPoint, _ b: HeatPoint) -> Bool {
        (a.lon, a.lat, a.weight) < (b.lon, b.lat, b.weight)
    }

    /// The points of `old` not in `new` and of `new` not in `old` (as multisets), both sorted
    /// canonically, in one merge pass.
    public static func difference(_ old: [HeatPoint], _ new: [HeatPoint]) -> (removed: [HeatPoint], added: [HeatPoint]) {
        var removed: [HeatPoint] = [], added: [HeatPoint] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && canonicalOrder(old[i], new[j])) {
                removed.append(old[i]); i += 1
            } else if i == old.count || canonicalOrder(new[j], old[i]) {
                added.append(new[j]); j += 1
            } else {
                i += 1; j += 1
            }
        }
        return (removed, added)
    }
}

/// The density of a field's store level in fixed point: every kernel sample is rounded to a multiple of
/// 1/`scale` (a power of two) and the blocks add them up in Int64, kept packed (`PackedBlock`).
///
/// Why fixed point: integer sums do not depend on their order or grouping, so the density of day 2 can
/// be made from day 1's by subtracting the kernels of the cases that left and adding those of the cases
/// that came — a few percent of the kernels — and still equal, bit for bit, what drawing every case
/// gives. Float sums would drift in the last bits and change tiles a full run would not.
public struct FixedDensity: Sendable, Equatable {
    /// Fixed-point units per density unit; a sample never exceeds 2^22 units (see `scale(for:)`).
    public var scale: Float
    /// The store level's blocks that hold a non-zero value.
    public var blocks: [BlockKey: PackedBlock]
    public init(scale: Float, blocks: [BlockKey: PackedBlock]) { self.scale = scale; self.blocks = blocks }
}

/// The kernel density of a set of cases, in weighted cases per km² of ground, as pixel averages on the
/// Web Mercator pixel grid of every level a tile pyramid needs.
///
/// *Pixel level* L: the grid whose world is 256·2^L pixels wide — tile zoom L for 256-px tiles, zoom
/// L − 1 for 512-px tiles. Both tile sizes therefore read the very same pixels.
///
/// How (and why this way):
/// - **Sampling level V**: the lowest level where the bandwidth spans ≥ 8 pixels (at the equator; more
///   elsewhere). Each case's quartic kernel is evaluated at the pixel centres of V, with the case's own
///   ground scale (a metre is 1/cos φ Mercator metres at latitude φ), and normalised so its samples sum
///   exactly to the case's weight. With ≥ 8 pixels per radius a centre sample equals the pixel average
///   to within 0.3 % of the kernel's peak. V depends on the bandwidth only — not on the data, the zoom
///   range or the tile size — so a place gets the same values on every day and in every run.
/// - **Coarser levels** are exact 2×2 means of the level above, i.e. averages over the pixel: a narrow
///   hotspot keeps its mass (it neither vanishes nor blinks), and a parent tile's mean equals the mean of
///   its four children by construction.
/// - **Finer levels** (the kernel ≥ 16 px wide there) interpolate V bilinearly: the density is smooth at
///   that scale, so this matches the pixel average closely at a fraction of the cost of evaluating every
///   case's kernel over thousands of pixels.
/// - Only blocks the kernels touch are stored, and whole-field blocks make tiles seamless: a tile's edge
///   pixels read the same field as its neighbour's.
public final class DensityField: Sendable {
    static let blockSize = 256
    public let bandwidthMetres: Double
    /// The level where kernels are sampled.
    public let sampleLevel: Int
    /// The finest level stored (= sampleLevel, or the finest level asked for when that is coarser: the
    /// samples are then averaged straight into it).
    public let storeLevel: Int
    /// The coarsest level stored.
    public let bottomLevel: Int
    /// blocks[l - bottomLevel]: the non-empty blocks of level l.
    private let blocks: [[BlockKey: [Float]]]
    /// The store level in fixed point, which the next day's field can be made from (see `FixedDensity`).
    public let fixed: FixedDensity

    /// - Parameters:
    ///   - finestLevel: the finest pixel level any tile will read (max zoom + 1 for 512-px tiles).
    ///   - coarsestLevel: the coarsest pixel level any tile will read.
    ///   - previous: the points of an earlier field with the same bandwidth and levels (sorted by
    ///     `HeatPoint.canonicalOrder`, as `points` must then be) and its fixed density: only the kernels
    ///     of the points added and removed since are drawn. The result is the same either way.
    public init(points: [HeatPoint], bandwidthMetres: Double, coarsestLevel: Int, finestLevel: Int,
                updating previous: (points: [HeatPoint], density: FixedDensity)? = nil) {
        precondition(bandwidthMetres > 0 && coarsestLevel <= finestLevel)
        self.bandwidthMetres = bandwidthMetres
        sampleLevel = Self.sampleLevel(bandwidthMetres: bandwidthMetres)
        storeLevel = min(sampleLevel, finestLevel)
        bottomLevel = min(coarsestLevel, storeLevel)
        let shift = sampleLevel - storeLevel
        let scale = Self.fixedScale(points, bandwidthMetres: bandwidthMetres, shift: shift)
        let level = sampleLevel
        func kernels(_ p: [HeatPoint]) -> [Kernel] {
            Kernel.prepare(p, bandwidthMetres: bandwidthMetres, level: level, shift: shift)
        }
        var store: (fixed: [BlockKey: PackedBlock], floating: [BlockKey: [Float]])?
        if let previous, previous.density.scale == scale {
            let change = HeatPoint.difference(previous.points, points)
            // nil when a block of the previous state does not unpack (a damaged file): drawn from scratch.
            store = Self.splat(adding: kernels(change.added), removing: kernels(change.removed),
                               to: previous.density.blocks, shift: shift, scale: scale)
        }
        let made = store ?? Self.splat(adding: kernels(points), removing: [], to: [:], shift: shift, scale: scale)!
        fixed = FixedDensity(scale: scale, blocks: made.fixed)
        var levels = [made.floating]
        for _ in stride(from: storeLevel - 1, through: bottomLevel, by: -1) {
            levels.append(Self.downsample(levels.last!))
        }
        blocks = levels.reversed()
    }

    /// The fixed-point scale for `points`: the largest power of two that keeps every sample ≤ 2^22 units.
    /// A case's peak sample is 3·10⁶·w / (π h²) per km² (h in metres) whatever its latitude (see
    /// `Kernel.prepare`), so the scale follows from the heaviest weight alone, with 5 % to spare.
    static func fixedScale(_ points: [HeatPoint], bandwidthMetres h: Double, shift: Int) -> Float {
        let heaviest = points.reduce(0) { $1.weight.isFinite ? max($0, $1.weight) : $0 }
        guard heaviest > 0 else { return 1 }
        let peak = 1.05 * 3e6 * heaviest / (Double.pi * h * h) / Double(1 << (2 * shift))
        // Clamped as a Double first: a peak of 0 or ∞ (a degenerate bandwidth) must not reach Int().
        let exponent = Int(min(max(log2(4_194_304 / peak).rounded(.down), -120), 120).nanToZero)
        return Float(sign: .plus, exponent: exponent, significand: 1)
    }

    /// The lowest level at which the bandwidth spans at least 8 pixels at the equator.
    static func sampleLevel(bandwidthMetres h: Double) -> Int {
        let level = log2(8 * WebMercator.circumference / (Double(blockSize) * h)).rounded(.up)
        return Int(min(max(level, 0), 26))
    }

    /// The blocks stored at `level` (bottomLevel...storeLevel), sorted.
    func blockKeys(level: Int) -> [BlockKey] { blocks[level - bottomLevel].keys.sorted() }

    /// Copies the pixel averages of the rectangle [x0, x0 + width) × [y0, y0 + height) of `level`
    /// (bottomLevel...storeLevel) into `out` (row-major); pixels without any block are 0.
    func window(level: Int, x0: Int, y0: Int, width: Int, height: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: width * height)
        let b = Self.blockSize, map = blocks[level - bottomLevel]
        for by in floorDiv(y0, b)...floorDiv(y0 + height - 1, b) {
            for bx in floorDiv(x0, b)...floorDiv(x0 + width - 1, b) {
                guard let block = map[BlockKey(x: bx, y: by)] else { continue }
                let c0 = max(x0, bx * b), c1 = min(x0 + width, bx * b + b)
                let r0 = max(y0, by * b), r1 = min(y0 + height, by * b + b)
                block.withUnsafeBufferPointer { src in
                    for r in r0..<r1 {
                        (out + (r - y0) * width + (c0 - x0))
                            .update(from: src.baseAddress! + (r - by * b) * b + (c0 - bx * b), count: c1 - c0)
                    }
                }
            }
        }
    }

    // MARK: building

    /// Adds the `adding` kernels to `base` and subtracts the `removing` ones, in fixed point, one block
    /// per task; blocks left all zero are dropped, so that the result does not depend on the way it was
    /// made. Returns the packed sums and their densities (the store level), or nil when a block of
    /// `base` does not unpack.
    ///
    /// Why both at once: a block's Int64 sums (512 KB) live only within its task, so memory holds the
    /// packed sums and the Float densities, never every block's sums at once.
    private static func splat(adding: [Kernel], removing: [Kernel], to base: [BlockKey: PackedBlock],
                              shift: Int, scale: Float) -> (fixed: [BlockKey: PackedBlock], floating: [BlockKey: [Float]])? {
        var members: [BlockKey: [Int32]] = [:]
        let kernels = adding + removing
        for (i, k) in kernels.enumerated() {
            let r = k.blockRange(shift: shift, blockSize: blockSize)
            for by in r.y { for bx in r.x { members[BlockKey(x: bx, y: by), default: []].append(Int32(i)) } }
        }
        let keys = Array(Set(members.keys).union(base.keys)), firstRemoved = adding.count
        let unit = 1 / Double(scale)
        // Chunks of blocks, each with one buffer of sums reused block after block: a fresh 512 KB array
        // per block is a fresh mapping whose pages the kernel clears one by one (most of this step's
        // time at the ladder's area ×16).
        let ranges = chunks(of: keys.count, parts: ProcessInfo.processInfo.activeProcessorCount * 8)
        let made = parallelMap(ranges.count) { c -> [(PackedBlock, [Float])??] in
            var sums = [Int64](repeating: 0, count: blockSize * blockSize)
            return ranges[c].map { n in
                let key = keys[n]
                let unpacked = sums.withUnsafeMutableBufferPointer { p -> Bool in
                    if let packed = base[key] {
                        if !packed.unpack(into: p.baseAddress!) { return false }   // unpack writes every value
                    } else {
                        p.update(repeating: 0)
                    }
                    for i in members[key] ?? [] {
                        kernels[Int(i)].add(into: p.baseAddress!, block: key, size: blockSize, shift: shift, scale: scale,
                                            subtract: Int(i) >= firstRemoved)
                    }
                    return true
                }
                guard unpacked else { return .none }
                if sums.allSatisfy({ $0 == 0 }) { return .some(nil) }
                // A block no kernel changed keeps its packed bytes.
                let packed = members[key] == nil ? base[key]! : sums.withUnsafeBufferPointer { PackedBlock($0) }
                return .some((packed, sums.map { Float(Double($0) * unit) }))
            }
        }.flatMap { $0 }
        var fixed: [BlockKey: PackedBlock] = [:], floating: [BlockKey: [Float]] = [:]
        fixed.reserveCapacity(keys.count); floating.reserveCapacity(keys.count)
        for (key, block) in zip(keys, made) {
            guard let block else { return nil }
            guard let (packed, values) = block else { continue }
            fixed[key] = packed
            floating[key] = values
        }
        return (fixed, floating)
    }

    /// The next coarser level: each pixel the mean of the 2×2 pixels it covers.
    private static func downsample(_ fine: [BlockKey: [Float]]) -> [BlockKey: [Float]] {
        let keys = Array(Set(fine.keys.map { BlockKey(x: $0.x >> 1, y: $0.y >> 1) }))
        let b = blockSize, half = blockSize / 2
        let coarse = parallelMap(keys.count) { n -> [Float] in
            var out = [Float](repeating: 0, count: b * b)
            for dy in 0..<2 {
                for dx in 0..<2 {
                    guard let child = fine[BlockKey(x: keys[n].x * 2 + dx, y: keys[n].y * 2 + dy)] else { continue }
                    for r in 0..<half {
                        let s0 = 2 * r * b, s1 = s0 + b, o = (dy * half + r) * b + dx * half
                        for c in 0..<half {
                            out[o + c] = 0.25 * (child[s0 + 2 * c] + child[s0 + 2 * c + 1]
                                                 + child[s1 + 2 * c] + child[s1 + 2 * c + 1])
                        }
                    }
                }
            }
            return out
        }
        return Dictionary(uniqueKeysWithValues: zip(keys, coarse))
    }
}

extension Double {
    /// 0 for NaN, else the value: for clamps before an integer conversion (min/max keep a NaN).
    var nanToZero: Double { isNaN ? 0 : self }
}

/// One case's quartic kernel on the sample grid: K(r) ∝ (1 − r²/R²)² for r < R.
struct Kernel: Sendable {
    /// Centre and radius in sample-level pixels.
    var x: Double, y: Double, radius: Double
    /// Multiplies (1 − r²/R²)² into density units: weight per ground km² of one sample pixel, over the
    /// sum of the kernel's samples (exact mass), over 4^shift (the averaging into the store level).
    var scale: Float

    /// Projects the cases (on all cores) and computes each kernel's radius and normalisation.
    static func prepare(_ points: [HeatPoint], bandwidthMetres h: Double, level: Int, shift: Int) -> [Kernel] {
        let worldPixels = Double(DensityField.blockSize) * pow(2, Double(level))
        let pixelMetres = WebMercator.circumference / worldPixels   // Mercator metres per pixel
        let chunk = 4096
        let parts = parallelMap((points.count + chunk - 1) / chunk) { c -> [Kernel] in
            points[(c * chunk)..<min(points.count, c * chunk + chunk)].compactMap { p in
                guard p.weight > 0, p.lon.isFinite, p.lat.isFinite, abs(p.lat) < WebMercator.maxLatitude else { return nil }
                let w = WebMercator.world(lon: p.lon, lat: p.lat)
                let cosLat = cos(p.lat * WebMercator.degToRad)
                var k = Kernel(x: w.x * worldPixels, y: w.y * worldPixels, radius: h / cosLat / pixelMetres, scale: 0)
                let groundKm2 = pixelMetres * cosLat * pixelMetres * cosLat / 1e6
                // Σ (1 − r²/R²)² over the pixel centres equals its integral πR²/3 to within 1.1e-4 for
                // R ≥ 8 px whatever the sub-pixel offset (the kernel meets zero smoothly; checked with
                // numpy), so each case's mass is its weight without summing its samples twice.
                let sum = Double.pi * k.radius * k.radius / 3
                k.scale = Float(p.weight / groundKm2 / sum / Double(1 << (2 * shift)))
                return k
            }
        }
        return parts.flatMap { $0 }
    }

    /// The blocks of the store level (`shift` levels coarser than the samples) the kernel touches.
    func blockRange(shift: Int, blockSize: Int) -> (x: ClosedRange<Int>, y: ClosedRange<Int>) {
        let f = Double(blockSize << shift)
        return (Int(((x - radius) / f).rounded(.down))...Int(((x + radius) / f).rounded(.down)),
                Int(((y - radius) / f).rounded(.down))...Int(((y + radius) / f).rounded(.down)))
    }

    /// Adds (or subtracts) the kernel's samples that fall in `block` of the store level, each averaged
    /// into its pixel, in fixed point: a sample v becomes round(v · scale) units.
    func add(into out: UnsafeMutablePointer<Int64>, block: BlockKey, size: Int, shift: Int, scale: Float, subtract: Bool) {
        let rows = (block.y * size) << shift...(((block.y + 1) * size) << shift) - 1
        let columns = (block.x * size) << shift...(((block.x + 1) * size) << shift) - 1
        let ox = block.x * size, oy = block.y * size
        let s = self.scale * scale   // a power of two: exact
        if shift == 0 {
            return addSquare(into: out, rows: rows, columns: columns, ox: ox, oy: oy, size: size, s: s, subtract: subtract)
        }
        let inverseR2 = 1 / (radius * radius)
        forEachRow(rows: rows, columns: columns) { row, c0, c1, dy2 in
            let line = out + ((row >> shift) - oy) * size - ox
            let a = Float(1 - dy2 * inverseR2), k = Float(inverseR2)
            let dx0 = Float(Double(c0) + 0.5 - x)
            for c in c0...c1 {
                let d = dx0 + Float(c - c0), t = max(a - d * d * k, 0)
                let q = fixedUnits(s * t * t)
                line[c >> shift] &+= subtract ? -q : q
            }
        }
    }

    /// `add` at the sample level itself (the usual case): the kernel's whole bounding square, with
    /// dx²/R² computed once per column and samples outside the disc adding an exact 0.
    ///
    /// Why: this is the heat layer's hot loop (~900 samples per case). Clipping each row to the disc
    /// costs a square root and two roundings per row, more than the samples it saves; over the square
    /// the inner loop is a few vector operations.
    private func addSquare(into out: UnsafeMutablePointer<Int64>, rows: ClosedRange<Int>, columns: ClosedRange<Int>,
                           ox: Int, oy: Int, size: Int, s: Float, subtract: Bool) {
        let r0 = max(rows.lowerBound, Int((y - radius - 0.5).rounded(.up)))
        let r1 = min(rows.upperBound, Int((y + radius - 0.5).rounded(.down)))
        let c0 = max(columns.lowerBound, Int((x - radius - 0.5).rounded(.up)))
        let c1 = min(columns.upperBound, Int((x + radius - 0.5).rounded(.down)))
        guard r0 <= r1, c0 <= c1 else { return }
        let width = c1 - c0 + 1, inverseR2 = 1 / (radius * radius)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { dx2 in
            for n in 0..<width {
                let d = Double(c0 + n) + 0.5 - x
                dx2[n] = Float(d * d * inverseR2)
            }
            for row in r0...r1 {
                let dy = Double(row) + 0.5 - y
                let a = Float(1 - dy * dy * inverseR2)
                guard a > 0 else { continue }
                let p = out + (row - oy) * size + (c0 - ox)
                if subtract {
                    for n in 0..<width { let t = max(a - dx2[n], 0); p[n] &-= fixedUnits(s * t * t) }
                } else {
                    for n in 0..<width { let t = max(a - dx2[n], 0); p[n] &+= fixedUnits(s * t * t) }
                }
            }
        }
    }

    /// Calls `body(row, firstColumn, lastColumn, dy²)` for every sample row the disc crosses, clipped.
    @inline(__always)
    private func forEachRow(rows: ClosedRange<Int>, columns: ClosedRange<Int>,
                            _ body: (Int, Int, Int, Double) -> Void) {
        let r0 = max(rows.lowerBound, Int((y - radius - 0.5).rounded(.up)))
        let r1 = min(rows.upperBound, Int((y + radius - 0.5).rounded(.down)))
        guard r0 <= r1 else { return }
        for row in r0...r1 {
            let dy = Double(row) + 0.5 - y, dy2 = dy * dy
            let half = (radius * radius - dy2).squareRoot()
            let c0 = max(columns.lowerBound, Int((x - 0.5 - half).rounded(.up)))
            let c1 = min(columns.upperBound, Int((x - 0.5 + half).rounded(.down)))
            if c0 <= c1 { body(row, c0, c1, dy2) }
        }
    }
}

/// round(v) for 0 ≤ v ≤ 2^22, exactly and without a branch: adding 2^23 leaves the rounded value in the
/// low 23 bits of the Float (its spacing there is 1), which vectorises where a conversion would not.
@inline(__always)
func fixedUnits(_ v: Float) -> Int64 {
    Int64((v + 8_388_608).bitPattern & 0x7F_FFFF)
}

/// ⌊a / b⌋ for b > 0, also for negative a.
@inline(__always)
func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
