import Foundation
import Testing
import TestSupport

/// Issue 16: `run --tiles pmtiles|mbtiles` writes every layer into one archive in the output folder and
/// no tile files; the archives hold exactly the folder run's tiles, each distinct content once; daily
/// runs and the merge of shards rewrite archives to the very bytes of a full single run; in a folder,
/// the tiles inside one zone are hard links to one file. The installed binary, run from a folder of
/// its own; the archives read back by the `pmtiles` package and sqlite3.
@Suite(.serialized) struct ArchiveOutputTests {
    static let layers = ["heat", "street", "community", "post"]

    /// The demo at zooms 10–16 into `work/NAME` with `extra` options.
    @discardableResult
    static func run(_ work: URL, _ name: String, _ extra: [String], asOf: String = "2026-11-22") throws -> URL {
        let r = try installedRiskmap(in: work, ["run", "-q", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                                                "--as-of", asOf, "--min-zoom", "10", "--max-zoom", "16", "--out", name] + extra)
        try #require(r.status == 0, "\(r.stderr)")
        return work.appendingPathComponent(name)
    }

    /// For every layer: the folder run's tiles against the archive's (`kind`), as the independent readers see them.
    static func compare(folder: URL, archives: URL, kind: String) throws -> [String: [String: Int]] {
        let script = """
        import json, os, sys, sqlite3
        from pmtiles.reader import MmapSource, Reader, all_tiles
        folder, archives, kind = sys.argv[1:4]
        out = {}
        for layer in ["heat", "street", "community", "post"]:
            files = {}
            root = os.path.join(folder, "tiles", layer)
            for d, _, fs in os.walk(root):
                for f in fs:
                    z, x, y = os.path.relpath(os.path.join(d, f), root)[:-4].split("/")
                    files[(int(z), int(x), int(y))] = open(os.path.join(d, f), "rb").read()
            path = os.path.join(archives, "tiles", layer + "." + kind)
            if kind == "pmtiles":
                with open(path, "rb") as fh:
                    reader = Reader(MmapSource(fh))
                    tiles = {k: v for k, v in all_tiles(reader.get_bytes)}
                    stored = reader.header()["tile_contents_count"]
            else:
                db = sqlite3.connect(path)
                tiles = {(z, x, (1 << z) - 1 - row): bytes(d) for z, x, row, d in
                         db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")}
                stored = db.execute("SELECT count(*) FROM images").fetchone()[0]
            out[layer] = {"files": len(files), "tiles": len(tiles), "equal": int(files == tiles),
                          "distinct": len(set(files.values())), "stored": stored}
        print(json.dumps(out))
        """
        let r = try python(["-c", script, folder.path, archives.path, kind])
        try #require(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode([String: [String: Int]].self, from: Data(r.stdout.utf8))
    }

    static func pngFiles(under url: URL) -> [String] {
        (FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".png") }
    }

    @Test func archivesHoldTheFolderRunsTilesOnceEach() throws {
        let work = try Repo.temporaryFolder("archive-output")
        let folder = try Self.run(work, "folder", ["--tiles", "folder"])
        for kind in ["pmtiles", "mbtiles"] {
            let archives = try Self.run(work, kind, ["--tiles", kind])
            #expect(Self.pngFiles(under: archives.appendingPathComponent("tiles")).isEmpty, "no tile files with --tiles \(kind)")
            let names = try FileManager.default.contentsOfDirectory(atPath: archives.appendingPathComponent("tiles").path).sorted()
            #expect(names == Self.layers.map { "\($0).\(kind)" }.sorted(), "\(names)")
            for (layer, c) in try Self.compare(folder: folder, archives: archives, kind: kind) {
                #expect(c["files"]! > 0 && c["equal"] == 1, "\(kind) \(layer): \(c)")
                #expect(c["stored"] == c["distinct"], "\(kind) \(layer): each distinct tile stored once: \(c)")
            }
            // The report counts the tiles the archives address, as the folder run counts files.
            let report = { (url: URL) throws -> [String: Int] in
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("report.json"))) as? [String: Any]
                return json?["tiles"] as? [String: Int] ?? [:]
            }
            #expect(try report(archives) == report(folder))
        }
    }

    /// Inside a zone every tile is the one PNG of its colour: in a folder, hard links to one file.
    @Test func flatTilesInAFolderAreHardLinksOfOneFile() throws {
        let work = try Repo.temporaryFolder("archive-links")
        let folder = try Self.run(work, "out", [])
        for layer in ["street", "community"] {
            let root = folder.appendingPathComponent("tiles/\(layer)")
            var inodes: [Data: Set<UInt64>] = [:]
            var linked = 0
            for relative in Self.pngFiles(under: root) {
                let path = root.appendingPathComponent(relative).path
                var info = stat()
                try #require(stat(path, &info) == 0)
                if info.st_nlink > 1 { linked += 1 }
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                if bytes.count <= 2048 { inodes[bytes, default: []].insert(UInt64(info.st_ino)) }
            }
            #expect(linked > 10, "\(layer): \(linked) linked tiles")
            #expect(inodes.values.allSatisfy { $0.count == 1 }, "\(layer): small tiles of one content share one file")
        }
    }

    /// A daily run on the previous day's archives keeps the unchanged tiles' bytes and draws the rest:
    /// the archives equal a full run's byte for byte.
    @Test(arguments: ["pmtiles", "mbtiles"])
    func incrementalArchivesEqualAFullRun(kind: String) throws {
        let work = try Repo.temporaryFolder("archive-daily-\(kind)")
        let daily = try Self.run(work, "daily", ["--tiles", kind])
        try Self.run(work, "daily", ["--tiles", kind], asOf: "2026-11-23")
        let full = try Self.run(work, "full", ["--tiles", kind], asOf: "2026-11-23")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: daily.appendingPathComponent("report.json"))) as? [String: Any]
        let updates = json?["tile_updates"] as? [String: Any]
        #expect(updates?["mode"] as? String == "incremental")
        #expect(((updates?["kept"] as? [String: Int])?["street"] ?? 0) > 0)
        for layer in Self.layers {
            let a = try Data(contentsOf: daily.appendingPathComponent("tiles/\(layer).\(kind)"))
            let b = try Data(contentsOf: full.appendingPathComponent("tiles/\(layer).\(kind)"))
            #expect(a == b, "\(layer).\(kind): the daily run's archive equals the full run's")
        }
    }

    /// Shards writing archives, merged: the merged archives are the single run's, byte for byte, and so
    /// are the outside archives `merge --pmtiles` writes.
    @Test func mergedShardArchivesEqualASingleRun() throws {
        let work = try Repo.temporaryFolder("archive-merge")
        let single = try Self.run(work, "single", ["--tiles", "pmtiles"])
        for k in 1...3 { try Self.run(work, "shard\(k)", ["--tiles", "pmtiles", "--shard", "\(k)/3"]) }
        let r = try installedRiskmap(in: work, ["merge", "-q", "--out", "merged", "--pmtiles", "outside/risk.pmtiles", "shard1", "shard2", "shard3"])
        try #require(r.status == 0, "\(r.stderr)")
        for layer in Self.layers {
            let merged = try Data(contentsOf: work.appendingPathComponent("merged/tiles/\(layer).pmtiles"))
            #expect(merged == (try Data(contentsOf: single.appendingPathComponent("tiles/\(layer).pmtiles"))), "\(layer)")
            let outside = work.appendingPathComponent("outside/risk\(layer == "heat" ? "" : "-\(layer)").pmtiles")
            #expect(try Data(contentsOf: outside) == merged, "\(outside.lastPathComponent)")
        }
        #expect(Self.pngFiles(under: work.appendingPathComponent("merged/tiles")).isEmpty)
    }

    @Test func unknownTileOutputIsACommandLineError() throws {
        let work = try Repo.temporaryFolder("archive-bad")
        let r = try installedRiskmap(in: work, ["run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                                                "--tiles", "zip"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--tiles must be folder, pmtiles, mbtiles"), "\(r.stderr)")
    }
}
