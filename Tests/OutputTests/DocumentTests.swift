import Foundation
@testable import Output
import TestSupport
import Testing

/// Every document riskmap writes and reads back has one Codable type (Sources/Output/Documents): what
/// the real writer wrote decodes as that type and, written again, gives the same bytes; the readers
/// take older files too.
@Suite(.serialized) struct DocumentTests {
    static let out: URL = {
        let out = try! Repo.temporaryFolder("documents").appendingPathComponent("out")
        let r = try! riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                             "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "12", "--max-zoom", "12", "-q")
        precondition(r.status == 0, "demo run failed: \(r.stderr)")
        return out
    }()

    func file(_ name: String) throws -> Data { try Data(contentsOf: Self.out.appendingPathComponent(name)) }
    func text(_ name: String) throws -> String { String(decoding: try file(name), as: UTF8.self) }

    @Test(arguments: ["streets.geojson", "communities.geojson", "posts.geojson"])
    func zoneGeoJSONDecodesAndWritesTheSameBytes(_ name: String) throws {
        let zones = try DocumentJSON.decode(ZoneCollection.self, from: try file(name))
        #expect(!zones.features.isEmpty)
        #expect(zones.features.allSatisfy { $0.properties.density != nil && $0.properties.trend != nil })
        #expect(zones.jsonText() == (try text(name)))
    }

    @Test func hotspotsDecodeAndWriteTheSameBytes() throws {
        let hotspots = try DocumentJSON.decode(HotspotCollection.self, from: try file("hotspots.geojson"))
        #expect(hotspots.features.map(\.properties.rank) == Array(1...hotspots.features.count))
        #expect(hotspots.jsonText() == (try text("hotspots.geojson")))
    }

    @Test func reportDecodesAsRunReport() throws {
        let report = try DocumentJSON.decode(RunReport.self, from: try file("report.json"))
        #expect(report.inputRows == report.located + report.rejected && report.inputRows > 19_000)
        #expect(report.asOf == "2026-11-22" && report.window.to == "2026-11-22" && report.shard == nil && report.database == nil)
        #expect(report.geocode?.addressRows ?? 0 > 0)
        #expect(report.tileUpdates?.rendered.keys.sorted() == ["community", "heat", "post", "street"])
        #expect(report.jsonText() == (try text("report.json")))
        #expect(RunReport.geocode(in: Self.out) == report.geocode)
    }

    @Test func tileJSONAndLegendDecodeAndWriteTheSameBytes() throws {
        let tiles = try DocumentJSON.decode(TileJSON.self, from: try file("tiles.json"))
        #expect(tiles.layerList.compactMap(\.id) == MapDocuments.layers)
        #expect(tiles.minzoom == 12 && tiles.maxzoom == 12 && tiles.bounds?.count == 4)
        #expect(tiles.jsonText() == (try text("tiles.json")))
        let legend = try DocumentJSON.decode(Legend.self, from: try file("legend.json"))
        #expect(legend.zones.levels.keys.sorted() == ["community", "post", "street"])
        #expect(legend.jsonText() == (try text("legend.json")))
    }

    @Test func markerAndTileStateHeaderDecode() throws {
        let marker = try DocumentJSON.decode(OutputMarker.Document.self, from: try file(OutputMarker.fileName))
        #expect(marker.tool == "riskmap" && marker.format == OutputMarker.format && marker.tileState?.hasPrefix("fnv1a64:") == true)
        #expect(marker.jsonText() == (try text(OutputMarker.fileName)))
        // The state file: a version line, a UInt32 length, then the header.
        let state = try file(OutputMarker.tileStateFile)
        let start = try #require(state.firstIndex(of: UInt8(ascii: "\n"))) + 1
        let length = state[start..<start + 4].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let bytes = state[(start + 4)..<(start + 4 + length)]
        let header = try DocumentJSON.decode(TileStateHeader.self, from: Data(bytes))
        #expect(header.fills.keys.sorted() == ["community", "post", "street"])
        #expect(header.jsonData() == Data(bytes))
    }

    /// Zone files of runs before `density`, `previous_cases` and `trend` were written: `stats` reads
    /// them, computes the density from cases and area, takes the trend as 0 and prints what the file has.
    @Test func olderZoneFileWithoutDensityOrTrendStillReads() throws {
        let old = try Repo.temporaryFolder("documents-old").appendingPathComponent("out")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        for name in ["streets.geojson", "communities.geojson", "posts.geojson", "hotspots.geojson", "report.json"] {
            var t = try text(name)
            for key in ["density", "previous_cases", "trend"] {
                t = t.replacingOccurrences(of: #","\#(key)":-?[0-9.]+"#, with: "", options: .regularExpression)
            }
            try t.write(to: old.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let zones = try DocumentJSON.decode(ZoneCollection.self, from: Data(contentsOf: old.appendingPathComponent("posts.geojson")))
        let p = try #require(zones.features.first?.properties)
        #expect(p.density == nil && p.trend == nil && p.previousCases == nil)
        #expect(p.densityOrComputed == Double(p.cases) / p.areaKm2)
        let r = try riskmap("stats", "--out", old.path, "--level", "post", "--format", "json", "--sort", "density")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == zones.features.count && rows.allSatisfy { $0["density"] == nil && $0["trend"] == nil })
        let byDensity = zones.features.map(\.properties).sorted { $0.densityOrComputed > $1.densityOrComputed }
        #expect(rows.first?["id"] as? String == byDensity.first?.id)
    }

    /// Keys in Foundation's order (numeric, case-insensitive, a locale collation), as every file riskmap
    /// wrote so far has them, not JSONEncoder's code-point order; numbers, nulls and escapes as
    /// JSONSerialization writes them.
    @Test func documentTextIsJSONSerializationText() throws {
        struct Sample: Encodable {
            var counts = ["S10": 1, "S9": 2, "_x": 3, "a": 4, "B": 5, "噪声": 6, "油烟": 7, "ａ": 8, "a b": 9, "a-b": 10]
            var numbers = [0.1, 1.0, 1e-07, 114.0512345, 1e21, -2.5, 3]
            var text = "a/b \"q\" \\ \n\t\u{1}\u{8}\u{c}é"
            var none: String?
            var nested: [String: [String]] = ["z": [], "y": ["S2", "S10"]]
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(counts, forKey: .counts)
                try c.encode(numbers, forKey: .numbers)
                try c.encode(text, forKey: .text)
                try c.encode(none, forKey: .none)
                try c.encode(nested, forKey: .nested)
            }
            enum CodingKeys: String, CodingKey { case counts, numbers, text, none, nested }
        }
        let s = Sample()
        let object: [String: Any] = ["counts": s.counts, "numbers": s.numbers, "text": s.text, "none": NSNull(), "nested": s.nested]
        for (pretty, slashes) in [(false, false), (false, true), (true, false), (true, true)] {
            var options: JSONSerialization.WritingOptions = [.sortedKeys]
            if pretty { options.insert(.prettyPrinted) }
            if !slashes { options.insert(.withoutEscapingSlashes) }
            let expected = String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
            #expect(DocumentJSON.text(s, pretty: pretty, escapingSlashes: slashes) == expected)
        }
    }
}
