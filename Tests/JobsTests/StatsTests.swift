import Foundation
import TestSupport
import Testing
@testable import Location
@testable import Pipeline
@testable import Publishing
@testable import Stats
@testable import Tiles

/// `riskmap run --db` and `riskmap stats` end to end on the tiny district of BadInputTests.
@Suite struct StatsTests {
    static let cases = """
    工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道
    T1,2026-11-20,噪声,某路1号,114.01,22.51,wgs84,12345
    T2,2026-11-21,噪声;油烟,某路 1 号,114.011,22.511,,12345
    T3,2026-11-22,噪声,某路1号,114.012,22.512,,12345
    T4,2026-11-10,污水,某路9号,114.07,22.53,,12369
    T5,2026-11-22,油烟,某路5号,114.071,22.531,,12369
    T6,2026-10-20,噪声,旧路2号,114.02,22.53,,12345
    """

    /// A run with a database; returns (out, db).
    func runTiny(_ name: String = #function) throws -> (out: URL, db: URL) {
        let d = try TinyDistrict(name)
        let cases = try d.writeCases(Self.cases)
        let root = d.folder.deletingLastPathComponent()
        let out = root.appendingPathComponent("out"), db = root.appendingPathComponent("cases.sqlite")
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path, "--as-of", "2026-11-22",
                            "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path, "--db", db.path)
        try #require(r.status == 0, "\(r.stderr)")
        return (out, db)
    }

    func json(_ r: ProcessResult) throws -> [[String: Any]] {
        try #require(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
    }

    func byID(_ rows: [[String: Any]]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0) })
    }

    @Test func statsFromDatabaseMatchTheRun() throws {
        let (out, db) = try runTiny()
        // --out: the run's folder, whose shapes give the neighbours of Gi*.
        let rows = byID(try json(try riskmap("stats", "--db", db.path, "--out", out.path, "--level", "community", "--format", "json",
                                             "--style", Repo.style.path)))
        #expect(rows["C1"]?["cases"] as? Int == 3)
        // Empty previous window: the trend is the count itself.
        #expect(rows["C1"]?["previous_cases"] as? Int == 0 && rows["C1"]?["trend"] as? Int == 3)
        #expect(rows["C2"]?["cases"] as? Int == 0 && rows["C2"]?["trend"] as? Int == -1)
        #expect(rows["C2"]?["level"] as? String == "green")
        // The same properties as the GeoJSON features, with the same values.
        let geo = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("communities.geojson"))) as! [String: Any]
        for f in geo["features"] as! [[String: Any]] {
            let p = f["properties"] as! [String: Any]
            let row = try #require(rows[p["id"] as! String])
            #expect(Set(row.keys) == Set(p.keys))
            #expect(NSDictionary(dictionary: row).isEqual(to: p), "\(row) ≠ \(p)")
        }
    }

    @Test func filtersByCategoryAndDays() throws {
        let (_, db) = try runTiny()
        let rows = byID(try json(try riskmap("stats", "--db", db.path, "--category", "noise", "--since", "2026-11-21",
                                             "--until", "2026-11-22", "--format", "json", "--style", Repo.style.path)))
        #expect(rows["C1"]?["cases"] as? Int == 2)
        #expect(rows["C3"]?["cases"] as? Int == 0)
        let c3 = byID(try json(try riskmap("stats", "--db", db.path, "--category", "污水", "--as-of", "2026-11-15", "--window", "7",
                                           "--format", "json", "--style", Repo.style.path)))["C3"]
        #expect(c3?["cases"] as? Int == 1)
    }

    @Test func parentSortTopAndFormats() throws {
        let (out, db) = try runTiny()
        let top = try json(try riskmap("stats", "--db", db.path, "--parent", "S1", "--sort", "cases", "--top", "1",
                                       "--format", "json", "--style", Repo.style.path))
        #expect(top.count == 1 && top[0]["id"] as? String == "C1")
        let csv = try riskmap("stats", "--out", out.path, "--format", "csv", "--sort", "trend")
        #expect(csv.status == 0 && csv.stdout.hasPrefix("id,name,parent,cases,score,level,trend"))
        #expect(csv.stdout.split(separator: "\r\n").count == 4)
        let table = try riskmap("stats", "--out", out.path, "--level", "street")
        #expect(table.status == 0 && table.stdout.contains("S1名"), "\(table.stderr)")
    }

    @Test func explainShowsTheSum() throws {
        let (out, db) = try runTiny()
        let r = try riskmap("stats", "--db", db.path, "--explain", "C1", "--style", Repo.style.path)
        #expect(r.status == 0, "\(r.stderr)")
        for m in ["C1 C1名", "噪声", "油烟", "repeats", "total", "level ", "trend +3"] { #expect(r.stdout.contains(m), "\(m): \(r.stdout)") }
        let folder = try riskmap("stats", "--out", out.path, "--explain", "S2")
        #expect(folder.status == 0 && folder.stdout.contains("score by category"), "\(folder.stdout)\(folder.stderr)")
    }

    @Test func hotspotsFileAndListing() throws {
        let (out, db) = try runTiny()
        let geo = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("hotspots.geojson"))) as! [String: Any]
        let features = geo["features"] as! [[String: Any]]
        let first = try #require(features.first?["properties"] as? [String: Any])
        #expect(first["rank"] as? Int == 1 && first["cases"] as? Int == 3 && first["community"] as? String == "C1")
        let listed = try json(try riskmap("stats", "--db", db.path, "--hotspots", "--format", "json", "--style", Repo.style.path))
        #expect(listed.first?["cases"] as? Int == 3 && listed.first?["community"] as? String == "C1")
        let fromFolder = try json(try riskmap("stats", "--out", out.path, "--hotspots", "--format", "json"))
        #expect(fromFolder.count == features.count)
    }

    /// Two runs on one database at once: both succeed and every case is there once.
    @Test func twoRunsAtOnce() throws {
        let (out, db) = try runTiny()
        let d = out.deletingLastPathComponent().appendingPathComponent("district")
        let cases = out.deletingLastPathComponent().appendingPathComponent("cases.csv")
        let results = [0, 1].map { i in
            let p = Process()
            p.executableURL = Repo.binary
            p.arguments = ["run", "--boundaries", d.path, "--cases", cases.path, "--out", out.path + "\(i)", "--as-of", "2026-11-22",
                           "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path, "--db", db.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try? p.run()
            return p
        }
        for p in results { p.waitUntilExit() }
        #expect(results.allSatisfy { $0.terminationStatus == 0 })
        let rows = try json(try riskmap("stats", "--db", db.path, "--level", "street", "--format", "json", "--style", Repo.style.path))
        #expect(rows.reduce(0) { $0 + ($1["cases"] as! Int) } == 5)
    }

    @Test func tableColumnsLineUpByDisplayWidth() {
        #expect(displayWidth("福田区") == 6 && displayWidth("FT01") == 4 && displayWidth("Ｆ") == 2)
        let text = StatsRender(options: StatsOptions(db: nil, out: URL(fileURLWithPath: "."), style: URL(fileURLWithPath: ".")))
            .table(["id", "name", "cases"], [["C1", "福田社区", "12"], ["C10", "ab", "3"]], rightAligned: [2])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(Set(lines.map(displayWidth)).count == 1, "\(lines)")
        #expect(lines[1] == "C1   福田社区     12")
    }
}

/// `riskmap stats --format json` over the demo district's database adds up to report.json.
@Suite struct DemoStatsTests {
    @Test func totalsEqualTheReport() throws {
        let root = try Repo.temporaryFolder("demostats")
        let out = root.appendingPathComponent("out"), db = root.appendingPathComponent("demo.sqlite")
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                            "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "10", "--max-zoom", "10", "--db", db.path)
        try #require(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
        let levels = report["levels"] as! [String: [String: Int]]
        for level in ["street", "community", "post"] {
            for source in [["--db", db.path], ["--out", out.path]] {
                let s = try runProcess(Repo.binary, ["stats", "--level", level, "--format", "json"] + source)
                let rows = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as! [[String: Any]]
                var counts = ["green": 0, "yellow": 0, "red": 0]
                for row in rows { counts[row["level"] as! String]! += 1 }
                #expect(counts == levels[level], "\(level) \(source[0])")
                if level == "street" {
                    #expect(rows.reduce(0) { $0 + ($1["cases"] as! Int) } == report["counted"] as! Int)
                }
            }
        }
    }
}
