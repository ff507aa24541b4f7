/// The colours of one zone tile as an 8-bit palette (with tRNS for its translucent entries), which
/// libpng encodes in a quarter of the bytes of straight RGBA and faster.
///
/// A zone tile holds few colours: the fills, the outline and the antialiased blends along its edges.
/// When they number 256 or fewer the palette is exact. Otherwise every channel is rounded to a multiple
/// of 2 (error ≤ 1), then of 4 (error ≤ 2); a pixel that was visible stays visible (alpha ≥ 1) and a
/// transparent one transparent. When even that leaves more than 256 colours (a low-zoom tile crossed by
/// hundreds of borders) `build` says no and the tile is encoded as RGBA: the error never exceeds 2.
struct TilePalette {
    /// One index per pixel into `colours` after a successful `build`.
    private(set) var indices: [UInt8]
    /// 17 to 256 straight RGBA entries: short palettes are padded with copies of their last entry so
    /// that libpng writes 8-bit indices, as the heat layer's tiles have.
    private(set) var colours: [RGBA8] = []

    /// Open addressing, colour → index, cleared by bumping `stamp` instead of rewriting the table.
    private var keys: [UInt32], stamps: [UInt32], slots: [UInt8]
    private var stamp: UInt32 = 0
    private static let tableBits = 10

    /// The largest difference per channel between a pixel and its palette entry, per attempt.
    static let steps = [1, 2, 4]

    init(pixels: Int) {
        indices = [UInt8](repeating: 0, count: pixels)
        keys = [UInt32](repeating: 0, count: 1 << Self.tableBits)
        stamps = [UInt32](repeating: 0, count: 1 << Self.tableBits)
        slots = [UInt8](repeating: 0, count: 1 << Self.tableBits)
    }

    /// Builds the palette of `rgba` (straight RGBA, 4 bytes per pixel, as many pixels as `init` said);
    /// false when the colours do not fit within the error bound.
    mutating func build(from rgba: UnsafeRawBufferPointer) -> Bool {
        precondition(rgba.count == indices.count * 4)
        for step in Self.steps where tryBuild(rgba, step: UInt32(step)) {
            while colours.count < 17 { colours.append(colours.last ?? RGBA8(r: 0, g: 0, b: 0, a: 0)) }
            return true
        }
        return false
    }

    private mutating func tryBuild(_ rgba: UnsafeRawBufferPointer, step: UInt32) -> Bool {
        stamp &+= 1
        if stamp == 0 {
            stamps.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            stamp = 1
        }
        colours.removeAll(keepingCapacity: true)
        var lastPixel: UInt32 = 0, lastIndex: UInt8 = 0, started = false
        let mask = UInt32((1 << Self.tableBits) - 1)
        for i in 0..<indices.count {
            let p = rgba.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)
            // Runs of one colour (flat fill) are the common case: no lookup.
            if started && p == lastPixel { indices[i] = lastIndex; continue }
            let q = step == 1 ? p : Self.quantised(p, step: step)
            var h = (q &* 0x9E37_79B1) >> UInt32(32 - Self.tableBits)
            while stamps[Int(h)] == stamp && keys[Int(h)] != q { h = (h &+ 1) & mask }
            let index: UInt8
            if stamps[Int(h)] == stamp {
                index = slots[Int(h)]
            } else {
                guard colours.count < 256 else { return false }
                index = UInt8(colours.count)
                colours.append(RGBA8(r: UInt8(q & 0xFF), g: UInt8((q >> 8) & 0xFF), b: UInt8((q >> 16) & 0xFF), a: UInt8(q >> 24)))
                keys[Int(h)] = q; stamps[Int(h)] = stamp; slots[Int(h)] = index
            }
            indices[i] = index
            lastPixel = p; lastIndex = index; started = true
        }
        return true
    }

    /// Each channel (little-endian R, G, B, A bytes) rounded to the nearest multiple of `step`, at most
    /// 255; a visible pixel keeps alpha ≥ 1, a transparent one stays (0, 0, 0, 0).
    @inline(__always)
    static func quantised(_ p: UInt32, step: UInt32) -> UInt32 {
        let a = p >> 24
        guard a != 0 else { return 0 }
        func q(_ c: UInt32) -> UInt32 { min(255, (c + step / 2) & ~(step - 1)) }
        return q(p & 0xFF) | q((p >> 8) & 0xFF) << 8 | q((p >> 16) & 0xFF) << 16 | max(1, q(a)) << 24
    }
}
