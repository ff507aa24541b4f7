import Foundation
import Input
import Location
import Pipeline
import Publishing
import Stats
import Tiles
import Testing
import TestSupport

/// A boundaries folder with English names (2 boroughs × 2 community boards × 2 posts, all squares),
/// and address-only cases that name them in every spelling, located through `CaseLocator`.
@Suite struct AnyScriptLocatorTests {
    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String {
        "[[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]]"
    }

    static func collection(_ features: [(id: String, name: String, parent: String?, aliases: [String], box: [Double])]) -> String {
        let list = features.map { f in
            let parent = f.parent.map { ",\"parent\":\"\($0)\"" } ?? ""
            let aliases = f.aliases.isEmpty ? "" : ",\"aliases\":[" + f.aliases.map { "\"\($0)\"" }.joined(separator: ",") + "]"
            return "{\"type\":\"Feature\",\"properties\":{\"id\":\"\(f.id)\",\"name\":\"\(f.name)\"\(parent)\(aliases)},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(square(f.box[0], f.box[1], f.box[2], f.box[3]))}}"
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[\(list.joined(separator: ","))]}"
    }

    /// Boroughs side by side (west BK, east QN), boards the south and north halves of each, posts the
    /// west and east halves of each board.
    static func district() throws -> URL {
        let folder = try Repo.temporaryFolder("anyScriptDistrict").appendingPathComponent("nyc")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let streets: [(String, String, String?, [String], [Double])] = [
            ("BK", "Brooklyn", nil, ["BK"], [-74.0, 40.6, -73.9, 40.7]),
            ("QN", "Queens", nil, ["QN"], [-73.9, 40.6, -73.8, 40.7]),
        ]
        let boards: [(String, String, String?, [String], [Double])] = [
            ("B03", "Brooklyn Community 03", "BK", ["BK CB03"], [-74.0, 40.6, -73.9, 40.65]),
            ("B13", "Brooklyn Community 13", "BK", ["BK CB13"], [-74.0, 40.65, -73.9, 40.7]),
            ("Q01", "Queens Community 01", "QN", ["QN CB01"], [-73.9, 40.6, -73.8, 40.65]),
            ("Q12", "Queens Community 12", "QN", ["QN CB12"], [-73.9, 40.65, -73.8, 40.7]),
        ]
        let postNames = ["B03": ["Bedford Post", "Café Post"], "B13": ["Coney Post", "Gravesend Post"],
                         "Q01": ["Astoria Post", "Ditmars Post"], "Q12": ["Jamaica Post", "Hollis Post"]]
        var posts: [(String, String, String?, [String], [Double])] = []
        for b in boards {
            let box = b.4, mid = (box[0] + box[2]) / 2
            posts.append((b.0 + "-W", postNames[b.0]![0], b.0, [], [box[0], box[1], mid, box[3]]))
            posts.append((b.0 + "-E", postNames[b.0]![1], b.0, [], [mid, box[1], box[2], box[3]]))
        }
        for (file, zones) in [("streets", streets), ("communities", boards), ("posts", posts)] {
            let text = collection(zones.map { (id: $0.0, name: $0.1, parent: $0.2, aliases: $0.3, box: $0.4) })
            try Data(text.utf8).write(to: folder.appendingPathComponent("\(file).geojson"))
        }
        return folder
    }

    @Test func englishNamesLocateInEverySpelling() throws {
        let folder = try Self.district()
        let rows: [(id: String, address: String)] = [
            ("A1", "Brooklyn Community 03"), ("A2", "bk cb 3"), ("A3", "BROOKLYN-COMMUNITY 003"), ("A4", "ＢＫ　ＣＢ０３"),
            ("A5", "12 Main St, Brooklyn Community 03"), ("A6", "Brooklyn Community 03, 12 Main St"),
            ("A7", "Apt 4, 12 Main St, BK CB03, New York"), ("A8", "12 Main St, Brooklyn"),
            ("A9", "Bedford Post, Brooklyn"), ("A10", "Brooklyn Community 031"), ("A11", "Queens, BK CB03"),
            ("A12", "Main Street 5"), ("A13", "cafe post"), ("A14", "QN CB01"), ("A15", "BK CB13"), ("A16", "12 Bkln Ave"),
        ]
        var csv = "id,received_at,category,address\n"
        for r in rows { csv += "\(r.id),2026-11-20,noise,\"\(r.address)\"\n" }
        let casesURL = folder.deletingLastPathComponent().appendingPathComponent("cases.csv")
        try Data(csv.utf8).write(to: casesURL)

        var locator = CaseLocator(boundaries: try BoundaryReader(folder: folder).read(), defaultCRS: .wgs84)
        try locator.enableGeocoding()
        let outcome = try locator.locateAll(try CaseFileReader.read(url: casesURL, displayName: "cases.csv").records)
        #expect(outcome.located.count + outcome.rejected.count == rows.count)
        var zones: [String: String] = [:]
        for c in outcome.located {
            zones[c.record.id] = [c.street, c.community, c.post].map { $0 ?? "-" }.joined(separator: "/")
            #expect(c.method == .name && c.point == nil, "\(c.record.id)")
        }
        let reasons = Dictionary(uniqueKeysWithValues: outcome.rejected.map { ($0.id, $0.reason.rawValue) })
        for id in ["A1", "A2", "A3", "A4", "A5", "A6", "A7"] { #expect(zones[id] == "BK/B03/-", "\(id): \(reasons[id] ?? "")") }
        #expect(zones["A8"] == "BK/-/-")
        #expect(zones["A9"] == "BK/B03/B03-W")
        #expect(zones["A10"] == "BK/-/-", "a longer number is another board: only the borough is named")
        #expect(reasons["A11"] == "ambiguous")
        #expect(reasons["A12"] == "unparseable-address")
        #expect(zones["A13"] == "BK/B03/B03-E")
        #expect(zones["A14"] == "QN/Q01/-")
        #expect(zones["A15"] == "BK/B13/-")
        #expect(reasons["A16"] == "unparseable-address", "BK must not match inside Bkln")
    }
}
