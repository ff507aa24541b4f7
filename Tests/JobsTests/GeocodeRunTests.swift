import Foundation
import TestSupport
import Testing

/// `riskmap run` with address geocoding: the demo's address-only rows, gazetteer problems, and
/// addresses that disagree with their coordinates.
@Suite struct GeocodeRunTests {
    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// Address-only rows of the demo are located now, into the zones truth.csv gives them.
    @Test func demoAddressRowsAreLocated() throws {
        let out = DemoRunTests.out
        let report = try Self.json(out.appendingPathComponent("report.json"))
        let rows = report["input_rows"] as! Int, located = report["located"] as! Int, rejected = report["rejected"] as! Int
        #expect(rows == located + rejected)
        let reasons = report["rejects_by_reason"] as! [String: Int]
        #expect(reasons["no-coordinates"] == nil && reasons["not-found"] == nil)
        let geocode = report["geocode"] as! [String: Any]
        #expect(geocode["address_rows"] as? Int ?? 0 > 2000)
        #expect(geocode["home"] as? String == "广东省深圳市福田区")
        let methods = report["methods"] as! [String: Int]
        #expect((methods["address"] ?? 0) + (methods["name"] ?? 0) == geocode["located"] as? Int)

        let truth = try String(contentsOf: Repo.demo.appendingPathComponent("truth.csv"), encoding: .utf8)
        var expected: [String: (street: String, community: String)] = [:]
        for line in truth.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f[8].hasPrefix("address"), expected[f[0]] == nil { expected[f[0]] = (f[4], f[5]) }
        }
        let cases = try Self.json(out.appendingPathComponent("cases.geojson"))["features"] as! [[String: Any]]
        var agree = 0, total = 0, warned = 0
        for f in cases {
            let p = f["properties"] as! [String: Any]
            if p["warning"] != nil { warned += 1 }
            guard p["method"] as? String != "coordinates", let want = expected[p["id"] as! String] else { continue }
            total += 1
            // A street-only address has no community (null), as the interface says.
            if p["street"] as? String == want.street, (p["community"] as? String ?? "") == want.community { agree += 1 }
        }
        #expect(total > 2000)
        #expect(Double(agree) / Double(total) > 0.99, "\(agree) of \(total)")
        #expect(warned == report["address_warnings"] as? Int)
    }

    @Test func gazetteerThatIsNotCSVStopsTheRun() throws {
        let d = try TinyDistrict()
        try d.write("gazetteer.csv", "{\"type\": \"FeatureCollection\", \"features\": []}")
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                            "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("gazetteer.csv") && r.stderr.contains("not a gazetteer CSV"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// Bad gazetteer rows are skipped with their line; addresses locate, or are rejected with a reason;
    /// an address that disagrees with its row's coordinates leaves a warning and the coordinates win.
    @Test func addressesInARun() throws {
        let d = try TinyDistrict()
        try d.write("gazetteer.csv", """
        name,kind,lon,lat
        测试路1号,door,114.01,22.51
        测试路3号,door,114.012,22.51
        坏坐标大厦,building,abc,22.51
        测试花园,estate,114.07,22.53
        """)
        let cases = try d.writeCases("""
        id,received_at,category,address,lon,lat
        G1,2026-11-20,噪声,测试路1号附近,,
        G2,2026-11-20,噪声,深圳市福田区测试花园12栋501,,
        G3,2026-11-20,噪声,C2名一带,,
        G4,2026-11-20,噪声,罗湖区测试路1号,,
        G5,2026-11-20,噪声,12345,,
        G6,2026-11-20,噪声,不知道在哪,,
        G7,2026-11-20,噪声,测试花园,114.01,22.51
        G8,2026-11-20,噪声,测试路1号,114.011,22.511
        G9,2026-11-20,噪声,福田区测试路3号,,
        """)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                            "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path)
        try #require(r.status == 0, "\(r.stderr)")
        let report = try Self.json(out.appendingPathComponent("report.json"))
        #expect((report["warnings"] as! [String]).contains { $0.contains("gazetteer.csv: line 4") && $0.contains("bad coordinate") })
        #expect(report["address_warnings"] as? Int == 1)
        let features = try Self.json(out.appendingPathComponent("cases.geojson"))["features"] as! [[String: Any]]
        var byID: [String: [String: Any]] = [:]
        for f in features { byID[(f["properties"] as! [String: Any])["id"] as! String] = f["properties"] as? [String: Any] }
        #expect(byID["G1"]?["method"] as? String == "address" && byID["G1"]?["community"] as? String == "C1")
        #expect(byID["G2"]?["method"] as? String == "address" && byID["G2"]?["community"] as? String == "C3")
        #expect(byID["G3"]?["method"] as? String == "name" && byID["G3"]?["community"] as? String == "C2")
        #expect(byID["G3"]?["post"] is NSNull)
        #expect(byID["G7"]?["method"] as? String == "coordinates" && byID["G7"]?["community"] as? String == "C1")
        #expect((byID["G7"]?["warning"] as? String ?? "").contains("C3"))
        #expect(byID["G8"]?["warning"] == nil)
        // The home district is inferred from the addresses that name one (福田区 here).
        #expect(byID["G9"]?["method"] as? String == "address")
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8)
        var reasonByID: [String: String] = [:]
        for row in rejects.split(separator: "\r\n").dropFirst() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            reasonByID[String(cells[2])] = String(cells[3])
        }
        #expect(reasonByID == ["G4": "outside", "G5": "unparseable-address", "G6": "not-found"])
        #expect(report["input_rows"] as? Int == 9 && report["located"] as? Int == 6)
    }
}
