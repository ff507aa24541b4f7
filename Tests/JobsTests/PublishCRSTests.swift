import Foundation
import TestSupport
import Testing

/// `run --publish-crs gcj02,bd09`: the GCJ-02 pyramid, its documents and archives, and the shifted
/// GeoJSON, checked end to end against prcoords (GCJ-02 / BD-09), mercantile (pixels) and Pillow (PNG)
/// through scripts/oracles/gcj02_output.py; then incremental runs, shards and merge, and bad input.
@Suite(.serialized) struct PublishCRSTests {
    static let demoCases = Repo.demo.appendingPathComponent("cases.csv")

    static let run: (out: URL, archives: URL) = {
        let dir = try! Repo.temporaryFolder("publishcrs")
        let out = dir.appendingPathComponent("out")
        let r = try! riskmap("run", "--boundaries", Repo.demo.path, "--cases", demoCases.path, "--as-of", "2026-11-22",
                             "--out", out.path, "--min-zoom", "12", "--max-zoom", "15", "--publish-crs", "gcj02,bd09",
                             "--pmtiles", dir.appendingPathComponent("risk.pmtiles").path,
                             "--mbtiles", dir.appendingPathComponent("risk.mbtiles").path)
        precondition(r.status == 0, "run --publish-crs failed: \(r.stderr)")
        return (out, dir)
    }()

    func oracle(_ arguments: [String]) throws -> [String: Any] {
        let r = try python([Repo.root.appendingPathComponent("scripts/oracles/gcj02_output.py").path] + arguments)
        try #require(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// An RGBA pixel equal to a `#RRGGBB` fill at the style's fill opacity (0.45 → alpha 115), ±1.
    func isFill(_ rgba: [Int], _ hex: String) -> Bool {
        let v = Int(hex.dropFirst(), radix: 16) ?? -1
        return zip(rgba, [v >> 16 & 255, v >> 8 & 255, v & 255, 115]).allSatisfy { abs($0 - $1) <= 1 }
    }

    /// A point well inside a zone, converted to GCJ-02 by prcoords, lands on a pixel of that zone's fill
    /// in tiles-gcj02 at max zoom; the WGS-84 tile at the same pixel shows another zone's colour (the
    /// shift is real: ~600 m, 130 pixels at zoom 15).
    @Test(arguments: ["community", "post", "street"])
    func zoneFillLinesUpWithPrcoords(level: String) throws {
        let f = try oracle(["zones", Self.run.out.path, level, "15"])
        try #require(f["error"] == nil, "\(f)")
        let colour = try #require(f["color"] as? String)
        let gcj = try #require(f["gcj02_pixel"] as? [Int]), wgs = try #require(f["wgs84_pixel"] as? [Int])
        #expect(isFill(gcj, colour), "\(level) '\(f["zone"] ?? "")' at GCJ-02 \(f["gcj02"] ?? ""): \(gcj) in \(f["gcj02_tile"] ?? "")")
        #expect(!isFill(wgs, colour), "the WGS-84 tile shows the same colour at the shifted pixel: \(f)")
        if let other = f["other_color"] as? String { #expect(isFill(wgs, other), "\(f)") }
    }

    /// The heat layer's peak of a lone hotspot (30 cases at one point) lies at the hotspot's GCJ-02
    /// position (prcoords, mercantile) in tiles-gcj02 and at its WGS-84 position in tiles, within a
    /// pixel and a half at zoom 16; the two peaks are as far apart as the two positions.
    @Test func heatPeakOfALoneHotspotIsAtItsGCJ02Position() throws {
        let dir = try Repo.temporaryFolder()
        let (lon, lat) = (114.0605, 22.5441)
        let rows = (1...30).map { "H\($0),2026-11-\(10 + $0 % 10),噪声,,\(lon),\(lat)" }
        let cases = dir.appendingPathComponent("hotspot.csv")
        try (["id,received_at,category,address,lon,lat"] + rows).joined(separator: "\n").write(to: cases, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", cases.path, "--as-of", "2026-11-22", "--out", out.path,
                            "--min-zoom", "14", "--max-zoom", "16", "--publish-crs", "gcj02")
        try #require(r.status == 0, "\(r.stderr)")
        let f = try oracle(["heat", out.path, "16", "\(lon)", "\(lat)"])
        let gcj = try #require(f["gcj02"] as? [String: Any]), wgs = try #require(f["wgs84"] as? [String: Any])
        try #require(gcj["error"] == nil && wgs["error"] == nil, "\(f)")
        func offset(_ p: [String: Any]) -> (Double, Double) {
            let c = p["centroid"] as! [Double], e = p["expected"] as! [Double]
            return (c[0] - e[0], c[1] - e[1])
        }
        let (gx, gy) = offset(gcj), (wx, wy) = offset(wgs)
        #expect(hypot(gx, gy) <= 1.5, "GCJ-02 peak \(gcj)")
        #expect(hypot(wx, wy) <= 1.5, "WGS-84 peak \(wgs)")
        #expect(gcj["index"] as? Int == wgs["index"] as? Int, "the same top colour in both pyramids: \(f)")
        let shift = zip(gcj["centroid"] as! [Double], wgs["centroid"] as! [Double]).map { $0 - $1 }
        #expect(hypot(shift[0], shift[1]) > 200, "the GCJ-02 peak is ~600 m (~260 px at zoom 16) from the WGS-84 one: \(f)")
    }

    /// `*.gcj02.geojson` and `*.bd09.geojson`: the same features and properties as the WGS-84 files, every
    /// position prcoords' conversion of the WGS-84 file's to 1e-7° (both files' last decimal).
    @Test func shiftedGeoJSONEqualsPrcoords() throws {
        let f = try oracle(["geojson", Self.run.out.path])
        #expect(f.count == 6)
        for (file, value) in f {
            let v = try #require(value as? [String: Any])
            #expect(v["same_features"] as? Bool == true, "\(file)")
            #expect((v["positions"] as? Int ?? 0) > 100, "\(file)")
            #expect((v["worst_deg"] as? Double ?? 1) <= 1e-7, "\(file): \(v)")
        }
    }

    /// tiles-gcj02.json lists the GCJ-02 tiles with bounds in GCJ-02; report.json names the published
    /// systems and counts each pyramid's tiles; the archives of the GCJ-02 pyramid hold its tiles.
    @Test func documentsAndArchivesOfTheGCJ02Pyramid() throws {
        let out = Self.run.out
        let t = try json(out.appendingPathComponent("tiles-gcj02.json"))
        let layers = try #require(t["layers"] as? [[String: Any]])
        #expect(layers.map { $0["id"] as? String } == ["heat", "street", "community", "post"])
        for l in layers {
            #expect((l["tiles"] as? [String])?.first == "tiles-gcj02/\(l["id"]!)/{z}/{x}/{y}.png")
            #expect(l["minzoom"] as? Int == 12 && l["maxzoom"] as? Int == 15)
        }
        let plain = try #require(try json(out.appendingPathComponent("tiles.json"))["bounds"] as? [Double])
        let shifted = try #require(t["bounds"] as? [Double])
        // GCJ-02 lies ~0.005° east and ~0.0027° south of WGS-84 in Shenzhen.
        #expect(shifted[0] - plain[0] > 0.004 && shifted[0] - plain[0] < 0.006, "\(plain) → \(shifted)")
        #expect(plain[1] - shifted[1] > 0.002 && plain[1] - shifted[1] < 0.0035, "\(plain) → \(shifted)")

        let report = try json(out.appendingPathComponent("report.json"))
        #expect(report["publish_crs"] as? [String] == ["wgs84", "gcj02", "bd09"])
        let counts = try #require(report["tiles_gcj02"] as? [String: Int])
        for layer in ["heat", "street", "community", "post"] {
            let files = try relativeFiles(out.appendingPathComponent("tiles-gcj02/\(layer)")).filter { $0.hasSuffix(".png") }
            #expect(counts[layer] == files.count && files.count > 20, "\(layer)")
        }
        let updates = try #require(report["tile_updates"] as? [String: Any])
        #expect((updates["gcj02"] as? [String: Any])?["rendered"] as? [String: Int] == counts)
        #expect((report["timings_s"] as? [String: Any])?["tiles_gcj02_heat"] != nil)

        // The archives' reader compares with OUT/tiles/LAYER: give it the GCJ-02 pyramid under that name.
        let view = try Repo.temporaryFolder("gcjview")
        try FileManager.default.createSymbolicLink(at: view.appendingPathComponent("tiles"),
                                                   withDestinationURL: out.appendingPathComponent("tiles-gcj02"))
        for (layer, suffix) in [("heat", ""), ("community", "-community")] {
            let a = Self.run.archives
            let r = try python([Repo.root.appendingPathComponent("scripts/oracles/check_archives.py").path, view.path, layer,
                                a.appendingPathComponent("risk-gcj02\(suffix).mbtiles").path,
                                a.appendingPathComponent("risk-gcj02\(suffix).pmtiles").path])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(summary?["mbtiles_name"] as? String == "riskmap \(layer) (GCJ-02)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("tiles-bd09").path))
    }

    /// Day 2 built on day 1 keeps the GCJ-02 tiles nothing touched and equals a full render of day 2,
    /// tile for tile.
    @Test func incrementalGCJ02PyramidEqualsAFullRender() throws {
        let tmp = try Repo.temporaryFolder()
        let day2 = tmp.appendingPathComponent("day2.csv")
        let made = try python([Repo.root.appendingPathComponent("scripts/make_day2.py").path, Self.demoCases.path, day2.path,
                               "--day", "2026-11-23"])
        try #require(made.status == 0, "\(made.stderr)")
        let out = tmp.appendingPathComponent("daily"), full = tmp.appendingPathComponent("full")
        func run(_ cases: URL, _ day: String, _ folder: URL) throws {
            let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", cases.path, "--as-of", day, "--out", folder.path,
                                "--min-zoom", "11", "--max-zoom", "15", "--publish-crs", "gcj02")
            try #require(r.status == 0, "\(r.stderr)")
        }
        try run(Self.demoCases, "2026-11-22", out)
        try run(day2, "2026-11-23", out)
        try run(day2, "2026-11-23", full)
        let files = try relativeFiles(full).filter { $0.hasPrefix("tiles-gcj02/") || $0.contains(".gcj02.") }
        #expect(try relativeFiles(out).filter { $0.hasPrefix("tiles-gcj02/") || $0.contains(".gcj02.") } == files)
        #expect(files.count > 100)
        for file in files {
            #expect(FileManager.default.contentsEqual(atPath: out.appendingPathComponent(file).path,
                                                      andPath: full.appendingPathComponent(file).path), "\(file)")
        }
        let updates = try #require(try json(out.appendingPathComponent("report.json"))["tile_updates"] as? [String: Any])
        #expect(updates["mode"] as? String == "incremental")
        let gcj = try #require(updates["gcj02"] as? [String: [String: Int]])
        #expect(gcj["kept"]!["heat"]! > 0 && gcj["rendered"]!["heat"]! > 0, "\(gcj)")
        #expect(gcj["kept"]!.values.reduce(0, +) > gcj["rendered"]!.values.reduce(0, +), "\(gcj)")

        // A run that adds the GCJ-02 pyramid has none to build on: it renders everything.
        let plain = tmp.appendingPathComponent("plain")
        let r1 = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", day2.path, "--as-of", "2026-11-23", "--out", plain.path,
                             "--min-zoom", "11", "--max-zoom", "13")
        try #require(r1.status == 0, "\(r1.stderr)")
        let r2 = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", day2.path, "--as-of", "2026-11-23", "--out", plain.path,
                             "--min-zoom", "11", "--max-zoom", "13", "--publish-crs", "gcj02")
        try #require(r2.status == 0, "\(r2.stderr)")
        let u = try #require(try json(plain.appendingPathComponent("report.json"))["tile_updates"] as? [String: Any])
        #expect((u["mode"] as? String)?.hasPrefix("full") == true, "\(u)")
    }

    /// Shards draw their part of both pyramids; merged, they equal a single run: every GCJ-02 tile, the
    /// GCJ-02 TileJSON and GeoJSON, the report's counts and the GCJ-02 archives.
    @Test func shardsAndMergeEqualASingleRunInBothPyramids() throws {
        let tmp = try Repo.temporaryFolder()
        let common = ["--boundaries", Repo.demo.path, "--cases", Self.demoCases.path, "--as-of", "2026-11-22",
                      "--min-zoom", "11", "--max-zoom", "14", "--publish-crs", "gcj02,bd09"]
        let single = tmp.appendingPathComponent("single"), merged = tmp.appendingPathComponent("merged")
        let s = try runProcess(Repo.binary, ["run"] + common + ["--out", single.path, "--pmtiles", tmp.appendingPathComponent("single.pmtiles").path])
        try #require(s.status == 0, "\(s.stderr)")
        var shards: [String] = []
        for k in 1...2 {
            let out = tmp.appendingPathComponent("shard\(k)")
            let r = try runProcess(Repo.binary, ["run"] + common + ["--out", out.path, "--shard", "\(k)/2"])
            try #require(r.status == 0, "\(r.stderr)")
            let parts = try relativeFiles(out).filter { $0.hasPrefix("tiles-gcj02/") }.count
            let all = try relativeFiles(single).filter { $0.hasPrefix("tiles-gcj02/") }.count
            #expect(parts > 0 && parts < all, "shard \(k) draws part of the GCJ-02 pyramid: \(parts) of \(all)")
            shards.append(out.path)
        }
        let m = try runProcess(Repo.binary, ["merge", "--out", merged.path, "--pmtiles", tmp.appendingPathComponent("merged.pmtiles").path]
                               + shards)
        try #require(m.status == 0, "\(m.stderr)")
        let files = try relativeFiles(single).filter { !$0.hasPrefix(".") }
        #expect(try relativeFiles(merged) == files)
        for file in files where file != "report.json" {
            #expect(FileManager.default.contentsEqual(atPath: single.appendingPathComponent(file).path,
                                                      andPath: merged.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try timeless(single) == timeless(merged))
        for layer in ["-gcj02", "-gcj02-street", "-gcj02-community", "-gcj02-post"] {
            #expect(FileManager.default.contentsEqual(atPath: tmp.appendingPathComponent("single\(layer).pmtiles").path,
                                                      andPath: tmp.appendingPathComponent("merged\(layer).pmtiles").path), "\(layer)")
        }
    }

    /// A GCJ-02 basemap makes the viewer load the GCJ-02 pyramid, and publishes it without --publish-crs;
    /// the default viewer has no basemap and loads tiles.json.
    @Test func gcj02BasemapImpliesTheGCJ02PyramidInTheViewer() throws {
        let tmp = try Repo.temporaryFolder()
        let out = tmp.appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Self.demoCases.path, "--as-of", "2026-11-22",
                            "--out", out.path, "--min-zoom", "11", "--max-zoom", "12",
                            "--basemap-url", "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
                            "--basemap-crs", "gcj02", "--basemap-subdomains", "1234", "--basemap-attribution", "© 高德地图 </script>")
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try json(out.appendingPathComponent("report.json"))["publish_crs"] as? [String] == ["wgs84", "gcj02"])
        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains(#"const PYRAMID = {"crs":"gcj02","tilejson":"tiles-gcj02.json","suffix":".gcj02"};"#))
        #expect(page.contains(#""subdomains":["1","2","3","4"]"#))
        #expect(page.contains(#"© 高德地图 \u003c/script>"#), "a setting cannot close the page's script")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("tiles-gcj02/community/12").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("streets.bd09.geojson").path))

        let plain = tmp.appendingPathComponent("plain")
        let p = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Self.demoCases.path, "--as-of", "2026-11-22",
                            "--out", plain.path, "--min-zoom", "11", "--max-zoom", "11")
        try #require(p.status == 0, "\(p.stderr)")
        let plainPage = try String(contentsOf: plain.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(plainPage.contains("const BASEMAP = null;"))
        #expect(plainPage.contains(#"const PYRAMID = {"crs":"wgs84","tilejson":"tiles.json","suffix":""};"#))
        #expect(try json(plain.appendingPathComponent("report.json"))["publish_crs"] as? [String] == ["wgs84"])
        #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent("tiles-gcj02").path))
    }

    /// The style's [basemap] is read, checked key by key, and overridden by the command line.
    @Test func styleBasemapAndItsErrors() throws {
        let tmp = try Repo.temporaryFolder()
        let base = try String(contentsOf: Repo.style, encoding: .utf8)
        func run(_ table: String, _ extra: [String] = []) throws -> ProcessResult {
            let style = tmp.appendingPathComponent("style-\(UUID().uuidString.prefix(6)).toml")
            try (base + "\n" + table).write(to: style, atomically: true, encoding: .utf8)
            return try riskmap(["run", "--boundaries", Repo.demo.path, "--cases", Self.demoCases.path, "--as-of", "2026-11-22",
                                "--out", tmp.appendingPathComponent("out").path, "--min-zoom", "11", "--max-zoom", "11",
                                "--style", style.path] + extra)
        }
        let osm = "[basemap]\nurl = \"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"\nattribution = \"© OpenStreetMap\"\n"
        let ok = try run(osm)
        try #require(ok.status == 0, "\(ok.stderr)")
        let page = try String(contentsOf: tmp.appendingPathComponent("out/index.html"), encoding: .utf8)
        #expect(page.contains(#""url":"https://tile.openstreetmap.org/{z}/{x}/{y}.png","crs":"wgs84","attribution":"© OpenStreetMap""#))
        #expect(page.contains(#""tilejson":"tiles.json""#))

        let offline = try run(osm, ["--basemap-url", "none"])
        try #require(offline.status == 0, "\(offline.stderr)")
        #expect(try String(contentsOf: tmp.appendingPathComponent("out/index.html"), encoding: .utf8).contains("const BASEMAP = null;"))

        let amap = try run(osm, ["--basemap-crs", "gcj02"])
        try #require(amap.status == 0, "\(amap.stderr)")
        #expect(try String(contentsOf: tmp.appendingPathComponent("out/index.html"), encoding: .utf8)
            .contains(#""tilejson":"tiles-gcj02.json""#), "--basemap-crs replaces the style's crs")

        for (table, key) in [("[basemap]\nurl = \"https://x/{z}/{x}/{y}.png\"\ncrs = \"bd09\"\n", "basemap.crs"),
                             ("[basemap]\nurl = \"https://x/{z}/{x}.png\"\n", "basemap.url"),
                             ("[basemap]\nurl = \"https://x/{z}/{x}/{y}.png\"\nzoom = 3\n", "basemap.zoom"),
                             ("[basemap]\ncrs = \"wgs84\"\n", "basemap.url")] {
            let r = try run(table)
            #expect(r.status == 1, "\(table): \(r.stderr)")
            #expect(r.stderr.contains("key '\(key)'") && r.stderr.contains("style-"), "\(r.stderr)")
        }
    }

    /// Bad command lines exit 2 and name the option and the value.
    @Test(arguments: [
        (["--publish-crs", "wgs84,utm50"], ["--publish-crs", "'utm50'", "wgs84, gcj02, bd09"]),
        (["--publish-crs", "gcj02,"], ["--publish-crs", "''"]),
        (["--basemap-url", "https://x/{z}/{x}/{y}.png", "--basemap-crs", "bd09"], ["--basemap-crs", "'bd09'", "Baidu"]),
        (["--basemap-url", "https://x/{z}/{x}/{y}.png", "--basemap-crs", "mars"], ["--basemap-crs", "'mars'", "gcj02"]),
        (["--basemap-url", "https://x/{z}/{x}.png"], ["--basemap-url", "{y}"]),
        (["--basemap-crs", "gcj02"], ["--basemap-crs", "needs --basemap-url"]),
    ])
    func badPublishOrBasemapOptionExitsTwo(extra: [String], words: [String]) throws {
        let out = try Repo.temporaryFolder().appendingPathComponent("out")
        let r = try riskmap(["run", "--boundaries", Repo.demo.path, "--cases", Self.demoCases.path, "--out", out.path] + extra)
        #expect(r.status == 2, "\(extra): \(r.stderr)")
        for w in words { #expect(r.stderr.contains(w), "\(extra): \(r.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

