import Foundation
import Geometry
import Testing
@testable import Rendering

/// Decodes a PNG with Pillow and reads pixels, locating lon/lat probes with mercantile — both
/// independent of the code under test.
struct PillowProbe: Decodable {
    let size: [Int]
    let mode: String
    /// Per probe: [r, g, b, a, pixelX (fractional), pixelY (fractional)] after convert("RGBA").
    let probes: [[Double]]
    /// Every pixel as RGBA after convert("RGBA"), only when asked for.
    let pixels: [[Int]]?

    static let script = """
    import json, sys, mercantile
    from PIL import Image
    path, z, x, y, allpix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
    coords = [float(v) for v in sys.argv[6:]]
    im = Image.open(path); mode = im.mode; im.load()
    rgba = im.convert("RGBA"); w, h = rgba.size
    b = mercantile.xy_bounds(mercantile.Tile(x, y, z))
    probes = []
    for lon, lat in zip(coords[0::2], coords[1::2]):
        mx, my = mercantile.xy(lon, lat)
        px = (mx - b.left) / (b.right - b.left) * w
        py = (b.top - my) / (b.top - b.bottom) * h
        probes.append(list(rgba.getpixel((int(px), int(py)))) + [px, py])
    out = {"size": [w, h], "mode": mode, "probes": probes}
    if allpix:
        raw = rgba.tobytes()
        out["pixels"] = [list(raw[i:i + 4]) for i in range(0, len(raw), 4)]
    print(json.dumps(out))
    """

    static func run(png: [UInt8], tile: TileID = TileID(z: 0, x: 0, y: 0), lonLat: [Coordinate] = [],
                    allPixels: Bool = false) throws -> PillowProbe {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("riskmap-render-\(UUID().uuidString).png")
        try Data(png).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path.path, "\(tile.z)", "\(tile.x)", "\(tile.y)",
                       allPixels ? "1" : "0"] + lonLat.flatMap { ["\($0.x)", "\($0.y)"] }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3/Pillow failed")
        return try JSONDecoder().decode(PillowProbe.self, from: data)
    }
}

func box(_ w: Double, _ s: Double, _ e: Double, _ n: Double) -> MultiPolygon {
    MultiPolygon([Polygon(exterior: [Coordinate(w, s), Coordinate(e, s), Coordinate(e, n),
                                     Coordinate(w, n), Coordinate(w, s)])])
}

/// Two zones side by side in Futian, sharing the meridian 114.0503 (inside tile 14/13382/7138).
enum TwoZones {
    static let tile = TileID(z: 14, x: 13382, y: 7138)
    static let seamLon = 114.0503
    static let red = RGBA8(r: 220, g: 40, b: 30, a: 128)
    static let blue = RGBA8(r: 30, g: 60, b: 200, a: 128)

    static func features(stroke: RGBA8) -> [ChoroplethFeature] {
        [ChoroplethFeature(geometry: box(114.040, 22.536, seamLon, 22.550), fill: red, stroke: stroke),
         ChoroplethFeature(geometry: box(seamLon, 22.536, 114.058, 22.550), fill: blue, stroke: stroke)]
    }
}

/// `expected` seen through straight-alpha 8-bit output: within ±1 per channel.
func close(_ probe: [Double], _ expected: RGBA8) -> Bool {
    zip(probe.prefix(4), [expected.r, expected.g, expected.b, expected.a]).allSatisfy { abs($0 - Double($1)) <= 1 }
}

@Suite struct RendererTests {
    @Test(arguments: [256, 512])
    func twoZonesDecodeWithPillow(tileSize: Int) throws {
        let black = RGBA8(r: 0, g: 0, b: 0, a: 255)
        let r = ChoroplethRenderer(features: TwoZones.features(stroke: black),
                                   options: TileOptions(minZoom: 14, maxZoom: 14, tileSize: tileSize))
        let png = try #require(try r.renderTile(TwoZones.tile))
        let probe = try PillowProbe.run(png: png, tile: TwoZones.tile, lonLat: [
            Coordinate(114.045, 22.543),   // well inside the red zone
            Coordinate(114.054, 22.543),   // well inside the blue zone
            Coordinate(114.039, 22.552),   // in the tile, outside both
            // Just inside the blue zone's east edge, less than half a pixel from it: under the outline.
            Coordinate(114.058 - 0.4 * (360.0 / 16384) / Double(tileSize), 22.543),
        ])
        #expect(probe.size == [tileSize, tileSize])
        // A palette PNG (issue 16): two fills, the outline and their blends fit in 256 entries.
        #expect(probe.mode == "P")
        #expect(close(probe.probes[0], TwoZones.red), "red zone: \(probe.probes[0])")
        #expect(close(probe.probes[1], TwoZones.blue), "blue zone: \(probe.probes[1])")
        #expect(probe.probes[2].prefix(4).allSatisfy { $0 == 0 }, "outside: \(probe.probes[2])")
        // The outline darkens and thickens the edge pixels: more opaque than the fill, darker than blue.
        let edge = probe.probes[3]
        #expect(edge[3] > Double(TwoZones.blue.a) + 20 && edge[2] < Double(TwoZones.blue.b) - 20, "outline: \(edge)")
    }

    @Test func sharedBorderHasNoSeam() throws {
        // No outlines, so the seam pixels show the fills alone. Summed coverage gives them the fills'
        // alpha (128); "over" compositing would give 1 - (1 - f·a)(1 - (1 - f)·a) ≈ 112–122 there.
        let clear = RGBA8(r: 0, g: 0, b: 0, a: 0)
        let r = ChoroplethRenderer(features: TwoZones.features(stroke: clear),
                                   options: TileOptions(minZoom: 14, maxZoom: 14))
        let png = try #require(try r.renderTile(TwoZones.tile))
        let lats = stride(from: 22.537, through: 22.549, by: 0.002)
        let probe = try PillowProbe.run(png: png, tile: TwoZones.tile,
                                        lonLat: lats.map { Coordinate(TwoZones.seamLon, $0) })
        for p in probe.probes {
            let fraction = p[4] - p[4].rounded(.down)
            #expect(fraction > 0.15 && fraction < 0.85, "the seam must split its pixels: \(fraction)")
            #expect(abs(p[3] - 128) <= 1, "seam pixel alpha \(p[3]) at x \(p[4])")
            // A blend of both fills, not a gap and not one colour.
            #expect(p[0] > Double(TwoZones.blue.r) + 10 && p[2] > Double(TwoZones.red.b) + 10, "\(p)")
        }
    }

    @Test func emptyTilesGiveNil() throws {
        // An L-shaped zone: the tile in its bbox's empty corner is a candidate, yet nothing is drawn.
        let l = MultiPolygon([Polygon(exterior: [
            Coordinate(114.00, 22.50), Coordinate(114.10, 22.50), Coordinate(114.10, 22.52),
            Coordinate(114.02, 22.52), Coordinate(114.02, 22.60), Coordinate(114.00, 22.60),
            Coordinate(114.00, 22.50)])])
        let feature = ChoroplethFeature(geometry: l, fill: TwoZones.red, stroke: TwoZones.blue)
        let r = ChoroplethRenderer(features: [feature], options: TileOptions(minZoom: 15, maxZoom: 15))
        let corner = tile(containing: Coordinate(114.08, 22.58), zoom: 15)
        #expect(r.tiles().contains(corner))
        #expect(try r.renderTile(corner) == nil)
        #expect(try r.renderTile(tile(containing: Coordinate(114.01, 22.55), zoom: 15)) != nil)
        #expect(try r.renderTile(TileID(z: 15, x: 0, y: 0)) == nil)   // far away
        // Invisible colours draw nothing either.
        let invisible = ChoroplethFeature(geometry: l, fill: TwoZones.red.withAlpha(0),
                                          stroke: TwoZones.blue.withAlpha(0))
        let r2 = ChoroplethRenderer(features: [invisible], options: TileOptions(minZoom: 15, maxZoom: 15))
        #expect(try r2.renderTile(tile(containing: Coordinate(114.01, 22.55), zoom: 15)) == nil)
    }

    @Test func renderVisitsEveryDrawnTileOnce() throws {
        let l = box(114.03, 22.53, 114.07, 22.56)
        let r = ChoroplethRenderer(
            features: [ChoroplethFeature(geometry: l, fill: TwoZones.red, stroke: TwoZones.blue)],
            options: TileOptions(minZoom: 10, maxZoom: 14))
        // Independent expectation: mercantile-style covering tiles of the box at each zoom.
        let expected = (10...14).flatMap { z in
            tiles(covering: BoundingBox(minX: 114.03, minY: 22.53, maxX: 114.07, maxY: 22.56), zoom: z)
        }
        let seen = Collected()
        try r.render(onTile: { id, png in seen.add(id, png.count) },
                     progress: { done, total in seen.progress(done, total) })
        #expect(seen.ids.sorted() == expected.sorted())
        #expect(Set(seen.ids).count == seen.ids.count)
        #expect(seen.maxProgress == (r.tiles().count, r.tiles().count))
    }

    @Test func renderRethrowsTheCallbacksError() {
        struct Boom: Error {}
        let r = ChoroplethRenderer(features: TwoZones.features(stroke: TwoZones.red),
                                   options: TileOptions(minZoom: 12, maxZoom: 16))
        #expect(throws: Boom.self) { try r.render(onTile: { _, _ in throw Boom() }, progress: nil) }
    }
}

/// Thread-safe collector for `render`'s callbacks.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var _ids: [TileID] = []
    private var _max = (0, 0)
    func add(_ id: TileID, _ bytes: Int) { lock.withLock { _ids.append(id) } }
    func progress(_ done: Int, _ total: Int) { lock.withLock { if done > _max.0 { _max = (done, total) } } }
    var ids: [TileID] { lock.withLock { _ids } }
    var maxProgress: (Int, Int) { lock.withLock { _max } }
}

extension PillowProbe {
    /// A palette PNG decoded by Pillow: mode P, its size, and every pixel the colour of its index
    /// (fully transparent pixels compare as 0, whatever their colour channels).
    static func expectPalettePNG(_ png: [UInt8], indices: [UInt8], palette: [RGBA8], width: Int, height: Int) throws {
        let probe = try PillowProbe.run(png: png, allPixels: true)
        #expect(probe.size == [width, height])
        #expect(probe.mode == "P")
        let pixels = try #require(probe.pixels)
        for (i, p) in pixels.enumerated() {
            let c = palette[Int(indices[i])]
            let want = c.a == 0 ? [0, 0, 0, 0] : [Int(c.r), Int(c.g), Int(c.b), Int(c.a)]
            let got = p[3] == 0 ? [0, 0, 0, 0] : p
            #expect(got == want, "pixel \(i)")
            if got != want { break }
        }
    }
}

@Suite struct PNGEncoderTests {
    @Test func paletteDecodesToItsColours() throws {
        let palette = [RGBA8(r: 0, g: 0, b: 0, a: 0), RGBA8(r: 255, g: 255, b: 178, a: 200),
                       RGBA8(r: 253, g: 141, b: 60, a: 220), RGBA8(r: 189, g: 0, b: 38, a: 255)]
        let (w, h) = (37, 23)   // odd sizes: catches stride mistakes
        let indices = (0..<(w * h)).map { i in UInt8((i % w + i / w * 3) % palette.count) }
        let png = try PNGEncoder.encodePalette(indices: indices, width: w, height: h, palette: palette)
        try PillowProbe.expectPalettePNG(png, indices: indices, palette: palette, width: w, height: h)
    }

    @Test func rgbaRoundTripsThroughPillow() throws {
        let (w, h) = (5, 3)
        var rng = SplitMix(state: 3)
        let pixels = (0..<(w * h * 4)).map { _ in UInt8(rng.uniform(0, 255.99)) }
        let png = try PNGEncoder.encodeRGBA(pixels, width: w, height: h)
        let probe = try PillowProbe.run(png: png, allPixels: true)
        #expect(probe.mode == "RGBA")
        #expect(probe.pixels?.flatMap { $0 } == pixels.map(Int.init))
    }

    @Test func badInputThrows() {
        #expect(throws: PNGError.self) {
            try PNGEncoder.encodePalette(indices: [0, 1, 4, 0], width: 2, height: 2,
                                         palette: [RGBA8(r: 0, g: 0, b: 0), RGBA8(r: 1, g: 1, b: 1)])
        }
        #expect(throws: PNGError.self) { try PNGEncoder.encodeRGBA([0, 0, 0], width: 1, height: 1) }
        #expect(throws: PNGError.self) { try PNGEncoder.encodeRGBA([], width: 0, height: 0) }
    }
}
