/// The colours of one zone tile as an 8-bit palette (with tRNS for its translucent entries), which
/// libpng encodes in a quarter of the bytes of straight RGBA and faster.
///
/// A zone tile holds few colours: the fills, the outline and the antialiased blends along its edges.
/// When they number 256 or fewer the palette is exact. Otherwise the colours are taken from the most
/// frequent down: each becomes an entry of its own unless an entry within ±2 in every channel is
/// already there, which it then shares. So the fills and the outline (the most frequent colours) stay
/// exact, only rare blends move, and by at most 2; a transparent pixel stays (0, 0, 0, 0). When even
/// that needs more than 256 entries (a low-zoom tile crossed by hundreds of borders) `build` says no and
/// the tile is encoded as RGBA.
struct TilePalette {
    /// One index per pixel into `colours` after a successful `build`.
    private(set) var indices: [UInt8]
    /// 17 to 256 straight RGBA entries: short palettes are padded with copies of their last entry so
    /// that libpng writes 8-bit indices, as the heat layer's tiles have.
    private(set) var colours: [RGBA8] = []

    /// The largest difference per channel between a pixel and its entry.
    static let tolerance: Int32 = 2
    /// Tiles with more distinct colours than this are encoded as RGBA without trying (a colour's
    /// number fits in 12 bits).
    static let maxDistinct = 4096
    /// More pixels than a tile of 512 × 512 holds (a pixel count fits in 20 bits).
    static let countLimit: UInt32 = 1 << 20

    /// Open addressing, colour → its number among the tile's distinct colours; cleared by bumping `stamp`.
    private var keys: [UInt32], stamps: [UInt32], slots: [UInt16]
    private var stamp: UInt32 = 0
    private static let tableBits = 13
    /// The runs of pixels of one colour, in pixel order: run r starts at runStart[r] (ends where the
    /// next starts) and has distinct colour runColour[r]; per distinct colour, its value, its pixel
    /// count and its entry. Kept per run, not per pixel: the indices are then written run by run.
    private(set) var runStart: [Int32] = []
    private var runColour: [UInt16] = []
    private var distinct: [UInt32] = [], counts: [Int32] = [], entry: [UInt8] = []

    init(pixels: Int) {
        precondition(pixels < Int(Self.countLimit), "\(pixels) pixels")
        indices = [UInt8](repeating: 0, count: pixels)
        runStart.reserveCapacity(pixels + 1); runColour.reserveCapacity(pixels)
        keys = [UInt32](repeating: 0, count: 1 << Self.tableBits)
        stamps = [UInt32](repeating: 0, count: 1 << Self.tableBits)
        slots = [UInt16](repeating: 0, count: 1 << Self.tableBits)
    }

    /// Builds the palette of `rgba` (straight RGBA, 4 bytes per pixel, as many pixels as `init` said);
    /// false when the colours do not fit within the bound.
    mutating func build(from rgba: UnsafeRawBufferPointer) -> Bool {
        precondition(rgba.count == indices.count * 4)
        guard countColours(rgba) else { return false }
        return assignEntries()
    }

    /// What `build(premultiplied:)` found.
    enum Outcome {
        /// Every pixel is fully transparent: nothing to encode.
        case invisible
        /// `indices` and `colours` hold the tile.
        case built
        /// Too many colours for a palette within the bound: encode RGBA.
        case tooMany
    }

    /// Builds the palette straight from a canvas of premultiplied float pixels (`SIMD4<Float>`, as many
    /// as `init` said), each converted by `straight`: the same palette and indices as converting the
    /// canvas to RGBA and calling `build(from:)`, without the RGBA image in between — runs of one float
    /// value (a zone's fill, transparency) are converted and counted once.
    /// `runStarts`, when given, marks (at least) every pixel whose value may differ from the pixel
    /// before it (`TileCanvas` marks them as it draws): the runs are then read from the marks, and the
    /// pixels between them are never loaded.
    mutating func build(premultiplied pixels: UnsafeRawBufferPointer, runStarts: TouchedCells? = nil,
                        straight: (SIMD4<Float>) -> UInt32) -> Outcome {
        precondition(pixels.count == indices.count * 16)
        var visible: UInt32 = 0
        // Marked runs often carry the value of the run before (a mark is where the value *may*
        // change): that value's conversion is kept.
        // Compared bit for bit, as `endOfEqualPixels` compares.
        var last = (lo: UInt64(0), hi: UInt64(0), colour: UInt32(0)), converted = false
        let fits = count(runs: { i, n in
            let lo = pixels.load(fromByteOffset: i &* 16, as: UInt64.self)
            let hi = pixels.load(fromByteOffset: i &* 16 &+ 8, as: UInt64.self)
            let p: UInt32
            if converted && lo == last.lo && hi == last.hi {
                p = last.colour
            } else {
                p = straight(pixels.load(fromByteOffset: i &* 16, as: SIMD4<Float>.self))
                last = (lo, hi, p); converted = true
            }
            visible |= p >> 24
            let end = runStarts.map { $0.nextMarked(after: i, end: n) } ?? Self.endOfEqualPixels(pixels, from: i, count: n)
            return (p, end)
        })
        // A transparent canvas stays within the bound (one colour), so `visible` is known when it fails.
        guard fits else { return .tooMany }
        guard visible != 0 else { return .invisible }
        return assignEntries() ? .built : .tooMany
    }

    /// The end (≤ n) of the run of pixels from `i` on that equal pixel `i` bit for bit, in a canvas of
    /// premultiplied `SIMD4<Float>` pixels: a zone's fill or transparency, converted once per run.
    @inline(__always)
    static func endOfEqualPixels(_ pixels: UnsafeRawBufferPointer, from i: Int, count n: Int) -> Int {
        let lo = pixels.load(fromByteOffset: i &* 16, as: UInt64.self)
        let hi = pixels.load(fromByteOffset: i &* 16 &+ 8, as: UInt64.self)
        var j = i &+ 1
        while j < n, pixels.load(fromByteOffset: j &* 16, as: UInt64.self) == lo,
              pixels.load(fromByteOffset: j &* 16 &+ 8, as: UInt64.self) == hi { j &+= 1 }
        return j
    }

    /// The entries for the counted colours, and each pixel's index.
    private mutating func assignEntries() -> Bool {
        colours.removeAll(keepingCapacity: true)
        entry.removeAll(keepingCapacity: true)
        if distinct.count <= 256 {
            for (i, c) in distinct.enumerated() { colours.append(Self.rgba(c)); entry.append(UInt8(i)) }
        } else {
            guard shareEntries() else { return false }
        }
        runStart.append(Int32(indices.count))   // the end of the last run
        defer { runStart.removeLast() }
        entry.withUnsafeBufferPointer { entry in
            runStart.withUnsafeBufferPointer { start in
                runColour.withUnsafeBufferPointer { colour in
                    indices.withUnsafeMutableBufferPointer { out in
                        for r in 0..<colour.count {
                            let e = entry[Int(colour[r])]
                            var k = Int(start[r])
                            let end = Int(start[r &+ 1])
                            while k < end { out[k] = e; k &+= 1 }
                        }
                    }
                }
            }
        }
        while colours.count < 17 { colours.append(colours.last ?? RGBA8(r: 0, g: 0, b: 0, a: 0)) }
        return true
    }

    /// The tile's distinct colours with their pixel counts; false past `maxDistinct`. Over raw buffers,
    /// runs of one colour counted once: this loop sees every pixel of every drawn zone tile.
    private mutating func countColours(_ rgba: UnsafeRawBufferPointer) -> Bool {
        count(runs: { i, n in
            var p = rgba.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)
            if p >> 24 == 0 { p = 0 }   // every transparent pixel is one colour
            var j = i &+ 1
            while j < n {
                var q = rgba.loadUnaligned(fromByteOffset: j &* 4, as: UInt32.self)
                if q >> 24 == 0 { q = 0 }
                if q != p { break }
                j &+= 1
            }
            return (p, j)
        })
    }

    /// Counts the colours of the pixels in runs: `run(i, n)` gives the straight RGBA colour of pixel i
    /// (0 when transparent) and the end of the run of pixels from i on that have it (≤ n, the pixel
    /// count). Fills `distinct` (in order of first appearance), `counts` and the runs; false past
    /// `maxDistinct`.
    @inline(__always)
    private mutating func count(runs run: (_ i: Int, _ n: Int) -> (UInt32, Int)) -> Bool {
        stamp &+= 1
        if stamp == 0 {
            stamps.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            stamp = 1
        }
        distinct.removeAll(keepingCapacity: true); counts.removeAll(keepingCapacity: true)
        let n = indices.count, stamp = self.stamp
        let mask = UInt32((1 << Self.tableBits) - 1), shift = UInt32(32 - Self.tableBits)
        runStart.removeAll(keepingCapacity: true); runColour.removeAll(keepingCapacity: true)
        var distinct = self.distinct, counts = self.counts, runStart = self.runStart, runColour = self.runColour
        self.distinct = []; self.counts = []; self.runStart = []; self.runColour = []
        defer { self.distinct = distinct; self.counts = counts; self.runStart = runStart; self.runColour = runColour }
        return keys.withUnsafeMutableBufferPointer { keys in
            stamps.withUnsafeMutableBufferPointer { stamps in
                slots.withUnsafeMutableBufferPointer { slots in
                        var i = 0, previous: UInt32? = nil
                        while i < n {
                            let (p, j) = run(i, n)
                            // A run of the previous run's colour lengthens that run.
                            if p == previous, let colour = runColour.last {
                                counts[Int(colour)] &+= Int32(j &- i)
                                i = j
                                continue
                            }
                            previous = p
                            var h = (p &* 0x9E37_79B1) >> shift
                            while stamps[Int(h)] == stamp && keys[Int(h)] != p { h = (h &+ 1) & mask }
                            let colour: UInt16
                            if stamps[Int(h)] == stamp {
                                colour = slots[Int(h)]
                            } else {
                                guard distinct.count < Self.maxDistinct else { return false }
                                colour = UInt16(distinct.count)
                                distinct.append(p); counts.append(0)
                                keys[Int(h)] = p; stamps[Int(h)] = stamp; slots[Int(h)] = colour
                            }
                            runStart.append(Int32(truncatingIfNeeded: i)); runColour.append(colour)
                            counts[Int(colour)] &+= Int32(j &- i)
                            i = j
                        }
                        return true
                }
            }
        }
    }

    /// More than 256 colours: the most frequent first, each sharing an entry within the tolerance or
    /// making its own (transparent only with transparent). False past 256 entries.
    private mutating func shareEntries() -> Bool {
        entry = [UInt8](repeating: 0, count: distinct.count)
        // Most frequent first, ties by colour: one key per colour (its count, its value, its number),
        // sorted as plain integers.
        var order = distinct.indices.map { d in
            UInt64(Self.countLimit - UInt32(counts[d])) << 44 | UInt64(distinct[d]) << 12 | UInt64(d)
        }
        order.sort()
        var entries: [UInt32] = []
        entries.reserveCapacity(256)
        // The entries by alpha, each alpha's in order (linked through `nextOfAlpha`): a colour can
        // only share an entry whose alpha is within the tolerance of its own, so only those five
        // alphas' entries are compared, not all 256 — the same first entry within the tolerance.
        var firstOfAlpha = [Int16](repeating: -1, count: 256), lastOfAlpha = firstOfAlpha
        var nextOfAlpha = [Int16](repeating: -1, count: 256)
        for key in order {
            let c = UInt32(truncatingIfNeeded: key >> 12), d = Int(key & 0xFFF)
            let alpha = Int(c >> 24)
            var shared = Int.max
            for a in max(alpha - Int(Self.tolerance), 0)...min(alpha + Int(Self.tolerance), 255) {
                var e = Int(firstOfAlpha[a])
                while e >= 0 && e < shared {
                    if Self.near(entries[e], c) { shared = e; break }
                    e = Int(nextOfAlpha[e])
                }
            }
            if shared != Int.max {
                entry[d] = UInt8(shared)
                continue
            }
            guard entries.count < 256 else { return false }
            let e = entries.count
            entry[d] = UInt8(e)
            entries.append(c)
            if lastOfAlpha[alpha] >= 0 { nextOfAlpha[Int(lastOfAlpha[alpha])] = Int16(e) } else { firstOfAlpha[alpha] = Int16(e) }
            lastOfAlpha[alpha] = Int16(e)
        }
        colours = entries.map(Self.rgba)
        return true
    }

    /// Within the tolerance in every channel, and both transparent or both not.
    @inline(__always)
    static func near(_ a: UInt32, _ b: UInt32) -> Bool {
        guard (a >> 24 == 0) == (b >> 24 == 0) else { return false }
        let x = SIMD4<Int32>(Int32(a & 0xFF), Int32((a >> 8) & 0xFF), Int32((a >> 16) & 0xFF), Int32(a >> 24))
        let y = SIMD4<Int32>(Int32(b & 0xFF), Int32((b >> 8) & 0xFF), Int32((b >> 16) & 0xFF), Int32(b >> 24))
        let d = x &- y
        return !any((d .> tolerance) .| (d .< -tolerance))
    }

    static func rgba(_ c: UInt32) -> RGBA8 {
        RGBA8(r: UInt8(c & 0xFF), g: UInt8((c >> 8) & 0xFF), b: UInt8((c >> 16) & 0xFF), a: UInt8(c >> 24))
    }
}
