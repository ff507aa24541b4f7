import Foundation
import TestSupport
import Testing
@testable import Location
@testable import Pipeline
@testable import Publishing
@testable import Stats
@testable import Tiles

/// `riskmap run --db`: the database keeps what the geocoder made of each normalised address, and a later
/// run geocodes only addresses it has not seen, with the same output as a run without the database.
@Suite struct GeocodeCacheTests {
    /// The demo's first 2,000 rows (218 without coordinates, 82 whose address disagrees with them), and
    /// address-only rows the geocoder rejects or that repeat an address in another spelling.
    static func casesFile(in folder: URL) throws -> URL {
        let demo = try String(contentsOf: Repo.demo.appendingPathComponent("cases.csv"), encoding: .utf8)
        let rows = demo.split(whereSeparator: \.isNewline).prefix(2001).map(String.init) + [
            "XT1,2026-11-20 09:00,噪声,12345,,,,12345",
            "XT2,2026-11-20 09:00,噪声,不知道在哪,,,,12345",
            "XT3,2026-11-20 09:00,噪声,广东省深圳市罗湖区东门路1号,,,,12345",
            "XT4,2026-11-20 09:00,噪声,福田区福中一路2005号,,,,12345",
            "XT5,2026-11-20 09:00,噪声,福田区 福中一路２００５号,,,,12345",
            "XT6,2026-11-20 09:00,噪声,福田区福中一路2005号,,,,12345",
        ]
        let url = folder.appendingPathComponent("cases.csv")
        try (rows.joined(separator: "\r\n") + "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The cache's bytes read back to the same answer; anything cut short, longer, or naming an unknown
    /// reason reads as no answer.
    @Test func answerBytesReadBack() throws {
        let located = GeocodeAnswer(reason: nil, detail: "", lon: 114.012_345_678_9, lat: 22.5, street: "S1", community: "社区",
                                    post: nil, method: .address, confidence: 0.876_543_21, match: .nearestDoor, best: "测试路3号")
        let rejected = GeocodeAnswer(reason: .ambiguous, detail: String(repeating: "候选 | ", count: 40), lon: nil, lat: nil,
                                     street: nil, community: nil, post: nil, method: nil, confidence: 0, match: nil, best: "")
        for answer in [located, rejected] {
            let bytes = answer.bytes
            #expect(GeocodeAnswer(bytes: bytes) == answer)
            #expect((0..<bytes.count).allSatisfy { GeocodeAnswer(bytes: bytes.prefix($0)) == nil })
            #expect(GeocodeAnswer(bytes: bytes + [0]) == nil)
        }
        #expect(GeocodeAnswer(bytes: Data([0x00, 0xFF])) == nil)
        var unknown = rejected.bytes
        unknown.replaceSubrange(try #require(unknown.range(of: Data("ambiguous".utf8))), with: Data("ambiguouz".utf8))
        #expect(GeocodeAnswer(bytes: unknown) == nil)
    }

    struct Run {
        var out: URL
        var report: [String: Any]
        var geocode: [String: Any] { report["geocode"] as! [String: Any] }
        var cache: [String: Int]? { geocode["cache"] as? [String: Int] }
        func file(_ name: String) throws -> Data { try Data(contentsOf: out.appendingPathComponent(name)) }
    }

    static func run(_ cases: URL, boundaries: URL = Repo.demo, out: URL, db: URL?) throws -> Run {
        var arguments = ["run", "--boundaries", boundaries.path, "--cases", cases.path, "--as-of", "2026-11-22",
                         "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path, "--out", out.path]
        if let db { arguments += ["--db", db.path] }
        let r = try runProcess(Repo.binary, arguments)
        try #require(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
        return Run(out: out, report: report as! [String: Any])
    }

    /// Runs SQL on the database with Python's sqlite3 (an independent reader) and returns what it prints.
    static func sql(_ db: URL, _ statement: String) throws -> String {
        let r = try python(["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            rows = c.execute(sys.argv[2]).fetchall()
            c.commit()
            print(rows[0][0] if rows else '')
            """, db.path, statement])
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func expectSameOutput(_ a: Run, _ b: Run, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for name in ["cases.geojson", "rejects.csv"] {
            #expect(try a.file(name) == b.file(name), "\(name) differs", sourceLocation: sourceLocation)
        }
    }

    @Test func aSecondRunGeocodesNothing() throws {
        let tmp = try Repo.temporaryFolder()
        let cases = try Self.casesFile(in: tmp)
        let db = tmp.appendingPathComponent("cases.sqlite")
        let plain = try Self.run(cases, out: tmp.appendingPathComponent("plain"), db: nil)
        let first = try Self.run(cases, out: tmp.appendingPathComponent("first"), db: db)
        let second = try Self.run(cases, out: tmp.appendingPathComponent("second"), db: db)

        #expect(plain.geocode["cache"] == nil)
        let looked = (first.geocode["address_rows"] as! Int) + (first.geocode["checked_rows_with_coordinates"] as! Int)
        let misses = try #require(first.cache?["misses"])
        #expect(first.cache?["hits"] == 0)
        // Every distinct normalised address once: XT4-XT6 are one, and repeat a demo row's address.
        #expect(misses > 1500 && misses < looked)
        #expect(try Self.sql(db, "SELECT count(*) FROM geocode_cache") == "\(misses)")
        // Keyed by the normalised text: full-width digits and spaces folded, one entry for XT4-XT6.
        #expect(try Self.sql(db, "SELECT count(*) FROM geocode_cache WHERE key = '福田区福中一路2005号'") == "1")
        #expect(try Self.sql(db, "SELECT count(*) FROM geocode_cache WHERE key LIKE '%２%' OR key LIKE '% %'") == "0")
        #expect(try Self.sql(db, "SELECT group_concat(DISTINCT home) FROM geocode_cache") == "广东省深圳市福田区")
        #expect(second.cache == ["hits": misses, "misses": 0])

        // The rows the cache answers for are all there: located by address, rejected by the geocoder,
        // and warned about a disagreement with their coordinates.
        let rejects = String(decoding: try plain.file("rejects.csv"), as: UTF8.self)
        for (id, reason) in [("XT1", "unparseable-address"), ("XT2", "not-found"), ("XT3", "outside")] {
            #expect(rejects.contains(",\(id),\(reason),"), "\(id)")
        }
        #expect(plain.report["address_warnings"] as? Int ?? 0 > 50)
        #expect((plain.geocode["located"] as? Int ?? 0) > 200)
        try Self.expectSameOutput(plain, first)
        try Self.expectSameOutput(plain, second)
        func json(_ value: Any?) throws -> Data {
            try JSONSerialization.data(withJSONObject: [value ?? NSNull()], options: .sortedKeys)
        }
        for key in ["located", "by_match", "rejected", "checked_rows_with_coordinates"] {
            #expect(try json(second.geocode[key]) == json(plain.geocode[key]), "\(key)")
        }
        #expect(second.report["address_warnings"] as? Int == plain.report["address_warnings"] as? Int)
    }

    /// Another gazetteer or other boundaries may change any result: the cache starts anew.
    @Test func changedInputsGeocodeAgain() throws {
        let tmp = try Repo.temporaryFolder()
        let cases = try Self.casesFile(in: tmp)
        let boundaries = tmp.appendingPathComponent("boundaries")
        try FileManager.default.createDirectory(at: boundaries, withIntermediateDirectories: true)
        for name in ["streets.geojson", "communities.geojson", "posts.geojson", "gazetteer.csv"] {
            try FileManager.default.copyItem(at: Repo.demo.appendingPathComponent(name), to: boundaries.appendingPathComponent(name))
        }
        func append(_ text: String, to name: String) throws {
            let file = try FileHandle(forWritingTo: boundaries.appendingPathComponent(name))
            try file.seekToEnd()
            try file.write(contentsOf: Data(text.utf8))
            try file.close()
        }
        let db = tmp.appendingPathComponent("cases.sqlite")
        let first = try Self.run(cases, boundaries: boundaries, out: tmp.appendingPathComponent("first"), db: db)
        let misses = try #require(first.cache?["misses"])
        #expect(try Self.run(cases, boundaries: boundaries, out: tmp.appendingPathComponent("same"), db: db).cache?["misses"] == 0)

        try append("测试新大厦,building,114.05,22.54\n", to: "gazetteer.csv")
        let newGazetteer = try Self.run(cases, boundaries: boundaries, out: tmp.appendingPathComponent("gazetteer"), db: db)
        #expect(newGazetteer.cache == ["hits": 0, "misses": misses])
        #expect(newGazetteer.geocode["gazetteer_entries"] as? Int == (first.geocode["gazetteer_entries"] as! Int) + 1)
        #expect(try Self.sql(db, "SELECT count(*) FROM geocode_cache") == "\(misses)")
        try Self.expectSameOutput(newGazetteer, try Self.run(cases, boundaries: boundaries, out: tmp.appendingPathComponent("plain"), db: nil))

        try append("\n", to: "streets.geojson")
        let newStreets = try Self.run(cases, boundaries: boundaries, out: tmp.appendingPathComponent("streets"), db: db)
        #expect(newStreets.cache == ["hits": 0, "misses": misses])
    }

    /// Stored bytes that do not decode are a miss: geocoded again, stored again, same output.
    @Test func aDamagedEntryIsAMiss() throws {
        let tmp = try Repo.temporaryFolder()
        let cases = try Self.casesFile(in: tmp)
        let db = tmp.appendingPathComponent("cases.sqlite")
        let first = try Self.run(cases, out: tmp.appendingPathComponent("first"), db: db)
        let misses = try #require(first.cache?["misses"])
        #expect(try Self.sql(db, """
            UPDATE geocode_cache SET result = x'00ff' WHERE key IN (SELECT key FROM geocode_cache ORDER BY key LIMIT 100)
            """) == "")
        #expect(try Self.sql(db, "SELECT count(*) FROM geocode_cache WHERE result = x'00ff'") == "100")
        let damaged = try Self.run(cases, out: tmp.appendingPathComponent("damaged"), db: db)
        #expect(damaged.cache == ["hits": misses - 100, "misses": 100])
        try Self.expectSameOutput(first, damaged)
        #expect(try Self.sql(db, "SELECT count(*) FROM geocode_cache WHERE result = x'00ff'") == "0")
        #expect(try Self.run(cases, out: tmp.appendingPathComponent("mended"), db: db).cache == ["hits": misses, "misses": 0])
    }
}
