import Testing
@testable import Rendering

/// The zone tiles' palette (issue 16): exact up to 256 colours; past that, the frequent colours exact
/// and every pixel within ±2 per channel of its entry; RGBA when even that does not fit.
@Suite struct TilePaletteTests {
    /// `pixels` straight RGBA colours → the palette's verdict and, when built, the largest error and
    /// whether `exact` colours kept their values.
    static func build(_ pixels: [RGBA8], exact: [RGBA8] = []) -> (built: Bool, error: Int, kept: Bool, entries: Int) {
        var palette = TilePalette(pixels: pixels.count)
        let bytes = pixels.flatMap { [$0.r, $0.g, $0.b, $0.a] }
        guard bytes.withUnsafeBytes({ palette.build(from: $0) }) else { return (false, 0, false, 0) }
        var worst = 0
        for (i, p) in pixels.enumerated() {
            let e = palette.colours[Int(palette.indices[i])]
            let channels: [Int] = [Int(p.r) - Int(e.r), Int(p.g) - Int(e.g), Int(p.b) - Int(e.b), Int(p.a) - Int(e.a)]
            let d: Int = p.a == 0 ? Int(e.a) : channels.map(abs).max() ?? 0
            worst = max(worst, d)
        }
        let kept = exact.allSatisfy { palette.colours.contains($0) }
        return (true, worst, kept, Set(palette.colours).count)
    }

    @Test func fewColoursAreExact() {
        let fill = RGBA8(r: 46, g: 125, b: 50, a: 115), edge = RGBA8(r: 60, g: 60, b: 60, a: 255)
        var pixels: [RGBA8] = [fill]
        for i in 0..<4096 {
            if i % 7 == 0 {
                pixels.append(edge)
            } else if i % 5 == 0 {
                pixels.append(RGBA8(r: 0, g: 0, b: 0, a: 0))
            } else {
                pixels.append(RGBA8(r: 46, g: 125, b: UInt8(i % 200), a: 115))
            }
        }
        let r = Self.build(pixels, exact: [fill, edge])
        #expect(r.built && r.error == 0 && r.kept)
    }

    /// 1,200 distinct blends of two fills at every coverage and a few outline shades, the fills by far
    /// the most frequent: the fills stay exact, every other pixel moves by at most 2.
    @Test func manyBlendsShareEntriesWithinTwo() {
        let a = RGBA8(r: 46, g: 125, b: 50, a: 115), b = RGBA8(r: 198, g: 40, b: 40, a: 115)
        var pixels = [RGBA8](repeating: a, count: 30_000) + [RGBA8](repeating: b, count: 30_000)
        for i in 0..<1200 {
            let t = Double(i) / 1199
            func mix(_ x: UInt8, _ y: UInt8) -> UInt8 {
                let v: Double = Double(x) * (1 - t) + Double(y) * t
                return UInt8(v.rounded())
            }
            let alpha = UInt8(115 + i % 4)
            pixels.append(RGBA8(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b), a: alpha))
        }
        let r = Self.build(pixels, exact: [a, b])
        #expect(r.built, "1,200 blends fit in 256 entries within ±2")
        #expect(r.error <= 2 && r.error > 0 && r.kept, "\(r)")
    }

    @Test func tooManyColoursStayRGBA() {
        let pixels: [RGBA8] = (0..<65_536).map { (i: Int) -> RGBA8 in
            RGBA8(r: UInt8(i & 255), g: UInt8((i >> 8) & 255), b: UInt8((i * 7) & 255), a: 200)
        }
        #expect(!Self.build(pixels).built)
    }

    /// Past 256 colours, the entries and indices equal the rule written out plainly (most frequent
    /// first, ties by colour value; each colour takes the first entry within ±2, transparent only with
    /// transparent, else a new one), which `shareEntries` computes with its entries listed by alpha.
    @Test func sharedEntriesFollowThePlainRule() {
        var rng = SplitMix(state: 11)
        var pixels: [RGBA8] = []
        for i in 0..<20_000 {
            // Clusters of near colours at a few alphas (1, 2, 254: the ends of the range), some
            // transparent pixels with colour bits, and frequent fills.
            let a: UInt8 = [0, 1, 2, 115, 116, 118, 254, 255][i % 8]
            let base = UInt8(rng.uniform(0, 6)) * 40
            pixels.append(i % 3 == 0 ? RGBA8(r: 46, g: 125, b: 50, a: 115)
                          : RGBA8(r: base &+ UInt8(rng.uniform(0, 5.99)), g: UInt8(rng.uniform(0, 7.99)),
                                  b: base, a: a))
        }
        var palette = TilePalette(pixels: pixels.count)
        let bytes = pixels.flatMap { [$0.r, $0.g, $0.b, $0.a] }
        #expect(bytes.withUnsafeBytes { palette.build(from: $0) })
        // The plain rule, over straight colours packed as the palette packs them (0 when transparent).
        let packed = pixels.map { p -> UInt32 in
            p.a == 0 ? 0 : UInt32(p.r) | UInt32(p.g) << 8 | UInt32(p.b) << 16 | UInt32(p.a) << 24
        }
        var counts: [UInt32: Int] = [:]
        for c in packed { counts[c, default: 0] += 1 }
        #expect(counts.count > 256, "the test must share entries")
        let order = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
        var entries: [UInt32] = [], entryOf: [UInt32: Int] = [:]
        for c in order {
            if let e = entries.firstIndex(where: { TilePalette.near($0, c) }) {
                entryOf[c] = e
            } else {
                entryOf[c] = entries.count
                entries.append(c)
            }
        }
        #expect(palette.colours == entries.map(TilePalette.rgba))
        #expect(zip(packed, palette.indices).allSatisfy { entryOf[$0] == Int($1) })
    }
}
