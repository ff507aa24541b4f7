import Foundation
import Geometry
import Model
import TestSupport
import Testing
@testable import Risk
@testable import Output

/// Repeat complaints (issue 15, item 4): addresses and places with at least K cases in the window,
/// from the finder on a hand-built set to `stats --repeats` and the `repeats.csv` a run writes.
@Suite struct RepeatsTests {
    static let window = Window(asOf: Day(iso: "2026-11-30")!, days: 30)
    /// 40 m northwards, in the finder's frame (110,574 m per degree of latitude).
    static let forty = 40 / 110_574.0

    static func day(_ d: Int) -> Day { Day(year: 2026, month: 11, day: d)! }

    /// Address A, three spellings of one door (4 cases, one without a point); address B (4 cases in the
    /// window, one more before it); a place of three addresses 40 m apart in a line (the ends 80 m apart:
    /// linked through the middle one); a fourth address 60 m further on, alone.
    static func cases(_ table: inout CategoryTable) -> [RepeatCase] {
        let noise = table.id(of: "噪声"), fume = table.id(of: "油烟"), sewage = table.id(of: "污水")
        let a = ZoneRef(street: "S1", community: "C1", post: "P1"), b = ZoneRef(street: "S1", community: "C2", post: "P3")
        func c(_ d: Day, _ category: Int, _ address: String, _ point: Coordinate?, _ zones: ZoneRef) -> RepeatCase {
            RepeatCase(day: d, category: category, address: address, addressKey: AddressKey.of(address), point: point, zones: zones)
        }
        let pa = Coordinate(114.05, 22.50), pb = Coordinate(114.06, 22.50)
        let line = (0..<3).map { Coordinate(114.07, 22.51 + Double($0) * forty) }
        return [
            c(day(2), noise, "福华路1号", pa, a), c(day(20), noise, "福华路 1 号", pa, a),
            c(day(25), fume, "福华路１号", pa, ZoneRef(street: "S1", community: "C1", post: "P2")),
            c(day(21), noise, "福华路1号", nil, ZoneRef(street: "S1")),
            c(day(3), sewage, "滨河路8号", pb, b), c(day(4), sewage, "滨河路8号", pb, b), c(day(5), sewage, "滨河路8号", pb, b),
            c(day(28), sewage, "滨河路8号", pb, b), c(Day(iso: "2026-10-20")!, sewage, "滨河路8号", pb, b),
            c(day(10), noise, "深南路10号", line[0], ZoneRef(street: "S2", community: "C3", post: "P4")),
            c(day(17), noise, "深南路12号", line[1], ZoneRef(street: "S2", community: "C3", post: "P5")),
            c(day(18), fume, "深南路14号", line[2], ZoneRef(street: "S2", community: "C3", post: "P4")),
            c(day(19), noise, "深南路16号", Coordinate(114.07, 22.51 + 2 * forty + 60 / 110_574.0), ZoneRef(street: "S2")),
        ]
    }

    static func find(minCases: Int = 3, within: Double = 50, shuffled: Bool = false) throws -> [RepeatGroup] {
        var table = CategoryTable(style: try Style.builtIn())
        var input = cases(&table)
        if shuffled { input.reverse() }
        return RepeatFinder(rule: RepeatsRule(minCases: minCases, withinMetres: within), window: window)
            .find(input, categories: table.resolved)
    }

    @Test func addressesAndASpreadPlace() throws {
        let found = try Self.find()
        // A and B have 4 cases each (B's address sorts first: 滨 U+6EE8 < 福 U+798F), then the place of 3.
        try #require(found.count == 3, "\(found)")
        let b = found[0], a = found[1], place = found[2]
        #expect(b.kind == .address && b.address == "滨河路8号" && b.cases == 4 && b.addresses == 1)
        #expect(b.first == Self.day(3) && b.last == Self.day(28) && b.categories == ["污水": 4])
        // Second half (11-16 … 11-30) 1 case, first half (11-01 … 11-15) 3: trend −2.
        #expect(b.trend == -2)
        #expect(b.zones == ZoneRef(street: "S1", community: "C2", post: "P3"))
        #expect(a.kind == .address && a.cases == 4 && a.address == "福华路1号" && a.addresses == 1)
        #expect(a.categories == ["噪声": 3, "油烟": 1] && a.first == Self.day(2) && a.last == Self.day(25) && a.trend == 2)
        // The majority of each level: P1 (2 cases) over P2 (1); the case without a point has only its street.
        #expect(a.zones == ZoneRef(street: "S1", community: "C1", post: "P1"))
        #expect(a.center == Coordinate(114.05, 22.50))
        #expect(place.kind == .place && place.cases == 3 && place.addresses == 3 && place.address == "深南路10号")
        #expect(place.zones == ZoneRef(street: "S2", community: "C3", post: "P4"))
        #expect(place.first == Self.day(10) && place.last == Self.day(18) && place.trend == 1)
        #expect(abs(place.center!.y - (22.51 + Self.forty)) < 1e-12 && place.center!.x == 114.07)
        #expect(try Self.find(shuffled: true) == found)
    }

    /// K: 4 keeps the two addresses, 5 nothing; 30 m breaks the place's chain.
    @Test func thresholds() throws {
        #expect(try Self.find(minCases: 4).map(\.address) == ["滨河路8号", "福华路1号"])
        #expect(try Self.find(minCases: 5).isEmpty)
        #expect(try Self.find(within: 30).allSatisfy { $0.kind == .address })
        // 70 m links the lone fourth address too.
        #expect(try Self.find(within: 70).first { $0.kind == .place }?.cases == 4)
    }

    /// The places of 3,000 random cases (clusters, repeated points, addresses without points, shared
    /// addresses far apart) equal an independent answer: scipy's KD-tree pairs within 50 m in the same
    /// frame, joined with the pairs of one address, as connected components (scipy.sparse.csgraph).
    @Test func placesEqualScipysComponents() throws {
        var rng = SplitMix64(seed: 16)   // Risk's: the same random cases on every run
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var cases: [RepeatCase] = []
        let zones = ZoneRef(street: "S1")
        for i in 0..<3_000 {
            // 60 cluster centres in a 6 × 4 km box; cases within ~120 m of one, a tenth on a shared point.
            let centre = Int(rng.next() % 60)
            let cx = 114.0 + Double(centre % 10) * 0.006, cy = 22.5 + Double(centre / 10) * 0.006
            var point: Coordinate? = Coordinate(cx + (unit() - 0.5) * 0.0024, cy + (unit() - 0.5) * 0.0024)
            if rng.next() % 10 == 0 { point = Coordinate(cx, cy) }
            if rng.next() % 25 == 0 { point = nil }
            // 400 addresses: a tenth of the cases share one with cases of other clusters.
            let address = "测试路\(rng.next() % 10 == 0 ? Int(rng.next() % 400) : 1_000 + i)号"
            cases.append(RepeatCase(day: Self.day(1 + i % 28), category: 0, address: address,
                                    addressKey: AddressKey.of(address), point: point, zones: zones))
        }
        let finder = RepeatFinder(rule: RepeatsRule(minCases: 3, withinMetres: 50), window: Self.window)
        let byAddress = Runs(count: cases.count) { cases[$0].addressKey }
        let found = Set(finder.placeMembers(cases, byAddress: byAddress).map { $0.sorted() })

        let input = cases.enumerated().compactMap { i, c in
            c.point.map { "\(i) \($0.x) \($0.y) \(c.addressKey)" }
        }.joined(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("repeats-\(UUID().uuidString).txt")
        try input.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
        import sys, math, collections
        import numpy as np
        from scipy.spatial import cKDTree
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
        ids = [int(r[0]) for r in rows]; lon = np.array([float(r[1]) for r in rows]); lat = np.array([float(r[2]) for r in rows])
        south = lat.min()
        xy = np.column_stack([lon * 111320 * math.cos(south * math.pi / 180), lat * 110574.0])
        pairs = list(cKDTree(xy).query_pairs(r=50.0))
        first = {}
        for k, r in enumerate(rows):
            if r[3] in first: pairs.append((first[r[3]], k))
            else: first[r[3]] = k
        a = np.array([p[0] for p in pairs] + [0]); b = np.array([p[1] for p in pairs] + [0])
        n, label = connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(len(rows), len(rows))), directed=False)
        groups = collections.defaultdict(list)
        for k, l in enumerate(label): groups[l].append(ids[k])
        for g in groups.values():
            if len(g) >= 3: print(" ".join(map(str, sorted(g))))
        """
        let oracle = try python(["-c", script, file.path])
        try #require(oracle.status == 0, "\(oracle.stderr)")
        let expected = Set(oracle.stdout.split(separator: "\n").map { $0.split(separator: " ").map { Int($0)! } })
        #expect(expected.count > 20, "the random cases should make many places")
        let missing = expected.subtracting(found), extra = found.subtracting(expected)
        #expect(missing.isEmpty && extra.isEmpty,
                "\(missing.count) places of scipy's not found, \(extra.count) found that scipy has not; first: \(missing.first ?? extra.first ?? [])")
    }

    @Test func csvRows() throws {
        let text = RepeatsWriter.csv(try Self.find())
        let lines = text.split(separator: "\r\n")
        #expect(lines.first == "kind,address,addresses,lon,lat,street,community,post,categories,first,last,cases,trend")
        #expect(lines[2] == "address,福华路1号,1,114.050000,22.500000,S1,C1,P1,\"噪声 3, 油烟 1\",2026-11-02,2026-11-25,4,2")
    }

    // MARK: the commands

    static let tinyCases = """
    工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道
    R1,2026-11-20,噪声,某路1号,114.01,22.51,wgs84,12345
    R2,2026-11-21,噪声;油烟,某路 1 号,114.01,22.51,,12345
    R3,2026-11-22,噪声,某路1号,114.01,22.51,,12345
    R4,2026-11-10,污水,某路9号,114.07,22.53,,12369
    R5,2026-11-12,污水,某路10号,114.0702,22.53,,12369
    R6,2026-11-22,油烟,某路11号,114.0704,22.53,,12369
    R7,2026-10-20,噪声,某路1号,114.01,22.51,,12345
    """

    /// `stats --repeats` and `run`'s `repeats.csv` on the tiny district: the door of R1–R3 (R7 is before
    /// the window) and the place of R4–R6 (three doors about 20 m apart).
    @Test func statsAndRunListTheSameRows() throws {
        let d = try TinyDistrict()
        let cases = try d.writeCases(Self.tinyCases)
        let root = d.folder.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out"), db = root.appendingPathComponent("cases.sqlite")
        let run = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path, "--as-of", "2026-11-22",
                              "--min-zoom", "12", "--max-zoom", "12", "--db", db.path, "-q")
        try #require(run.status == 0, "\(run.stderr)")
        let stats = try riskmap("stats", "--db", db.path, "--repeats", "--format", "json")
        try #require(stats.status == 0, "\(stats.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.first?["kind"] as? String == "address" && rows.first?["cases"] as? Int == 3
                && rows.first?["community"] as? String == "C1" && rows.first?["first"] as? String == "2026-11-20")
        #expect((rows.first?["categories"] as? [String: Int]) == ["噪声": 3, "油烟": 1])
        #expect(rows.last?["kind"] as? String == "place" && rows.last?["addresses"] as? Int == 3 && rows.last?["community"] as? String == "C3")
        let k4 = try riskmap("stats", "--db", db.path, "--repeats", "--min-cases", "4", "--format", "csv")
        #expect(k4.status == 0 && k4.stdout.split(separator: "\r\n").count == 1, "\(k4.stdout)")
        let csv = try riskmap("stats", "--db", db.path, "--repeats", "--format", "csv")
        let written = try String(contentsOf: out.appendingPathComponent("repeats.csv"), encoding: .utf8)
        #expect(written == csv.stdout && written.split(separator: "\r\n").count == 3)

        // Without a database, and the flags without --repeats: command-line mistakes.
        let folder = try riskmap("stats", "--out", out.path, "--repeats")
        #expect(folder.status == 2 && folder.stderr.contains("--repeats") && folder.stderr.contains("--db"), "\(folder.stderr)")
        let alone = try riskmap("stats", "--db", db.path, "--within", "30")
        #expect(alone.status == 2 && alone.stderr.contains("--within"), "\(alone.stderr)")
        let one = try riskmap("stats", "--db", db.path, "--repeats", "--min-cases", "1")
        #expect(one.status == 2 && one.stderr.contains("--min-cases"), "\(one.stderr)")
    }
}

