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
}
