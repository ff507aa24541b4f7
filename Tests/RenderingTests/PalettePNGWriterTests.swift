import Testing
@testable import Rendering

/// The zone tiles' palette PNGs written through zlib (`PalettePNGWriter`), decoded by Pillow (which
/// checks every chunk's CRC and the zlib stream), and the palette counted straight from a float canvas.
@Suite struct PalettePNGWriterTests {
    static let palette = [RGBA8(r: 0, g: 0, b: 0, a: 0), RGBA8(r: 46, g: 125, b: 50, a: 115),
                          RGBA8(r: 55, g: 71, b: 79, a: 255), RGBA8(r: 198, g: 40, b: 40, a: 115)]

    /// Runs, repeated rows and noise (odd sizes catch stride mistakes), twice through one writer: the
    /// reused stream starts afresh for each image.
    @Test func decodesToItsColoursAcrossReuse() throws {
        let (w, h) = (37, 23)
        let writer = PalettePNGWriter(width: w, height: h)
        var rng = SplitMix(state: 7)
        let runs = (0..<(w * h)).map { i in UInt8(i / w < 10 ? 1 : (i % w < 12 ? 2 : 3)) }
        let noise = (0..<(w * h)).map { _ in UInt8(rng.uniform(0, 3.99)) }
        for indices in [runs, noise, runs] {
            let png = try indices.withUnsafeBufferPointer { try writer.encode(indices: $0, palette: Self.palette) }
            try PillowProbe.expectPalettePNG(png, indices: indices, palette: Self.palette, width: w, height: h)
        }
    }

    /// A full 256-entry palette, all opaque: no tRNS chunk, every entry decodes.
    @Test func fullOpaquePalette() throws {
        let (w, h) = (64, 4)
        let palette = (0..<256).map { RGBA8(r: UInt8($0), g: UInt8(255 - $0), b: UInt8($0 / 2), a: 255) }
        let indices = (0..<(w * h)).map { UInt8($0 % 256) }
        let png = try indices.withUnsafeBufferPointer {
            try PalettePNGWriter(width: w, height: h).encode(indices: $0, palette: palette)
        }
        #expect(!String(decoding: png, as: UTF8.self).contains("tRNS"))
        try PillowProbe.expectPalettePNG(png, indices: indices, palette: palette, width: w, height: h)
    }

    @Test func badInputThrows() {
        let writer = PalettePNGWriter(width: 2, height: 2)
        #expect(throws: PNGError.self) {
            try [UInt8](repeating: 0, count: 3).withUnsafeBufferPointer { try writer.encode(indices: $0, palette: Self.palette) }
        }
        #expect(throws: PNGError.self) {
            try [UInt8](repeating: 0, count: 4).withUnsafeBufferPointer { try writer.encode(indices: $0, palette: []) }
        }
    }

    /// `build(premultiplied:)` over a float canvas gives the palette and indices that converting it
    /// to RGBA and `build(from:)` give — also past 256 colours, where entries are shared — and says
    /// when it is invisible or has too many colours.
    @Test func paletteFromFloatCanvasEqualsFromRGBA() {
        var rng = SplitMix(state: 11)
        let n = 64 * 64
        func canvas(distinct: Int) -> [SIMD4<Float>] {
            let colours = (0..<distinct).map { _ -> SIMD4<Float> in
                let a = Float(rng.uniform(0.05, 1))
                return SIMD4(Float(rng.uniform(0, 1)) * a, Float(rng.uniform(0, 1)) * a, Float(rng.uniform(0, 1)) * a, a)
            }
            // Long runs of a few colours, then the rest one pixel each.
            return (0..<n).map { i in i < n / 2 ? colours[(i / 97) % min(3, distinct)] : colours[i % distinct] }
        }
        for distinct in [5, 200, 1_500] {
            let pixels = canvas(distinct: distinct)
            var fromFloats = TilePalette(pixels: n), fromRGBA = TilePalette(pixels: n)
            let outcome = pixels.withUnsafeBytes { fromFloats.build(premultiplied: $0, straight: TileCanvas.straight) }
            let rgba = pixels.flatMap { p -> [UInt8] in
                let v = TileCanvas.straight(p)
                return [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
            }
            let built = rgba.withUnsafeBytes { fromRGBA.build(from: $0) }
            #expect(built == (outcome == .built), "\(distinct) colours")
            if built {
                #expect(fromFloats.colours == fromRGBA.colours, "\(distinct) colours")
                #expect(fromFloats.indices == fromRGBA.indices, "\(distinct) colours")
            }
        }
        var palette = TilePalette(pixels: n)
        let clear = [SIMD4<Float>](repeating: .zero, count: n)
        #expect(clear.withUnsafeBytes { palette.build(premultiplied: $0, straight: TileCanvas.straight) } == .invisible)
        let busy = (0..<n).map { i in SIMD4<Float>(Float(i % 64) / 64, Float(i / 64) / 64, 0.5, 1) }
        #expect(busy.withUnsafeBytes { palette.build(premultiplied: $0, straight: TileCanvas.straight) } == .tooMany)
    }
}
