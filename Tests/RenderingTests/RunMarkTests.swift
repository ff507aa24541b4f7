import CZlib
import Foundation
import Geometry
import Testing
@testable import Rendering

/// The zone canvas drawn sparsely — only the first pixel of each run of equal pixels, found from the
/// marks the fills and outlines set (`TileCanvas.fill`) — against the canvas drawn on every pixel
/// with its palette found by comparing the pixels; and the run-by-run Adler-32 against zlib's.
@Suite struct RunMarkTests {
    /// Overlapping random zones (stars, so edges at every angle), filled in three translucent colours
    /// and outlined in two (two outline passes over one canvas), at zooms where tiles hold a few long
    /// runs and zooms where they hold hundreds of blends: every tile's bytes equal the whole canvas's.
    /// Thirty zones crossing the low tiles give, at z0, more colours than the palette takes (RGBA, the
    /// runs filled in first): both encodings are checked to occur.
    @Test func sparseTilesEqualWholeCanvasTiles() throws {
        var rng = SplitMix(state: 16)
        let fills = [RGBA8(r: 46, g: 125, b: 50, a: 115), RGBA8(r: 249, g: 168, b: 37, a: 115),
                     RGBA8(r: 198, g: 40, b: 40, a: 115)]
        let strokes = [RGBA8(r: 55, g: 71, b: 79, a: 255), RGBA8(r: 200, g: 10, b: 90, a: 160)]
        var features: [ChoroplethFeature] = []
        for i in 0..<30 {
            let cx = rng.uniform(-0.02, 0.02), cy = rng.uniform(-0.02, 0.02)
            let points = 7 + i % 11
            var ring: [Coordinate] = []
            for k in 0..<points {
                let angle = Double(k) / Double(points) * 2 * Double.pi
                let r = (k % 2 == 0 ? 0.02 : 0.008) * rng.uniform(0.5, 1.5)
                ring.append(Coordinate(cx + r * cos(angle), cy + r * sin(angle)))
            }
            ring.append(ring[0])
            features.append(ChoroplethFeature(geometry: MultiPolygon([Polygon(exterior: ring)]),
                                              fill: fills[i % 3], stroke: strokes[i % 2]))
        }
        var kinds = Set<UInt8>(), compared = 0
        for zooms in [0...0, 8...9, 13...15] {
            let renderer = ChoroplethRenderer(features: features, options: TileOptions(minZoom: zooms.lowerBound, maxZoom: zooms.upperBound))
            for id in renderer.tiles() {
                let sparse = try renderer.renderTile(id)
                let whole = try renderer.renderTile(id, sparse: false)
                #expect(sparse == whole, "tile \(id)")
                guard let png = sparse else { continue }
                compared += 1
                kinds.insert(png[25])   // IHDR colour type: 3 palette, 6 RGBA
            }
        }
        #expect(compared > 50)
        #expect(kinds == [3, 6], "both palette and RGBA tiles")
    }

    /// Runs short and long (past the modulus 65521 and past 2¹⁶), noise, single bytes and nothing.
    @Test func adler32EqualsZlibs() {
        var rng = SplitMix(state: 3)
        var runs: [UInt8] = []
        for length in [1, 2, 7, 8, 9, 300, 65_520, 65_521, 65_522, 140_000, 3] {
            runs += [UInt8](repeating: UInt8(rng.uniform(0, 255.99)), count: length)
        }
        let noise = (0..<10_007).map { _ in UInt8(rng.uniform(0, 255.99)) }
        let ff = [UInt8](repeating: 255, count: 200_000)
        for bytes in [runs, noise, ff, [0], [255], []] {
            let ours = bytes.withUnsafeBytes { Adler32.checksum($0) }
            let zlib = bytes.withUnsafeBufferPointer { adler32(1, $0.baseAddress, uInt($0.count)) }
            #expect(UInt(ours) == UInt(zlib), "\(bytes.count) bytes")
        }
    }

    /// From the runs (spanning rows, some starting where the value does not change, one run as
    /// long as several rows): the checksum of the filtered rows equals zlib's, and the PNG equals the
    /// one written without runs.
    @Test func adler32FromRunsEqualsZlibs() throws {
        var rng = SplitMix(state: 5)
        let (w, h) = (37, 300)
        var indices: [UInt8] = [], starts: [Int32] = []
        while indices.count < w * h {
            let length = min(w * h - indices.count, Int(rng.uniform(1, rng.next() < 0.1 ? 400 : 12)))
            starts.append(Int32(indices.count))
            indices += [UInt8](repeating: UInt8(rng.uniform(0, 3.99)), count: length)
        }
        var filtered: [UInt8] = []
        for row in 0..<h { filtered.append(0); filtered += indices[(row * w)..<((row + 1) * w)] }
        let zlib = filtered.withUnsafeBufferPointer { adler32(1, $0.baseAddress, uInt($0.count)) }
        let ours = indices.withUnsafeBufferPointer { i in
            starts.withUnsafeBufferPointer { Adler32.checksum(rows: i, width: w, runStarts: $0) }
        }
        #expect(UInt(ours) == UInt(zlib))
        let palette = [RGBA8(r: 0, g: 0, b: 0, a: 0), RGBA8(r: 46, g: 125, b: 50, a: 115),
                       RGBA8(r: 55, g: 71, b: 79, a: 255), RGBA8(r: 198, g: 40, b: 40, a: 115)]
        let writer = PalettePNGWriter(width: w, height: h)
        let plain = try indices.withUnsafeBufferPointer { try writer.encode(indices: $0, palette: palette) }
        let fromRuns = try indices.withUnsafeBufferPointer { i in
            try starts.withUnsafeBufferPointer { try writer.encode(indices: i, palette: palette, runStarts: $0) }
        }
        #expect(plain == fromRuns)
    }
}
