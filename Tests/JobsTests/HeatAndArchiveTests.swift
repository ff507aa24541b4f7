import Foundation
import TestSupport
import Testing
@testable import Output
@testable import Publishing
import Rendering
import Archives

/// The heat layer, the documents that describe it and the archives, end to end: `riskmap run` on the
/// demo district, read back by independent readers (sqlite3 + the MBTiles spec, the `pmtiles` package;
/// scripts/oracles/check_archives.py).
@Suite(.serialized) struct HeatAndArchiveTests {
    static let run: (out: URL, mbtiles: URL, pmtiles: URL) = {
        let dir = try! Repo.temporaryFolder("heatrun")
        let out = dir.appendingPathComponent("out")
        let mb = dir.appendingPathComponent("risk.mbtiles"), pm = dir.appendingPathComponent("risk.pmtiles")
        let r = try! riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                             "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "11", "--max-zoom", "14",
                             "--mbtiles", mb.path, "--pmtiles", pm.path)
        precondition(r.status == 0, "demo run failed: \(r.stderr)")
        return (out, mb, pm)
    }()

    func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: Self.run.out.appendingPathComponent(name))) as! [String: Any]
    }

    @Test(arguments: ["heat", "street", "community", "post"])
    func archivesHoldExactlyTheFolderTiles(layer: String) throws {
        let base = Self.run
        let suffix = layer == "heat" ? "" : "-\(layer)"
        let mb = base.mbtiles.deletingLastPathComponent().appendingPathComponent("risk\(suffix).mbtiles")
        let pm = base.pmtiles.deletingLastPathComponent().appendingPathComponent("risk\(suffix).pmtiles")
        let r = try python([Repo.root.appendingPathComponent("scripts/oracles/check_archives.py").path,
                            base.out.path, layer, mb.path, pm.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((summary?["tiles"] as? Int ?? 0) > 10)
        #expect(summary?["mbtiles_name"] as? String == "riskmap \(layer)")
        #expect(summary?["pm_minzoom"] as? Int == 11 && summary?["pm_maxzoom"] as? Int == 14)
    }

    @Test func tileJSONListsEveryLayerWithHeatFirst() throws {
        let t = try json("tiles.json")
        #expect(t["tilejson"] as? String == "3.0.0")
        let layers = t["layers"] as! [[String: Any]]
        #expect(layers.map { $0["id"] as! String } == ["heat", "street", "community", "post"])
        for l in layers {
            #expect(l["tilejson"] as? String == "3.0.0")
            #expect((l["tiles"] as? [String])?.first == "tiles/\(l["id"]!)/{z}/{x}/{y}.png")
            #expect(l["minzoom"] as? Int == 11 && l["maxzoom"] as? Int == 14)
        }
        let heat = Self.run.out.appendingPathComponent("tiles/heat/14")
        #expect(FileManager.default.fileExists(atPath: heat.path))
    }

    @Test func legendHoldsTheHeatUnitsBreakpointsAndColours() throws {
        let heat = try json("legend.json")["heat"] as! [String: Any]
        #expect((heat["units"] as? String)?.contains("per km²") == true)
        #expect(heat["breakpoints"] as? [Double] == [100, 400, 1600])
        #expect(heat["colors"] as? [String] == ["#2E7D32", "#F9A825", "#C62828"])
        #expect(heat["bandwidth_m"] as? Double == 150)
    }

    /// A style whose [heatmap] is wrong stops the run (exit 1) naming the style file and the key, and
    /// writes no output folder.
    @Test(arguments: [
        ("breakpoints = [100.0, 400.0, 1600.0]", "breakpoints = [100.0, 1600.0, 400.0]", "heatmap.breakpoints"),
        ("bandwidth_m = 150.0", "bandwidth_m = 0", "heatmap.bandwidth_m"),
        ("bandwidth_m = 150.0", "bandwidth_m = -50.0", "heatmap.bandwidth_m"),
        ("colors = [\"#2E7D32\", \"#F9A825\", \"#C62828\"]", "colors = [\"#2E7D32\", \"orange\", \"#C62828\"]", "heatmap.colors"),
        ("colors = [\"#2E7D32\", \"#F9A825\", \"#C62828\"]", "colors = [\"#2E7D32\", \"#C62828\"]", "heatmap.colors"),
    ])
    func badHeatmapStyleStopsTheRun(from: String, to: String, key: String) throws {
        let dir = try Repo.temporaryFolder("badheat")
        let text = try String(contentsOf: Repo.style, encoding: .utf8)
        #expect(text.contains(from))
        let style = dir.appendingPathComponent("bad.toml")
        try text.replacingOccurrences(of: from, with: to).write(to: style, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                            "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "12", "--max-zoom", "12",
                            "--style", style.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains(style.path) && r.stderr.contains("'\(key)'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// Many tiles: the root directory no longer fits in 16 KiB, so entries go to leaf directories; runs
    /// of identical tiles share entries. The `pmtiles` package reads every tile back. (Directories are
    /// compressed: tile lengths that vary at random keep them from shrinking into the root.)
    @Test func largePMTilesUseLeafDirectoriesAndDeduplicate() throws {
        var tiles: [TileID: [UInt8]] = [:]
        var seed: UInt64 = 42
        for x in 0..<256 { for y in 0..<256 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let padding = String(repeating: "#", count: Int(seed >> 56))
            tiles[TileID(z: 8, x: x, y: y)] = (x + y) % 3 == 0 ? [1, 2, 3] : Array("\(x)/\(y)\(padding)".utf8)
        } }
        let url = try Repo.temporaryFolder("pmleaves").appendingPathComponent("big.pmtiles")
        let info = TileSetInfo(name: "t", description: "t", bounds: (-180, -85, 180, 85), minZoom: 8, maxZoom: 8, tileSize: 256)
        try PMTilesWriter.write(tiles, info: info, to: url)
        let script = """
        import sys, json
        from pmtiles.reader import MmapSource, Reader, all_tiles
        with open(sys.argv[1], "rb") as f:
            src = MmapSource(f); h = Reader(src).header()
            t = {f"{z}/{x}/{y}": d.decode() if d != bytes([1, 2, 3]) else "same" for (z, x, y), d in all_tiles(src)}
        print(json.dumps({"leaf": h["leaf_directory_length"], "contents": h["tile_contents_count"], "tiles": t}))
        """
        let r = try python(["-c", script, url.path])
        #expect(r.status == 0, "\(r.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((got["leaf"] as! Int) > 0)
        let read = got["tiles"] as! [String: String]
        #expect(read.count == tiles.count)
        for (id, data) in tiles { #expect(read["\(id)"] == (data == [1, 2, 3] ? "same" : String(decoding: data, as: UTF8.self))) }
        #expect(got["contents"] as? Int == tiles.values.filter { $0 != [1, 2, 3] }.count + 1)
    }

    /// PMTiles directories and metadata are deflated (zlib), not stored: the `pmtiles` package reads them;
    /// Python's zlib gives the root directory back, several times its stored size, within the first 16 KiB.
    @Test func pmtilesDirectoriesAreCompressed() throws {
        var tiles: [TileID: [UInt8]] = [:]
        for x in 0..<64 { for y in 0..<64 { tiles[TileID(z: 6, x: x, y: y)] = Array("\(x)/\(y)".utf8) } }
        let url = try Repo.temporaryFolder("pmgzip").appendingPathComponent("z.pmtiles")
        let info = TileSetInfo(name: "t", description: "t", bounds: (-180, -85, 180, 85), minZoom: 6, maxZoom: 6, tileSize: 256,
                               version: "20261122")
        try PMTilesWriter.write(tiles, info: info, to: url)
        let script = """
        import sys, json, gzip
        from pmtiles.reader import MmapSource, Reader, all_tiles
        from pmtiles.tile import Compression
        with open(sys.argv[1], "rb") as f:
            src = MmapSource(f); r = Reader(src); h = r.header()
            n = sum(1 for _ in all_tiles(src))
            raw = open(sys.argv[1], "rb").read()
            root = raw[h["root_offset"]:h["root_offset"] + h["root_length"]]
            print(json.dumps({"gzip": h["internal_compression"] == Compression.GZIP, "tiles": n,
                              "root": h["root_length"], "root_raw": len(gzip.decompress(root)),
                              "leaves": h["leaf_directory_length"], "version": r.metadata().get("version")}))
        """
        let r = try python(["-c", script, url.path])
        #expect(r.status == 0, "\(r.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(got["gzip"] as? Bool == true && got["tiles"] as? Int == tiles.count, "\(got)")
        let root = got["root"] as? Int ?? .max, rawRoot = got["root_raw"] as? Int ?? 0
        #expect(root <= 16_384 - 127 && root * 3 < rawRoot, "\(got)")
        #expect(got["leaves"] as? Int == 0, "4,096 entries fit in a compressed root: \(got)")
        #expect(got["version"] as? String == "20261122")
    }
}
