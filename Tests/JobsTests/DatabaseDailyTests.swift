import Foundation
import TestSupport
import Testing

/// Daily runs on the case database: day 1 stores every case; day 2 gives only the day's export (1% new
/// and 0.5% updated cases, scripts/make_day2.py --export) and must publish the same map as a full run
/// on all of day 2's cases: zones, hotspots, tiles, tile state and the MBTiles/PMTiles archives, byte
/// for byte. cases.geojson, rejects.csv and the row counts of report.json describe the run's own
/// input; `counted` and `levels` the database's window.
@Suite struct DatabaseDailyTests {
    struct Day2 { var all: URL; var export: URL }
    static let day2: Day2 = {
        let tmp = try! Repo.temporaryFolder("day2-db")
        let all = tmp.appendingPathComponent("day2.csv"), export = tmp.appendingPathComponent("export.csv")
        let r = try! python([Repo.root.appendingPathComponent("scripts/make_day2.py").path,
                             Repo.demo.appendingPathComponent("cases.csv").path, all.path, "--day", "2026-11-23",
                             "--export", export.path])
        precondition(r.status == 0, r.stderr)
        return Day2(all: all, export: export)
    }()

    func run(_ cases: URL, day: String, out: URL, _ extra: [String]) throws {
        let r = try runProcess(Repo.binary, ["run", "--boundaries", Repo.demo.path, "--cases", cases.path, "--as-of", day,
                                             "--min-zoom", "10", "--max-zoom", "15", "--out", out.path] + extra)
        #expect(r.status == 0, "\(r.stderr)")
    }

    func report(_ folder: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as! [String: Any]
    }

    @Test func dayTwoExportOnTheDatabaseEqualsAFullRenderOfDayTwo() throws {
        let tmp = try Repo.temporaryFolder()
        let out = tmp.appendingPathComponent("daily"), full = tmp.appendingPathComponent("full")
        let db = tmp.appendingPathComponent("cases.db").path
        let archives = tmp.appendingPathComponent("archives-daily"), fullArchives = tmp.appendingPathComponent("archives-full")
        for a in [archives, fullArchives] { try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true) }
        func archiveOptions(_ dir: URL) -> [String] {
            ["--mbtiles", dir.appendingPathComponent("risk.mbtiles").path, "--pmtiles", dir.appendingPathComponent("risk.pmtiles").path]
        }
        try run(Repo.demo.appendingPathComponent("cases.csv"), day: "2026-11-22", out: out, ["--keep", "3", "--db", db])
        try run(Self.day2.export, day: "2026-11-23", out: out, ["--keep", "3", "--db", db] + archiveOptions(archives))
        // The full run on a database of its own: the same history, so the same emerging hot spots.
        try run(Self.day2.all, day: "2026-11-23", out: full,
                ["--db", tmp.appendingPathComponent("full.db").path] + archiveOptions(fullArchives))
        let today = out.appendingPathComponent("2026-11-23")

        // The map: every file but the run's own rows and its report.
        let files = try relativeFiles(full)
        #expect(try relativeFiles(today) == files)
        #expect(files.filter { $0.hasPrefix("tiles/") }.count > 100)
        for file in files where !["report.json", "cases.geojson", "rejects.csv"].contains(file) {
            #expect(FileManager.default.contentsEqual(atPath: today.appendingPathComponent(file).path,
                                                      andPath: full.appendingPathComponent(file).path), "\(file)")
        }
        let names = try relativeFiles(fullArchives)
        let dailyNames = try relativeFiles(archives)
        // One archive per layer of tiles.json and format.
        let layers = (try JSONSerialization.jsonObject(with: Data(contentsOf: full.appendingPathComponent("tiles.json"))) as? [String: Any])?["layers"] as? [Any]
        #expect(names.count == 2 * (layers?.count ?? 0) && names.count >= 8 && dailyNames == names)
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: archives.appendingPathComponent(name).path,
                                                      andPath: fullArchives.appendingPathComponent(name).path), "\(name)")
        }

        // The report: rows of the export, counts of the database's window.
        let r = try report(today), f = try report(full)
        let exportRows = try String(contentsOf: Self.day2.export, encoding: .utf8).split(separator: "\n").count - 1
        #expect(r["input_rows"] as? Int == exportRows)
        #expect((r["located"] as! Int) + (r["rejected"] as! Int) == exportRows)
        #expect(r["counted"] as? Int == f["counted"] as? Int)
        #expect(NSDictionary(dictionary: r["levels"] as! [String: Any]).isEqual(to: f["levels"] as! [String: Any]))
        let database = r["database"] as! [String: Any]
        // 200 new rows, a few of them copies of junk rows (rejected); 100 updated ones.
        #expect((190...200).contains(database["cases_added"] as! Int), "\(database)")
        #expect((database["cases_added"] as! Int) + (database["cases_replaced"] as! Int) == r["located"] as? Int)
        let updates = r["tile_updates"] as! [String: Any]
        #expect(updates["mode"] as? String == "incremental")
        #expect((updates["kept"] as! [String: Int]).values.reduce(0, +) > 0, "\(updates)")

        // cases.geojson holds the export's located cases, and every located one is stored.
        let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: today.appendingPathComponent("cases.geojson"))) as! [String: Any]
        #expect((cases["features"] as! [Any]).count == r["located"] as? Int)
        let rejects = try String(contentsOf: today.appendingPathComponent("rejects.csv"), encoding: .utf8)
        #expect(rejects.split(whereSeparator: \.isNewline).count - 1 == r["rejected"] as? Int)
    }

    /// New boundaries (a street renamed, one community moved to another street): the stored cases are
    /// located again, and a run on an empty export draws what a full run with the new boundaries draws.
    @Test func newBoundariesLocateTheStoredCasesAgain() throws {
        let tmp = try Repo.temporaryFolder()
        let boundaries = tmp.appendingPathComponent("boundaries")
        try FileManager.default.copyItem(at: Repo.demo, to: boundaries)
        let edit = try python(["-c", """
            import json, sys
            folder = sys.argv[1]
            def load(n): return json.load(open(f"{folder}/{n}.geojson", encoding="utf-8"))
            def save(n, d): json.dump(d, open(f"{folder}/{n}.geojson", "w", encoding="utf-8"), ensure_ascii=False)
            streets, communities = load("streets"), load("communities")
            old = streets["features"][0]["properties"]["id"]
            streets["features"][0]["properties"]["id"] = old + "-new"
            for f in communities["features"]:
                if f["properties"]["parent"] == old: f["properties"]["parent"] = old + "-new"
            save("streets", streets); save("communities", communities)
            """, boundaries.path])
        #expect(edit.status == 0, "\(edit.stderr)")
        let export = tmp.appendingPathComponent("empty.csv")
        let header = try String(contentsOf: Repo.demo.appendingPathComponent("cases.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)[0]
        try (header + "\n").write(to: export, atomically: true, encoding: .utf8)

        let db = tmp.appendingPathComponent("cases.db").path
        func run(_ folder: URL, _ cases: URL, _ out: URL, _ extra: [String]) throws {
            let r = try runProcess(Repo.binary, ["run", "--boundaries", folder.path, "--cases", cases.path, "--as-of", "2026-11-22",
                                                 "--min-zoom", "10", "--max-zoom", "12", "--out", out.path] + extra)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let cases = Repo.demo.appendingPathComponent("cases.csv")
        try run(Repo.demo, cases, tmp.appendingPathComponent("day1"), ["--db", db])
        try run(boundaries, export, tmp.appendingPathComponent("daily"), ["--db", db])
        try run(boundaries, cases, tmp.appendingPathComponent("full"), ["--db", tmp.appendingPathComponent("full.db").path])
        for file in ["streets.geojson", "communities.geojson", "posts.geojson", "hotspots.geojson"] {
            #expect(FileManager.default.contentsEqual(atPath: tmp.appendingPathComponent("daily/\(file)").path,
                                                      andPath: tmp.appendingPathComponent("full/\(file)").path), "\(file)")
        }
        let r = try report(tmp.appendingPathComponent("daily"))
        #expect(r["input_rows"] as? Int == 0)
        #expect(r["counted"] as? Int == (try report(tmp.appendingPathComponent("full")))["counted"] as? Int)
        let database = r["database"] as! [String: Any]
        #expect((database["cases_relocated"] as! Int) > 19_000, "\(database)")

        // The same boundaries again: nothing to locate again.
        try run(boundaries, export, tmp.appendingPathComponent("again"), ["--db", db])
        #expect((try report(tmp.appendingPathComponent("again"))["database"] as! [String: Any])["cases_relocated"] as? Int == 0)
    }
}
