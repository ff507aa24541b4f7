import Foundation
import TestSupport
import Testing

/// `riskmap run` on the demo district, checked by an independent reader (scripts/oracles/check_output.py:
/// shapely, geojson-rewind, mercantile, Pillow) and against the generator's ground truth.
@Suite(.serialized) struct DemoRunTests {
    static let out: URL = {
        let out = try! Repo.temporaryFolder("demo").appendingPathComponent("out")
        let r = try! riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                             "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "12", "--max-zoom", "14")
        precondition(r.status == 0, "demo run failed: \(r.stderr)")
        return out
    }()

    func report() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: Self.out.appendingPathComponent("report.json"))) as! [String: Any]
    }

    @Test func outputPassesTheIndependentChecks() throws {
        let r = try python([Repo.root.appendingPathComponent("scripts/oracles/check_output.py").path, Self.out.path, "14"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let checked = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((checked?["checked_pixels"] as? Int ?? 0) > 100)
    }

    @Test func everyRowIsLocatedOrRejected() throws {
        let rep = try report()
        let rows = rep["input_rows"] as! Int, located = rep["located"] as! Int, rejected = rep["rejected"] as! Int
        #expect(rows > 19_000)
        #expect(rows == located + rejected)
        let levels = rep["levels"] as! [String: [String: Int]]
        #expect(levels["street"]!.values.reduce(0, +) == 10)
        // The demo is made to show every colour.
        #expect(levels["community"]!["red"]! > 0 && levels["community"]!["yellow"]! > 0 && levels["community"]!["green"]! > 0)
    }

    /// Rows with coordinates land in the community the generator put them in (truth.csv).
    @Test func coordinateRowsMatchTheGroundTruth() throws {
        let truth = try String(contentsOf: Repo.demo.appendingPathComponent("truth.csv"), encoding: .utf8)
        let lines = truth.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let idCol = header.firstIndex(of: "id")!, communityCol = header.firstIndex(of: "community")!
        var expected: [String: String] = [:]
        // A repeated id is a junk row of its own: the first row with an id is the one that stands.
        for row in lines.dropFirst() where row.count == header.count && expected[row[idCol]] == nil {
            expected[row[idCol]] = row[communityCol]
        }
        let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.out.appendingPathComponent("cases.geojson"))) as! [String: Any]
        var agree = 0, total = 0
        for f in cases["features"] as! [[String: Any]] {
            let p = f["properties"] as! [String: Any]
            guard p["method"] as? String == "coordinates", let want = expected[p["id"] as! String], !want.isEmpty else { continue }
            total += 1
            if p["community"] as? String == want { agree += 1 }
        }
        #expect(total > 15_000)
        // Only points within centimetres of a border may differ (GCJ/BD round trips, 7-decimal rounding).
        #expect(Double(agree) / Double(total) > 0.999, "\(agree) of \(total)")
    }
}
