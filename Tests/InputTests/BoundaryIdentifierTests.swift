import Foundation
import Testing
@testable import Input

/// Ids of every JSON kind a GIS exports (issue 11): strings and numbers of any value are ids,
/// numbers written as their canonical text; `1` and `"1"` are one id; other kinds are errors that
/// name the file and the feature; a broken file is reported at FILE:LINE:COLUMN.
@Suite struct BoundaryIdentifierTests {
    static func square(_ x: Double) -> String {
        "[[[\(x),22.5],[\(x + 0.01),22.5],[\(x + 0.01),22.51],[\(x),22.51],[\(x),22.5]]]"
    }

    /// A feature whose `properties` hold `members` (raw JSON text, e.g. `"id": 1`).
    static func feature(_ members: String, x: Double = 114.0) -> String {
        #"{"type":"Feature","properties":{\#(members)},"geometry":{"type":"Polygon","coordinates":\#(square(x))}}"#
    }

    static func collection(_ features: [String]) -> String {
        #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ",\n"))]}"#
    }

    func read(_ text: String, name: String = "streets.geojson") throws -> GeoJSONFeatureFile {
        try GeoJSONFeatureFile(url: try InputFixtures.temporaryFile(text, name: name), defaultCRS: .wgs84)
    }

    func failure(_ text: String, name: String = "streets.geojson") -> String {
        do { _ = try read(text, name: name); return "" } catch { return "\(error)" }
    }

    @Test func numbersOfAnyValueAreIds() throws {
        let ids = [#"0"#, #"1"#, #"-3"#, #"4.0"#, #"4.5"#, #"440304001001"#, #"44030400100100000001"#, #""FT01""#]
        let file = try read(Self.collection(ids.enumerated().map { Self.feature(#""id": \#($1)"#, x: 114 + Double($0) / 10) }))
        #expect(file.features.map(\.id) == ["0", "1", "-3", "4", "4.5", "440304001001", "44030400100100000001", "FT01"])
    }

    @Test func parentsAndFeatureLevelIdsMayBeNumbers() throws {
        let file = try read(Self.collection([
            #"{"type":"Feature","id":1,"properties":{"name":"Manhattan","parent":0},"geometry":{"type":"Polygon","coordinates":\#(Self.square(114))}}"#,
            Self.feature(#""id": 2, "parent": 501.0"#),
            Self.feature(#""id": null, "parent": null"#).replacingOccurrences(of: #"{"type":"Feature","#, with: #"{"type":"Feature","id":7,"#),
        ]))
        #expect(file.features.map(\.id) == ["1", "2", "7"])
        #expect(file.features.map(\.parent) == ["0", "501", nil])
        #expect(file.features[0].name == "Manhattan")
    }

    @Test func aliasesMayBeNumbersOrOneString() throws {
        let file = try read(Self.collection([
            Self.feature(#""id": 1, "aliases": ["BK", 3, "Kings County"]"#),
            Self.feature(#""id": 2, "aliases": "QN""#),
            Self.feature(#""id": 3, "aliases": null, "name": 44"#),
        ]))
        #expect(file.features.map(\.aliases) == [["BK", "3", "Kings County"], ["QN"], []])
        #expect(file.features[2].name == "44")
    }

    @Test(arguments: [("true", "a boolean"), ("false", "a boolean"), ("null", "null"), (#"{"code": 1}"#, "an object"),
                      ("[1]", "an array"), (#""""#, "empty")])
    func otherKindsOfIdAreErrorsNamingTheFeature(value: String, kind: String) {
        let message = failure(Self.collection([
            Self.feature(#""id": 1, "name": "Manhattan""#),
            Self.feature(#""id": \#(value), "name": "Brooklyn""#),
        ]))
        #expect(message.contains("streets.geojson") && message.contains("feature 2") && message.contains("Brooklyn")
                && message.contains("'id'") && message.contains(kind), "\(message)")
    }

    @Test(arguments: ["true", #"{"id": 1}"#, "[1]"])
    func otherKindsOfParentAreErrors(value: String) {
        let message = failure(Self.collection([Self.feature(#""id": 3, "name": "Brooklyn", "parent": \#(value)"#)]),
                              name: "communities.geojson")
        #expect(message.contains("communities.geojson") && message.contains("feature 1") && message.contains("'parent'"),
                "\(message)")
    }

    @Test func aBooleanAliasIsAnError() {
        let message = failure(Self.collection([Self.feature(#""id": 3, "aliases": ["BK", true]"#)]))
        #expect(message.contains("feature 1") && message.contains("'aliases'") && message.contains("boolean"), "\(message)")
    }

    /// The number 1 and the string "1" in one level: a duplicate naming both features.
    @Test func numberAndStringOfTheSameIdAreADuplicate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-ids-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.collection([Self.feature(#""id": 1, "name": "Manhattan""#, x: 114.0),
                                  Self.feature(#""id": "1", "name": "Brooklyn""#, x: 114.1)]).utf8)
            .write(to: folder.appendingPathComponent("streets.geojson"))
        try Data(Self.collection([]).utf8).write(to: folder.appendingPathComponent("communities.geojson"))
        do {
            _ = try BoundaryReader(folder: folder).read()
            Issue.record("no error")
        } catch {
            let m = "\(error)"
            #expect(m.contains("streets.geojson") && m.contains("duplicate id '1'") && m.contains("feature 2")
                    && m.contains("Brooklyn") && m.contains("feature 1") && m.contains("Manhattan"), "\(m)")
        }
    }

    @Test func syntaxErrorsAreReportedAtFileLineColumn() throws {
        let url = try InputFixtures.temporaryFile("{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\" \"id\": 1}\n]}",
                                                  name: "streets.geojson")
        do {
            _ = try GeoJSONFeatureFile(url: url, defaultCRS: .wgs84)
            Issue.record("no error")
        } catch {
            #expect("\(error)".hasPrefix("\(url.path):3:22: not valid JSON"), "\(error)")
        }
    }
}
