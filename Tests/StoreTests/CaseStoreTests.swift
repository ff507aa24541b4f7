import Foundation
import Geometry
import Input
import Model
import Testing
@testable import Risk
@testable import Store

@Suite struct CaseStoreTests {
    static let style = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("styles/default.toml")
    static let asOf = Day(year: 2026, month: 11, day: 22)!

    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-store-\(UUID().uuidString.prefix(8))-\(name)")
    }

    func located(_ id: String, day: Day = asOf, category: String = "噪声", community: String = "C1") -> LocatedCase {
        let record = CaseRecord(file: "cases.csv", line: 2, id: id, day: day, category: category, address: "福华路1号",
                                rawCoordinate: Coordinate(114.05, 22.54), crs: nil, channel: "12345", fields: [])
        return LocatedCase(record: record, point: Coordinate(114.05, 22.54), street: "S1", community: community, post: nil,
                           method: .coordinates, confidence: 1)
    }

    let zones = [(Zone(id: "S1", name: "街道", parent: nil, level: .street, geometry: MultiPolygon([])), 4.0),
                 (Zone(id: "C1", name: "社区一", parent: "S1", level: .community, geometry: MultiPolygon([])), 1.5),
                 (Zone(id: "C2", name: "社区二", parent: "S1", level: .community, geometry: MultiPolygon([])), 2.5)]

    func save(_ store: CaseStore, _ cases: [LocatedCase]) throws {
        try store.save(cases: cases, zones: zones, run: StoredRun(asOf: Self.asOf, windowDays: 30, boundaries: "b"),
                       style: try Style(url: Self.style))
    }

    @Test func aCaseSeenAgainReplacesItsRecord() throws {
        let store = try CaseStore(url: temporary("replace.sqlite"), create: true)
        try save(store, [located("A"), located("B")])
        try save(store, [located("A", category: "污水", community: "C2")])
        #expect(try store.caseCount() == 2)
        var table = CategoryTable(style: try Style(url: Self.style))
        let cases = try store.scoringCases(level: .community, first: Self.asOf - 1, last: Self.asOf, table: &table)
        let a = cases.filter { $0.community == "C2" }
        #expect(a.count == 1 && table.resolved[a[0].category].keys == ["污水"])
        #expect(try store.lastRun() == StoredRun(asOf: Self.asOf, windowDays: 30, boundaries: "b"))
        let (stored, areas) = try store.zones(.community)
        #expect(stored.map(\.id) == ["C1", "C2"] && stored[1].parent == "S1" && areas["C2"] == 2.5)
    }

    @Test func dateRangeIsInclusive() throws {
        let store = try CaseStore(url: temporary("range.sqlite"), create: true)
        try save(store, (0..<10).map { located("D\($0)", day: Self.asOf - $0) })
        var table = CategoryTable(style: try Style(url: Self.style))
        #expect(try store.scoringCases(level: .street, first: Self.asOf - 3, last: Self.asOf - 1, table: &table).count == 3)
        #expect(try store.pointCases(first: Self.asOf - 9, last: Self.asOf, table: &table).count == 10)
    }

    @Test func missingDatabaseIsNotInvented() throws {
        let url = temporary("missing.sqlite")
        #expect(throws: InputError.self) { try CaseStore(url: url, create: false) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    /// A damaged file is reported as such and left byte for byte as it was.
    @Test func corruptFileIsReportedNotRecreated() throws {
        let url = temporary("corrupt.sqlite")
        let junk = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        try junk.write(to: url)
        do {
            _ = try CaseStore(url: url, create: true)
            Issue.record("a corrupt file was accepted")
        } catch let e as InputError {
            #expect(e.description.contains(url.path) && e.description.contains("not a SQLite database"), "\(e)")
        }
        #expect(try Data(contentsOf: url) == junk)
    }

    @Test func someoneElsesDatabaseIsRefused() throws {
        let url = temporary("foreign.sqlite")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()", url.path]
        try p.run()
        p.waitUntilExit()
        #expect(throws: InputError.self) { try CaseStore(url: url, create: true) }
    }

    /// Two writers on one file (as two runs at once): both succeed, nothing is lost.
    @Test func concurrentWritersWait() async throws {
        let url = temporary("concurrent.sqlite")
        _ = try CaseStore(url: url, create: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<2 {
                group.addTask {
                    let store = try CaseStore(url: url, create: true)
                    for batch in 0..<5 {
                        try save(store, (0..<200).map { located("W\(w)-\(batch)-\($0)") })
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try CaseStore(url: url, create: false).caseCount() == 2000)
    }
}
