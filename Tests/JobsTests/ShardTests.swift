import Foundation
import TestSupport
import Testing

/// `run --shard K/N` and `merge`: the merged shards equal a single run, byte for byte.
///
/// "Equal" is exact for every file of the folder and every archive, except report.json, where the
/// fields that measure time differ from run to run: `generated_at`, `timings_s` and `geocode.seconds`.
/// Everything else in report.json (counts, levels, tile counts, style) is compared too.
@Suite struct ShardTests {
    static let common = ["--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                         "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "13"]

    func run(_ extra: [String]) throws -> ProcessResult {
        try runProcess(Repo.binary, ["run"] + Self.common + extra)
    }

    @Test func mergedShardsEqualASingleRun() throws {
        let tmp = try Repo.temporaryFolder()
        let single = tmp.appendingPathComponent("single"), merged = tmp.appendingPathComponent("merged")
        try #require(try run(["--out", single.path, "--pmtiles", tmp.appendingPathComponent("single.pmtiles").path,
                              "--mbtiles", tmp.appendingPathComponent("single.mbtiles").path]).status == 0)
        var shards: [String] = []
        for k in 1...3 {
            let out = tmp.appendingPathComponent("shard\(k)")
            try #require(try run(["--out", out.path, "--shard", "\(k)/3"]).status == 0)
            shards.append(out.path)
        }
        let m = try runProcess(Repo.binary, ["merge", "--out", merged.path, "--pmtiles", tmp.appendingPathComponent("merged.pmtiles").path,
                             "--mbtiles", tmp.appendingPathComponent("merged.mbtiles").path] + shards.reversed())
        try #require(m.status == 0, "\(m.stderr)")

        // The single run's hidden tile state (for the next incremental run) is not part of the map.
        let files = try relativeFiles(single).filter { !$0.hasPrefix(".") }
        #expect(try relativeFiles(merged) == files)
        #expect(files.filter { $0.hasPrefix("tiles/") }.count > 50)
        for file in files where file != "report.json" {
            #expect(FileManager.default.contentsEqual(atPath: single.appendingPathComponent(file).path,
                                                      andPath: merged.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try timeless(single) == timeless(merged))
        for layer in ["", "-street", "-community", "-post"] {
            for ext in ["pmtiles", "mbtiles"] {
                #expect(FileManager.default.contentsEqual(atPath: tmp.appendingPathComponent("single\(layer).\(ext)").path,
                                                          andPath: tmp.appendingPathComponent("merged\(layer).\(ext)").path),
                        "\(layer).\(ext)")
            }
        }
    }

    @Test func shardsSplitTheTilesWithoutOverlap() throws {
        let tmp = try Repo.temporaryFolder()
        var seen: [String: Int] = [:]
        for k in 1...2 {
            let out = tmp.appendingPathComponent("shard\(k)")
            try #require(try run(["--out", out.path, "--shard", "\(k)/2"]).status == 0)
            for file in try relativeFiles(out) where file.hasPrefix("tiles/") { seen[file, default: 0] += 1 }
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
            #expect(report["shard"] as? String == "\(k)/2")
        }
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(seen.count > 20)
    }

    @Test func mergeRefusesAnIncompleteOrMixedSet() throws {
        let tmp = try Repo.temporaryFolder()
        let one = tmp.appendingPathComponent("one"), three = tmp.appendingPathComponent("three")
        try #require(try run(["--out", one.path, "--shard", "1/3"]).status == 0)
        try #require(try run(["--out", three.path, "--shard", "3/3"]).status == 0)
        let missing = try riskmap("merge", "--out", tmp.appendingPathComponent("m").path, one.path, three.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("2/3 missing"), "\(missing.stderr)")
        let twice = try riskmap("merge", "--out", tmp.appendingPathComponent("m").path, one.path, one.path)
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("both shard 1/3"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.appendingPathComponent("m").path))
        let bad = try run(["--out", tmp.appendingPathComponent("x").path, "--shard", "4/3"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--shard"))
    }
}

/// Every regular file under `root`, as sorted relative paths.
func relativeFiles(_ root: URL) throws -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var files: [String] = []
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isDirectory),
           !isDirectory.boolValue { files.append(relative) }
    }
    return files.sorted()
}

/// report.json without the fields that measure time (and `more`), as canonical JSON text.
func timeless(_ folder: URL, dropping more: [String] = []) throws -> String {
    var report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as! [String: Any]
    for key in ["generated_at", "timings_s"] + more { report[key] = nil }
    if var geocode = report["geocode"] as? [String: Any] {
        geocode["seconds"] = nil
        report["geocode"] = geocode
    }
    return String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self)
}
