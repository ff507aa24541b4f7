import Foundation
import Geometry
import Model
import Testing
@testable import Rendering

/// Densities computed by numpy from the haversine distance (scripts/oracles/heat_fixtures.py →
/// Tests/Fixtures/heat.json), with none of the renderer's shortcuts.
private struct HeatFixtures: Decodable {
    struct Tile: Decodable { let z: Int, x: Int, y: Int; let pixels: [[Double]] }
    let bandwidth_m: Double
    let points: [[Double]]
    let tiles: [Tile]

    static let shared: HeatFixtures = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/heat.json")
        return try! JSONDecoder().decode(HeatFixtures.self, from: Data(contentsOf: url))
    }()

    var heatPoints: [HeatPoint] { points.map { HeatPoint(lon: $0[0], lat: $0[1], weight: $0[2]) } }
}

private let ramp = HeatRamp(breakpoints: [5, 20, 80], colors: [RGBA8(hex: "#2E7D32")!, RGBA8(hex: "#F9A825")!,
                                                               RGBA8(hex: "#C62828")!], steps: 8, opacity: 0.8)

private func renderer(_ points: [HeatPoint], zooms: ClosedRange<Int>, size: Int = 256) -> HeatmapRenderer {
    HeatmapRenderer(points: points, bandwidthMetres: 150, ramp: ramp,
                    options: TileOptions(minZoom: zooms.lowerBound, maxZoom: zooms.upperBound, tileSize: size))
}

private func mean(_ v: [Float]) -> Double { v.reduce(0.0) { $0 + Double($1) } / Double(v.count) }

@Suite struct HeatmapTests {
    /// Absolute units at every zoom: each probed pixel's density (weighted cases per km²) matches the
    /// numpy pixel average within 1.5 % of the tile's peak — where the kernel spans 2 pixels (z11) and 270 (z17).
    @Test func densityMatchesTheNumpyOracle() throws {
        let fx = HeatFixtures.shared
        let r = renderer(fx.heatPoints, zooms: 11...17)
        for t in fx.tiles {
            let values = r.density(TileID(z: t.z, x: t.x, y: t.y))
            let peak = t.pixels.map { $0[2] }.max()!
            #expect(peak > 40, "the fixture has a hotspot in every tile")
            var worst = 0.0
            for p in t.pixels {
                let ours = Double(values[Int(p[1]) * 256 + Int(p[0])])
                worst = max(worst, abs(ours - p[2]))
            }
            #expect(worst <= 0.015 * peak, "z\(t.z): worst error \(worst) for a peak of \(peak)")
        }
    }

    /// No seams: four 256-px tiles side by side and the one 512-px tile over the same area hold the same
    /// densities and decode (Pillow) to the same pixels — the cases across the tiles' shared edges included.
    @Test(arguments: [13, 14, 15, 17])
    func twoByTwoTilesEqualOneBigImage(zoom: Int) throws {
        let fx = HeatFixtures.shared
        let small = renderer(fx.heatPoints, zooms: zoom...zoom)
        let big = renderer(fx.heatPoints, zooms: (zoom - 1)...(zoom - 1), size: 512)
        let parent = tile(containing: Coordinate(114.0600, 22.5430), zoom: zoom - 1)
        let whole = big.density(parent)
        let bigPixels = try PillowProbe.run(png: #require(try big.renderTile(parent)), allPixels: true).pixels!
        for child in parent.children {
            let part = small.density(child)
            let ox = (child.x - 2 * parent.x) * 256, oy = (child.y - 2 * parent.y) * 256
            var mismatched = 0
            for y in 0..<256 { for x in 0..<256 where part[y * 256 + x] != whole[(oy + y) * 512 + ox + x] { mismatched += 1 } }
            #expect(mismatched == 0, "\(child): \(mismatched) pixels differ")
            guard let png = try small.renderTile(child) else {
                #expect(part.allSatisfy { $0 < 5 }, "\(child) has visible pixels but no tile"); continue
            }
            let pixels = try PillowProbe.run(png: png, allPixels: true).pixels!
            var differ = 0
            for y in 0..<256 { for x in 0..<256 where pixels[y * 256 + x] != bigPixels[(oy + y) * 512 + ox + x] { differ += 1 } }
            #expect(differ == 0, "\(child): \(differ) decoded pixels differ")
        }
        // At z14 the children's shared edge is lon 114.0601, between two cases of the fixture, and at
        // z15 it crosses the cluster: the seam pixels there carry density from both sides.
        let seam = (0..<512).map { max(whole[$0 * 512 + 255], whole[$0 * 512 + 256]) }.max()!
        if zoom == 14 || zoom == 15 { #expect(seam > 5, "seam density \(seam)") }
    }

    /// Zoom consistency: a parent tile's mean density equals the mean of its four children's — exactly
    /// (float rounding) where the kernel is a few pixels wide, within 0.5 % where tiles interpolate.
    @Test func parentMeanEqualsTheMeanOfItsChildren() throws {
        let fx = HeatFixtures.shared
        let r = renderer(fx.heatPoints, zooms: 10...18)
        for z in 10...17 {
            let parent = tile(containing: Coordinate(114.0455, 22.5433), zoom: z)
            let p = mean(r.density(parent))
            let c = parent.children.map { mean(r.density($0)) }.reduce(0, +) / 4
            #expect(p > 0)
            let tolerance = z + 1 <= r.field.storeLevel ? 1e-5 : 5e-3
            #expect(abs(p - c) <= tolerance * p, "z\(z): parent \(p), children \(c)")
        }
    }

    /// A lone case 20 m from a tile corner: at z10 its whole kernel (≈ 2 px) still shows up — the mass
    /// is kept (pixel averages), not lost between pixel centres — and it equals its weight.
    @Test func narrowKernelsKeepTheirMass() throws {
        let point = HeatPoint(lon: 114.0381 + 0.0002, lat: 22.5502, weight: 3)
        let r = renderer([point], zooms: 10...12)
        for z in 10...12 {
            let t = tile(containing: Coordinate(point.lon, point.lat), zoom: z)
            var massKm2 = 0.0
            for id in [t, TileID(z: z, x: t.x - 1, y: t.y), TileID(z: z, x: t.x, y: t.y - 1), TileID(z: z, x: t.x - 1, y: t.y - 1)] {
                // pixel ground area at this latitude, km²
                let side = mercatorBounds(of: id).maxX - mercatorBounds(of: id).minX
                let pixelKm2 = pow(side / 256 * cos(point.lat * .pi / 180), 2) / 1e6
                massKm2 += r.density(id).reduce(0.0) { $0 + Double($1) } * pixelKm2
            }
            #expect(abs(massKm2 - 3) < 0.01, "z\(z): mass \(massKm2)")
        }
    }

    /// Palette PNG (read by Pillow and from the IHDR bytes): 8-bit palette, the ramp plus transparency as
    /// the palette, the same in every tile; empty tiles are not produced.
    @Test func tilesArePalettePNGsWithTheRampAsPalette() throws {
        let fx = HeatFixtures.shared
        let r = renderer(fx.heatPoints, zooms: 13...14)
        let script = """
        import json, sys
        from PIL import Image
        out = []
        for path in sys.argv[1:]:
            raw = open(path, "rb").read()
            im = Image.open(path)
            out.append({"bits": raw[24], "colortype": raw[25], "mode": im.mode,
                         "palette": im.getpalette()[:3 * 18], "transparency": list(im.info.get("transparency", b""))[:18]})
        print(json.dumps(out))
        """
        let tiles = try r.tiles().compactMap { id in try r.renderTile(id) }
        #expect(tiles.count >= 2)
        var paths: [String] = []
        for png in tiles {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-heat-\(UUID().uuidString).png")
            try Data(png).write(to: url)
            paths.append(url.path)
        }
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + paths
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let decoded = try JSONSerialization.jsonObject(with: pipe.fileHandleForReading.readDataToEndOfFile()) as! [[String: Any]]
        p.waitUntilExit()
        let expectedPalette = ramp.palette.prefix(18).flatMap { [Int($0.r), Int($0.g), Int($0.b)] }
        let expectedAlpha = ramp.palette.prefix(18).map { Int($0.a) }
        for d in decoded {
            #expect(d["bits"] as? Int == 8 && d["colortype"] as? Int == 3 && d["mode"] as? String == "P")
            #expect(d["palette"] as? [Int] == expectedPalette)
            #expect(d["transparency"] as? [Int] == expectedAlpha)
        }
        // The ramp itself: transparent, green at the first breakpoint, 8 shades to yellow, …, red.
        #expect(ramp.palette[0].a == 0 && ramp.palette[1] == RGBA8(hex: "#2E7D32")!.withAlpha(204))
        #expect(ramp.palette[9] == RGBA8(hex: "#F9A825")!.withAlpha(204) && ramp.palette[17] == RGBA8(hex: "#C62828")!.withAlpha(204))
        #expect(ramp.index(4.99) == 0 && ramp.index(5) == 1 && ramp.index(19.99) == 8 && ramp.index(20) == 9 && ramp.index(1e9) == 17)
        // Far from every case: nothing to draw, no tile.
        #expect(try r.renderTile(TileID(z: 13, x: 6000, y: 3000)) == nil)
    }
}
