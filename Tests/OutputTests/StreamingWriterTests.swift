import Foundation
@testable import Output
import Geometry
import Model
import Testing

/// cases.geojson and rejects.csv handed out piece by piece (issue 16: a file of gigabytes is never
/// held whole): the pieces join to the documents as written whole, across the writer's chunks and batches.
@Suite struct StreamingWriterTests {
    private func located(_ n: Int) -> [LocatedCase] {
        (0..<n).map { i in
            let record = CaseRecord(file: "c.csv", line: i + 2, id: "ID\(i)", day: Day(ordinal: 20_000 + i % 40),
                                    category: i % 3 == 0 ? "噪声" : "油烟", address: "某路\(i)号",
                                    rawCoordinate: nil, crs: nil, channel: "", fields: [])
            let point = i % 7 == 0 ? nil : Coordinate(113 + Double(i) * 1e-6, 23 + Double(i % 100) * 1e-5)
            return LocatedCase(record: record, point: point, street: "S\(i % 5)", community: i % 2 == 0 ? "C\(i % 9)" : nil,
                               post: nil, method: point == nil ? .name : .coordinates, confidence: 0.5)
        }
    }

    @Test(arguments: [0, 1, 8_192, 8_193, 8_192 * 32 + 1])
    func casePiecesJoinToTheFeatureCollection(count: Int) {
        let cases = located(count)
        let window = Window(asOf: Day(ordinal: 20_039), days: 30)
        var pieces: [String] = []
        GeoJSONWriter.cases(cases, window: window, warnings: ["ID3": "address elsewhere"]) { pieces.append($0) }
        // The document as one string, feature by feature (independent of the writer's chunking).
        let numbers = FeatureNumber.of(cases.map(\.record.id))
        let features = cases.indices.map {
            GeoJSONWriter.caseFeature(cases[$0], number: numbers[$0], points: .exact, window: window,
                                      warnings: ["ID3": "address elsewhere"])
        }
        #expect(pieces.joined() == "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n")
        // At most eight chunks, or chunks of 8,192 features: one piece per chunk, not per feature.
        #expect(pieces.count <= 2 + max(8, (count + 8_191) / 8_192), "one piece per chunk of features, not per feature")
    }

    /// One feature's text written out by hand: fixed property order, 7 and 3 decimals, JSON escapes for
    /// a quote, a backslash, a newline and another control character; other text (Chinese, a slash) as is.
    @Test func aCaseFeatureIsItsPropertiesInOrderWithTheirEscapes() {
        let record = CaseRecord(file: "c.csv", line: 2, id: "A\"1\\", day: Day(ordinal: 20_010), category: "噪声/油烟\n\u{1}",
                                address: "", rawCoordinate: nil, crs: nil, channel: "", fields: [])
        let c = LocatedCase(record: record, point: Coordinate(114.05123456, -22.5), street: "福田街道", community: nil,
                            post: nil, method: .coordinates, confidence: 0.8125)
        let window = Window(asOf: Day(ordinal: 20_039), days: 30)
        let day = Day(ordinal: 20_010).description
        #expect(GeoJSONWriter.caseFeature(c, number: 7, points: .exact, window: window, warnings: ["A\"1\\": "far\taway"])
            == #"{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[114.0512346,-22.5]},"properties":{"id":"A\"1\\","#
            + #""street":"福田街道","community":null,"post":null,"method":"coordinates","confidence":0.812,"date":""#
            + day + #"","category":"噪声/油烟\n\u0001","counted":true,"warning":"far\taway"}}"#)
        #expect(GeoJSONWriter.caseFeature(c, number: 7, points: .exact, window: Window(asOf: Day(ordinal: 20_039), days: 10),
                                          warnings: [:]).hasSuffix(#""counted":false}}"#))
    }

    @Test func rejectLinesJoinToTheCSV() {
        let rejects = (0..<50).map { i in
            RejectedRow(file: i % 2 == 0 ? "b.csv" : "a.csv", line: 100 - i, id: "R\(i)", reason: .badDate,
                        detail: "month 13", fields: ["R\(i)", "2026-13-01", "噪声, \"x\"", "extra\(i)"])
        }
        let headers = ["a.csv": ["id", "received_at", "category"], "b.csv": ["id", "date", "category", "note"]]
        var pieces: [String] = []
        RejectsWriter.csv(rejects, headers: headers) { pieces.append($0) }
        #expect(pieces.count == 51)
        #expect(pieces.joined() == RejectsWriter.csv(rejects, headers: headers))
        #expect(pieces[0] == "file,line,id,reason,id,received_at,category,date,note,detail\r\n")
    }
}
