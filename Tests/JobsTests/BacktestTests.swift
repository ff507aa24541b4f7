import Foundation
import TestSupport
import Testing
@testable import Output
@testable import Stats
@testable import Store

/// `riskmap evaluate` (issue 15, item 5): PAI, PEI*, hit rate and area share on cases worked out by
/// hand, the naive baseline, the JSON that ../shared/interface.md fixes, and the command line's errors.
@Suite struct BacktestTests {
    // MARK: the measures alone

    /// Four zones of 1, 2, 3 and 4 km² (10 km²) with 6, 2, 9 and 3 next-period cases (20); zones 0 and 1
    /// flagged: 8 hits in 3 km². hit rate 8/20 = 0.4, area share 3/10 = 0.3, PAI 0.4/0.3 = 4/3.
    /// Best 3 km²: by cases per km² 6 (zone 0), 3 (zone 2), 1 (zone 1), 0.75 (zone 3): zone 0 whole
    /// (1 km², 6 cases), then 2 of zone 2's 3 km² (9 × 2/3 = 6 cases): 12. PEI* = 8/12 = 2/3.
    @Test func oneDayByHand() {
        let d = Backtest.outcome(flagged: [0, 1], next: [6, 2, 9, 3], areas: [1, 2, 3, 4])
        #expect(d == DayOutcome(flagged: 2, hits: 8, nextCases: 20, flaggedArea: 3, totalArea: 10, bestHits: 12))
        var tally = BacktestTally()
        tally.add(d)
        let m = tally.measures
        #expect(abs(m.hitRate - 0.4) < 1e-12 && abs(m.areaShare - 0.3) < 1e-12)
        #expect(abs(m.pai - 4.0 / 3) < 1e-12 && abs(m.peiStar - 2.0 / 3) < 1e-12)
        #expect(m.days == 1 && m.redZones == 2 && m.nextCases == 20 && m.hits == 8)
    }

    /// The best choice is the ceiling: flagging it gives PEI* 1; nothing flagged gives 0, and PAI 0
    /// (no area: the ratio has no meaning).
    @Test func bestChoiceAndNothingFlagged() {
        var best = BacktestTally(), none = BacktestTally()
        best.add(Backtest.outcome(flagged: [0, 2], next: [6, 2, 9, 3], areas: [1, 2, 3, 4]))
        none.add(Backtest.outcome(flagged: [], next: [6, 2, 9, 3], areas: [1, 2, 3, 4]))
        #expect(best.measures.peiStar == 1)
        #expect(none.measures.pai == 0 && none.measures.peiStar == 0 && none.measures.hitRate == 0 && none.measures.nextCases == 20)
    }

    /// The baseline takes the zones with the most window cases; ties go to the smaller id.
    @Test func baselineTiesByID() {
        #expect(Backtest.baseline(count: 2, windowCases: [3, 5, 3, 1], ids: ["C9", "C5", "C1", "C0"]) == [1, 2])
        #expect(Backtest.baseline(count: 0, windowCases: [3, 5], ids: ["a", "b"]).isEmpty)
    }

    // MARK: the whole command on a database worked out by hand

    /// Streets S1 (west) and S2 (east), squares of 0.05° on the same latitudes: equal areas A.
    /// Communities C1 and C2 halve S1 by longitude (A/2 each); C3 is all of S2 (A). Posts: one point
    /// each (no area), never red.
    static func district(_ folder: URL) throws {
        func square(_ x0: Double, _ x1: Double) -> String { TinyDistrict.square(x0, 22.50, x1, 22.55) }
        let files = [
            "streets.geojson": [TinyDistrict.feature("S1", parent: nil, geometry: square(114.00, 114.05)),
                                TinyDistrict.feature("S2", parent: nil, geometry: square(114.05, 114.10))],
            "communities.geojson": [TinyDistrict.feature("C1", parent: "S1", geometry: square(114.00, 114.025)),
                                    TinyDistrict.feature("C2", parent: "S1", geometry: square(114.025, 114.05)),
                                    TinyDistrict.feature("C3", parent: "S2", geometry: square(114.05, 114.10))],
            "posts.geojson": [TinyDistrict.feature("P1", parent: "C1", geometry: "[114.01,22.52]", type: "Point"),
                              TinyDistrict.feature("P2", parent: "C2", geometry: "[114.04,22.52]", type: "Point"),
                              TinyDistrict.feature("P3", parent: "C3", geometry: "[114.07,22.52]", type: "Point")],
        ]
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, features) in files { try Data(TinyDistrict.collection(features).utf8).write(to: folder.appendingPathComponent(name)) }
    }

    /// Window 2 days, no decay, no repeat extra, 噪声 weighs 1 and 污水 2; a community is red from a
    /// score of 3.5; streets and posts never are.
    static let style = """
        window_days = 2
        half_life_days = 0
        min_cases_red = 1
        other_weight = 0.5
        [repeat]
        min_cases = 2
        extra = 0
        [hotspots]
        count = 3
        cell_m = 100
        [categories."噪声"]
        words = ["噪声"]
        weight = 1
        [categories."污水"]
        words = ["污水"]
        weight = 2
        [thresholds.street]
        by = "score"
        yellow = 100
        red = 200
        [thresholds.community]
        by = "score"
        yellow = 1
        red = 3.5
        [thresholds.post]
        by = "score"
        yellow = 100
        red = 200
        [colors]
        green = "#2E7D32"
        yellow = "#F9A825"
        red = "#C62828"
        fill_opacity = 0.45
        outline = "#37474F"
        """

    /// Points inside C1, C2 and C3 (each case its own address).
    static let points = ["C1": (114.01, 22.52), "C2": (114.04, 22.52), "C3": (114.07, 22.52)]

    /// (day of November, community, category, count):
    ///   01: C1 污水 1
    ///   02: C1 污水 1, C3 噪声 1
    ///   03: C1 污水 1, C3 噪声 2
    ///   04: C2 噪声 2, C3 噪声 1
    ///   05: C3 噪声 2, C1 噪声 1
    static let plan: [(Int, String, String, Int)] = [
        (1, "C1", "污水", 1), (2, "C1", "污水", 1), (2, "C3", "噪声", 1), (3, "C1", "污水", 1), (3, "C3", "噪声", 2),
        (4, "C2", "噪声", 2), (4, "C3", "噪声", 1), (5, "C3", "噪声", 2), (5, "C1", "噪声", 1),
    ]

    /// The database of `plan` (one run as of 2026-11-05) and the style file, in a fresh folder.
    static func database(_ name: String = #function) throws -> (folder: URL, db: URL, style: URL) {
        let folder = try Repo.temporaryFolder(name)
        let boundaries = folder.appendingPathComponent("district")
        try district(boundaries)
        let style = folder.appendingPathComponent("style.toml")
        try Data(Self.style.utf8).write(to: style)
        var rows = ["工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道"], n = 0
        for (day, zone, category, count) in plan {
            for _ in 0..<count {
                n += 1
                let p = points[zone]!
                rows.append("E\(n),2026-11-0\(day),\(category),某路\(n)号,\(p.0 + Double(n) * 1e-5),\(p.1),wgs84,12345")
            }
        }
        let cases = folder.appendingPathComponent("cases.csv")
        try Data(rows.joined(separator: "\n").utf8).write(to: cases)
        let db = folder.appendingPathComponent("cases.sqlite")
        let r = try riskmap("run", "--boundaries", boundaries.path, "--cases", cases.path, "--out", folder.appendingPathComponent("out").path,
                            "--as-of", "2026-11-05", "--min-zoom", "10", "--max-zoom", "10", "--style", style.path, "--db", db.path, "-q")
        try #require(r.status == 0, "\(r.stderr)")
        return (folder, db, style)
    }

    static func json(_ r: ProcessResult) throws -> [String: Any] {
        try #require(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// Days D1 = 11-02 and D2 = 11-03, horizon 2. Windows: D1 {01, 02}, D2 {02, 03}; next periods:
    /// D1 {03, 04}, D2 {04, 05}: C1 1, C2 2, C3 3 both times (6 cases a day, 12 in all).
    ///
    /// Map: D1 window C1 = 2 × 污水 = score 4 (red), C3 = 1; D2 window C1 = score 4 (red, 2 cases), C3 =
    /// 3 × 噪声 = 3 (3 cases, not red). Red: C1 both days: 1 hit each, A/2 each.
    ///   Best for A/2: densities C2 2/(A/2) = 4/A > C3 3/A > C1 2/A: C2 whole = 2 cases; both days.
    ///   hit rate 2/12 = 1/6; area share (A/2 + A/2) / (2A + 2A) = 1/4; PAI (1/6)/(1/4) = 2/3;
    ///   PEI* 2/(2 + 2) = 1/2; 1 red zone a day.
    /// Baseline (as many zones as red, by window cases): D1 C1 (2 cases) → 1 hit, A/2, best 2;
    ///   D2 C3 (3 cases against C1's 2) → 3 hits, A, best for A: C2 (A/2, 2) then half of C3 (3 × 1/2) = 3.5.
    ///   hit rate 4/12 = 1/3; area share (A/2 + A) / 4A = 3/8; PAI (1/3)/(3/8) = 8/9; PEI* 4/5.5 = 8/11.
    /// Streets: nothing red: hits 0, PAI 0, PEI* 0; next-period cases S1 3 + S2 3 a day: 12.
    @Test func handComputedDatabase() throws {
        let (folder, db, style) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let doc = try Self.json(try riskmap("evaluate", "--db", db.path, "--from", "2026-11-02", "--to", "2026-11-03",
                                            "--horizon", "2", "--style", style.path, "--format", "json"))
        #expect(doc["from"] as? String == "2026-11-02" && doc["to"] as? String == "2026-11-03" && doc["horizon"] as? Int == 2)
        let levels = try #require(doc["levels"] as? [String: [String: Any]])
        let community = try #require(levels["community"]), baseline = try #require(community["baseline"] as? [String: Any])
        // The stored (geodesic) areas of the halves and of the whole agree to 1 part in 10⁸, not to the
        // last bit: the figures are compared to 1e-6.
        let areas = try CaseStore(url: db, create: false).zones(.community).areas
        let a = try #require(areas["C1"]), b = try #require(areas["C2"]), c = try #require(areas["C3"])
        #expect(abs(a / b - 1) < 1e-7 && abs(c / (a + b) - 1) < 1e-7, "\(areas)")
        func near(_ o: [String: Any], _ key: String, _ value: Double) {
            let x = o[key] as? Double ?? .nan
            #expect(abs(x - value) < 1e-6, "\(key): \(x) ≠ \(value)")
        }
        near(community, "hit_rate", 1.0 / 6); near(community, "area_share", 0.25); near(community, "pai", 2.0 / 3)
        near(community, "pei_star", 0.5); near(community, "red_zones", 1)
        #expect(community["days"] as? Int == 2 && community["next_cases"] as? Int == 12 && community["hits"] as? Int == 2)
        near(baseline, "hit_rate", 1.0 / 3); near(baseline, "area_share", 3.0 / 8); near(baseline, "pai", 8.0 / 9)
        near(baseline, "pei_star", 8.0 / 11); near(baseline, "red_zones", 1)
        #expect(baseline["hits"] as? Int == 4 && baseline["next_cases"] as? Int == 12)
        let street = try #require(levels["street"])
        near(street, "pai", 0); near(street, "pei_star", 0); near(street, "hit_rate", 0); near(street, "area_share", 0)
        #expect(street["next_cases"] as? Int == 12)

        // The table: one row per level and map.
        let table = try riskmap("evaluate", "--db", db.path, "--from", "2026-11-02", "--to", "2026-11-03", "--horizon", "2",
                                "--style", style.path)
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("community") }
        #expect(rows.count == 2 && rows[0].contains("red zones") && rows[0].contains("16.7%") && rows[0].contains("0.67")
                && rows[1].contains("baseline") && rows[1].contains("0.89"), "\(table.stdout)")
    }

    /// Days outside the history: a window that starts before the first stored day, or a horizon that
    /// ends after the last, are refused (exit 2) naming the option and the days that would do.
    @Test func daysOutsideTheHistory() throws {
        let (folder, db, style) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let early = try riskmap("evaluate", "--db", db.path, "--from", "2026-11-01", "--to", "2026-11-03", "--horizon", "2",
                                "--style", style.path)
        #expect(early.status == 2 && early.stderr.contains("--from") && early.stderr.contains("2026-11-02"), "\(early.stderr)")
        let late = try riskmap("evaluate", "--db", db.path, "--from", "2026-11-02", "--to", "2026-11-04", "--horizon", "3",
                               "--style", style.path)
        #expect(late.status == 2 && late.stderr.contains("--to") && late.stderr.contains("lacks 2 days")
                && late.stderr.contains("2026-11-02"), "\(late.stderr)")
    }

    /// The installed binary from a folder of its own: the JSON keys ../shared/interface.md fixes (one
    /// object per level with pai, pei_star, hit_rate, area_share, the same under baseline), and the
    /// command line's mistakes: exit 2 naming the option; a missing database: exit 1 naming it.
    @Test func installedBinaryKeysAndErrors() throws {
        let (folder, db, style) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try installedRiskmap(in: folder, ["evaluate", "--db", db.lastPathComponent, "--from", "2026-11-02", "--to", "2026-11-03",
                                                  "--horizon", "2", "--style", style.lastPathComponent, "--format", "json"])
        let doc = try Self.json(r)
        let levels = try #require(doc["levels"] as? [String: [String: Any]])
        #expect(Set(levels.keys) == ["street", "community", "post"])
        let keys: Set = ["pai", "pei_star", "hit_rate", "area_share"]
        for (name, level) in levels {
            #expect(keys.isSubset(of: Set(level.keys)), "\(name)")
            #expect(keys.isSubset(of: Set((level["baseline"] as? [String: Any] ?? [:]).keys)), "\(name) baseline")
            #expect(keys.allSatisfy { level[$0] is Double || level[$0] is Int }, "\(name)")
        }
        // The document type reads what the command wrote.
        let typed = try DocumentJSON.decode(BacktestDocument.self, from: Data(r.stdout.utf8))
        #expect(typed.levels["community"]?.baseline.hits == 4 && typed.windowDays == 2)

        let zero = try installedRiskmap(in: folder, ["evaluate", "--db", "cases.sqlite", "--from", "2026-11-02", "--to", "2026-11-03",
                                                     "--horizon", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--horizon"), "\(zero.stderr)")
        let backwards = try installedRiskmap(in: folder, ["evaluate", "--db", "cases.sqlite", "--from", "2026-11-03", "--to", "2026-11-02"])
        #expect(backwards.status == 2 && backwards.stderr.contains("--to") && backwards.stderr.contains("--from"), "\(backwards.stderr)")
        let missing = try installedRiskmap(in: folder, ["evaluate", "--db", "nothing.sqlite", "--from", "2026-11-02", "--to", "2026-11-03"])
        #expect(missing.status == 1 && missing.stderr.contains("nothing.sqlite"), "\(missing.stderr)")
    }
}
