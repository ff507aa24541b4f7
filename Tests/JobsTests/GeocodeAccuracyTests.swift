import Foundation
import Model
import TestSupport
import Geocoding
import Geometry
import Input
import Location
import Pipeline
import Publishing
import Stats
import Tiles
import Testing

/// The geocoder on the labelled address set (scripts/make_address_set.py) and the hand-written hard
/// cases, against the demo district. Expected zones of a gazetteer place are those of its point.
@Suite struct GeocodeAccuracyTests {
    struct Row {
        var address: String, form: String, noise: String, expect: String
        var point: Coordinate?
        var zones: ZoneRef
        var note = ""
    }

    // Read-only after it is built.
    nonisolated(unsafe) static let setup: (locator: CaseLocator, geocoder: Geocoder, gazetteer: [String: Coordinate]) = {
        let b = try! BoundaryReader(folder: Repo.demo).read()
        var locator = CaseLocator(boundaries: b, defaultCRS: .wgs84)
        try! locator.enableGeocoding()
        let g = try! Gazetteer.read(url: Repo.demo.appendingPathComponent("gazetteer.csv"))
        let places = Dictionary(g.entries.map { ($0.name, $0.point) }, uniquingKeysWith: { a, _ in a })
        return (locator, locator.geocoder!, places)
    }()

    static func csv(_ name: String) throws -> [[String: String]] {
        let url = Repo.root.appendingPathComponent("Tests/Fixtures/geocode/\(name)")
        let rows = CSVReader.rows(in: try String(contentsOf: url, encoding: .utf8))
        let header = rows[0].fields
        return rows.dropFirst().map { r in
            Dictionary(uniqueKeysWithValues: zip(header, r.fields + Array(repeating: "", count: max(0, header.count - r.fields.count))))
        }
    }

    static func path(_ r: [String: String]) -> ZoneRef {
        func v(_ k: String) -> String? { (r[k] ?? "").isEmpty ? nil : r[k] }
        return ZoneRef(street: v("street"), community: v("community"), post: v("post"))
    }

    /// The expected zones of a row: its point's, or the ones written.
    func expected(_ row: Row) throws -> ZoneRef {
        guard let p = row.point else { return row.zones }
        let ids = try Self.setup.locator.zoneIDs(of: [p])[0]!
        return ZoneRef(street: ids.street, community: ids.community, post: ids.post)
    }

    func labelled() throws -> [Row] {
        try Self.csv("addresses.csv").map { r in
            Row(address: r["address"]!, form: r["form"]!, noise: r["noise"]!, expect: r["expect"]!,
                point: Double(r["lon"]!).flatMap { x in Double(r["lat"]!).map { Coordinate(x, $0) } }, zones: Self.path(r))
        }
    }

    @Test func labelledSetIsLargeAndCoversEveryForm() throws {
        let rows = try labelled()
        #expect(rows.count >= 2000)
        #expect(Set(rows.map(\.form)).isSuperset(of: ["door", "nearest-door", "estate", "building", "poi", "zones+place",
                                                       "community", "street", "post", "wrong-order", "junk"]))
        #expect(Set(rows.map(\.noise)).isSuperset(of: ["", "typo", "fullwidth", "traditional", "radical", "spaces"]))
    }

    @Test func labelledSetAccuracyPerLevel() throws {
        let rows = try labelled()
        let geocoder = Self.setup.geocoder.withHome(from: rows.map(\.address))
        let results = geocoder.geocodeAll(rows.map(\.address))
        var total = 0, street = 0, community = 0, post = 0, junkLocated: [String] = []
        var misses: [String] = []
        for (row, r) in zip(rows, results) {
            if row.expect.hasPrefix("reject:") {
                if r.isLocated { junkLocated.append(row.address) }
                #expect(r.rejectReason?.rawValue == String(row.expect.dropFirst(7)), "\(row.address): \(r.detail)")
                continue
            }
            let want = try expected(row)
            total += 1
            if r.zones.street == want.street { street += 1 }
            if r.zones.community == want.community { community += 1 } else if misses.count < 40 {
                misses.append("\(row.address) [\(row.form) \(row.noise)]: got \(r.zones.text) \(r.rejectReason?.rawValue ?? "") want \(want.text)")
            }
            if row.expect == "zones" || want.post == nil || r.zones.post == want.post { post += 1 }
        }
        let rate = { (n: Int) in Double(n) / Double(total) }
        print("geocode accuracy on \(total) addresses: street \(rate(street)), community \(rate(community)), post \(rate(post))")
        print(misses.joined(separator: "\n"))
        #expect(junkLocated.isEmpty, "junk located: \(junkLocated)")
        #expect(rate(street) >= 0.97)
        #expect(rate(community) >= 0.95)
        #expect(rate(post) >= 0.90)
    }

    @Test func hardCases() throws {
        let geocoder = Self.setup.geocoder.withHome(from: ["广东省深圳市福田区"])
        var failures: [String] = []
        let rows = try Self.csv("hard.csv")
        #expect(rows.count >= 50)
        for r in rows {
            let result = geocoder.geocode(r["address"]!)
            let expect = r["expect"]!
            let got = "\(result.zones.text) \(result.method?.rawValue ?? "") \(result.rejectReason?.rawValue ?? "") \(result.detail)"
            switch expect {
            case "point":
                let p = try #require(Self.setup.gazetteer[r["place"]!], "no gazetteer place \(r["place"]!)")
                let want = try expected(Row(address: "", form: "", noise: "", expect: "", point: p, zones: ZoneRef()))
                if result.point != p || result.zones != want || result.method != .address {
                    failures.append("\(r["address"]!): want \(r["place"]!) \(want.text), got \(got)")
                }
            case "zones":
                if result.zones != Self.path(r) || result.method != .name || result.point != nil {
                    failures.append("\(r["address"]!): want \(Self.path(r).text) by name, got \(got)")
                }
            case "zones?":
                // Either located by name no finer than a street, or rejected: never a made-up point.
                if result.point != nil { failures.append("\(r["address"]!): got a point for a bare road") }
            default:
                let reason = String(expect.dropFirst("reject:".count))
                if result.rejectReason?.rawValue != reason {
                    failures.append("\(r["address"]!): want \(reason), got \(got)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) hard cases failed:\n\(failures.joined(separator: "\n"))")
    }
}
