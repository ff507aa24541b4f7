import Foundation
import TestSupport
import Testing

/// `riskmap stats --emerging` end to end: a 7 × 7 grid of communities whose centre block's complaints
/// grow week after week, stored by `run --db`, categorised from the database's history with the shapes
/// of the run's zone GeoJSON.
@Suite struct EmergingStatsTests {
    static let side = 7, weeks = 6
    static let asOf = "2026-11-22"

    /// The district, its cases (the centre 3 × 3 block: 2 + 3·week cases a week; elsewhere 1 a week)
    /// and one run with a database; (out, db, expected counts per community id).
    static let fixture: (out: URL, db: URL, counts: [String: [Int]]) = {
        let root = try! Repo.temporaryFolder("emergingstats")
        let district = root.appendingPathComponent("district")
        try! FileManager.default.createDirectory(at: district, withIntermediateDirectories: true)
        let d = 0.01
        func square(_ r: Int, _ c: Int, _ n: Int = 1) -> String {
            TinyDistrict.square(114 + Double(c) * d, 22.5 + Double(r) * d, 114 + Double(c + n) * d, 22.5 + Double(r + n) * d)
        }
        try! Data(TinyDistrict.collection([TinyDistrict.feature("S1", parent: nil, geometry: square(0, 0, side))]).utf8)
            .write(to: district.appendingPathComponent("streets.geojson"))
        var features: [String] = [], rows = ["工单编号,受理时间,诉求类型,事发地址,经度,纬度,坐标系,来源渠道"]
        var counts: [String: [Int]] = [:]
        let last = Date(timeIntervalSince1970: 1_795_305_600)   // 2026-11-22
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd"
        format.timeZone = TimeZone(identifier: "UTC")
        for r in 0..<side {
            for c in 0..<side {
                let id = "C\(r)\(c)"
                features.append(TinyDistrict.feature(id, parent: "S1", geometry: square(r, c)))
                let inBlock = (2...4).contains(r) && (2...4).contains(c)
                counts[id] = (0..<weeks).map { w in inBlock ? 2 + 3 * w : 1 }
                for w in 0..<weeks {
                    for k in 0..<(counts[id]![w]) {
                        // Spread over the week's days, the week ending at as-of.
                        let daysBack = (weeks - 1 - w) * 7 + 6 - k % 7   // from the first day of the week: the history is 6 weeks
                        let day = format.string(from: last.addingTimeInterval(-Double(daysBack) * 86_400))
                        let lon = 114 + (Double(c) + 0.5) * d, lat = 22.5 + (Double(r) + 0.5) * d
                        rows.append("\(id)-\(w)-\(k),\(day),噪声,某路\(k)号,\(lon),\(lat),wgs84,12345")
                    }
                }
            }
        }
        try! Data(TinyDistrict.collection(features).utf8).write(to: district.appendingPathComponent("communities.geojson"))
        let cases = root.appendingPathComponent("cases.csv")
        try! Data((rows.joined(separator: "\n") + "\n").utf8).write(to: cases)
        let out = root.appendingPathComponent("out"), db = root.appendingPathComponent("cases.sqlite")
        let r = try! riskmap("run", "--boundaries", district.path, "--cases", cases.path, "--out", out.path, "--as-of", asOf,
                             "--min-zoom", "10", "--max-zoom", "10", "--style", Repo.style.path, "--db", db.path, "-q")
        precondition(r.status == 0, r.stderr)
        return (out, db, counts)
    }()

    func stats(_ extra: String...) throws -> ProcessResult {
        try runProcess(Repo.binary, ["stats", "--db", Self.fixture.db.path, "--out", Self.fixture.out.path, "--emerging",
                                     "--style", Repo.style.path] + extra)
    }

    @Test func categoriesFromTheHistory() throws {
        let r = try stats("--steps", "\(Self.weeks)", "--step-days", "7", "--format", "json")
        try #require(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as? String ?? "", $0) })
        #expect(rows.count == Self.side * Self.side)
        for (id, expected) in Self.fixture.counts { #expect(byID[id]?["counts"] as? [Int] == expected, "\(id)") }
        let centre = try #require(byID["C33"])
        #expect((centre["emerging"] as? String ?? "").hasSuffix("-hot"), "\(centre)")
        #expect(centre["hot_steps"] as? Int == Self.weeks && centre["cold_steps"] as? Int == 0)
        #expect(byID["C00"]?["hot_steps"] as? Int == 0)
        // Hot categories come first.
        #expect((rows.first?["emerging"] as? String ?? "").hasSuffix("-hot"))
        let table = try stats("--steps", "\(Self.weeks)", "--top", "3")
        #expect(table.status == 0 && table.stdout.split(separator: "\n").count == 4 && table.stdout.contains("trend z"))
    }

    @Test func badStepsExitTwoNamingTheOption() throws {
        for (args, option) in [(["--steps", "1"], "--steps"), (["--step-days", "0"], "--step-days"),
                               (["--steps", "x"], "--steps"), (["--steps", "7"], "--steps"),
                               (["--step-days", "30"], "--step-days")] {
            let r = try stats(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(option), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        // The history holds 6 weeks: 7 weeks of the style's default steps (12) is too long, and says so.
        let r = try stats()
        #expect(r.status == 1 && r.stderr.contains("step_days") && r.stderr.contains("longer than the stored history"))
        let noOut = try runProcess(Repo.binary, ["stats", "--db", Self.fixture.db.path, "--out", "/nonexistent", "--emerging"])
        #expect(noOut.status == 1 && noOut.stderr.contains("communities.geojson"))
    }

    func stats(_ extra: [String]) throws -> ProcessResult {
        try runProcess(Repo.binary, ["stats", "--db", Self.fixture.db.path, "--out", Self.fixture.out.path, "--emerging",
                                     "--style", Repo.style.path] + extra)
    }
}
