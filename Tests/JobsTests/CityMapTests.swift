import Foundation
import Geocoding
import Geometry
import Input
import Location
import Pipeline
import Publishing
import Stats
import Tiles
import Model
import TestSupport
import Testing

/// A city bureau's map (Tests/Fixtures/city, scripts/make_city_fixture.py): the districts 福田区 罗湖区
/// 南山区 at the top, their 街道 and 社区 below. Addresses on the map locate as truth.csv says; every
/// address in another district, city or province is rejected `outside` with that division named, and
/// none is counted in a zone one character away (坂田街道 → 福田街道, issue 11).
@Suite struct CityMapLocateTests {
    static let folder = Repo.root.appendingPathComponent("Tests/Fixtures/city")

    struct Truth { var id: String, address: String, expect: String, zones: ZoneRef, division: String }

    static func truth() throws -> [String: Truth] {
        let rows = CSVReader.rows(in: try String(contentsOf: folder.appendingPathComponent("truth.csv"), encoding: .utf8))
        func v(_ s: String) -> String? { s.isEmpty ? nil : s }
        return Dictionary(uniqueKeysWithValues: rows.dropFirst().map { r in
            let f = r.fields
            return (f[0], Truth(id: f[0], address: f[1], expect: f[2], zones: ZoneRef(street: v(f[3]), community: v(f[4]), post: v(f[5])),
                                division: f[6]))
        })
    }

    /// What went wrong per row, as messages (empty: every row as truth.csv says); and how many
    /// off-map rows were located.
    static func check(located: [(id: String, zones: ZoneRef)], rejected: [(id: String, reason: String, detail: String)])
        throws -> (failures: [String], offMapLocated: Int, offMap: Int) {
        let truth = try truth()
        var failures: [String] = [], offMapLocated = 0
        for (id, zones) in located {
            let t = try #require(truth[id])
            if t.expect != "zones" { offMapLocated += 1 }
            if zones != t.zones { failures.append("\(id) \(t.address): located in \(zones.text), want \(t.expect) \(t.zones.text)") }
        }
        for (id, reason, detail) in rejected {
            let t = try #require(truth[id])
            switch t.expect {
            case "outside":
                if reason != "outside" || !detail.hasPrefix("\(t.division) ") {
                    failures.append("\(id) \(t.address): \(reason) \(detail), want outside naming \(t.division)")
                }
            case "unlocated": break
            default: failures.append("\(id) \(t.address): \(reason) \(detail), want \(t.zones.text)")
            }
        }
        #expect(located.count + rejected.count == truth.count)
        return (failures, offMapLocated, truth.values.filter { $0.expect != "zones" }.count)
    }

    @Test func locatorKeepsOffMapAddressesOut() throws {
        let b = try BoundaryReader(folder: Self.folder).read()
        var locator = CaseLocator(boundaries: b, defaultCRS: .wgs84)
        try locator.enableGeocoding()
        let file = try CaseFileReader.read(url: Self.folder.appendingPathComponent("cases.csv"), displayName: "cases.csv")
        let outcome = try locator.locateAll(file.records)
        #expect(outcome.geocode.home == "广东省深圳市")
        let (failures, offMapLocated, offMap) = try Self.check(
            located: outcome.located.map { ($0.record.id, ZoneRef(street: $0.street, community: $0.community, post: $0.post)) },
            rejected: outcome.rejected.map { ($0.id, $0.reason.rawValue, $0.detail) })
        print("city map: \(offMapLocated) of \(offMap) off-map addresses located")
        #expect(offMapLocated == 0)
        #expect(failures.isEmpty, "\(failures.count) rows wrong:\n\(failures.joined(separator: "\n"))")
    }

    /// The same through the binary: rejects.csv names the division, the zones of cases.geojson agree
    /// with truth.csv, and every row is accounted for.
    @Test func binaryRun() throws {
        let out = try Repo.temporaryFolder().appendingPathComponent("out")
        let r = try riskmap("run", "--boundaries", Self.folder.path, "--cases", Self.folder.appendingPathComponent("cases.csv").path,
                            "--out", out.path, "--as-of", "2026-11-22", "--min-zoom", "11", "--max-zoom", "11",
                            "--style", Repo.style.path)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as! [String: Any]
        #expect(report["input_rows"] as? Int == (report["located"] as? Int ?? -1) + (report["rejected"] as? Int ?? -1))
        let features = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("cases.geojson")))
            as! [String: Any]
        let located = (features["features"] as! [[String: Any]]).map { f in
            let p = f["properties"] as! [String: Any]
            return (p["id"] as! String, ZoneRef(street: p["street"] as? String, community: p["community"] as? String, post: p["post"] as? String))
        }
        let rejects = CSVReader.rows(in: try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8))
        let header = rejects[0].fields
        let rejected = rejects.dropFirst().map { ($0.fields[2], $0.fields[3], $0.fields[header.firstIndex(of: "detail")!]) }
        let (failures, offMapLocated, _) = try Self.check(located: located, rejected: rejected)
        #expect(offMapLocated == 0)
        #expect(failures.isEmpty, "\(failures.count) rows wrong:\n\(failures.joined(separator: "\n"))")
    }
}
