import Foundation
import Geometry
import Input
import Model
import Testing
@testable import Risk
@testable import Store

/// A `--db` file that is there is used only if it is a sound SQLite database; a run's writes are one
/// transaction that leaves nothing behind unless committed.
@Suite struct DatabaseHonestyTests {
    let helper = CaseStoreTests()

    func temporary(_ name: String) -> URL { helper.temporary(name) }

    /// A database of `count` cases, closed (its log copied in), as a run leaves it.
    func database(_ name: String, cases count: Int) throws -> URL {
        let url = temporary(name)
        do {
            let store = try CaseStore(url: url, create: true)
            try helper.save(store, (0..<count).map { helper.located("K\($0)") })
        }
        return url
    }

    func expectRefused(_ url: URL, mentioning words: [String], verify: Bool = false) throws {
        let before = try Data(contentsOf: url)
        do {
            if verify { try CaseStore.verifyIntegrity(at: url) }
            _ = try CaseStore(url: url, create: true)
            Issue.record("\(url.lastPathComponent) was accepted")
        } catch let e as InputError {
            for w in words + [url.path] { #expect(e.description.contains(w), "\(e)") }
        }
        #expect(try Data(contentsOf: url) == before, "the file was changed")
        #expect(!FileManager.default.fileExists(atPath: url.path + "-wal"))
    }

    @Test func anEmptyFileIsNotRecreated() throws {
        let url = temporary("empty.sqlite")
        FileManager.default.createFile(atPath: url.path, contents: Data())
        try expectRefused(url, mentioning: ["empty file (0 bytes)"])
    }

    @Test func aTextFileIsRefused() throws {
        let url = temporary("cases.csv")
        try Data("工单编号,受理时间\nA1,2026-11-20\n".utf8).write(to: url)
        try expectRefused(url, mentioning: ["not a SQLite database"])
    }

    @Test func damageInTheMiddleIsFoundByTheCheck() throws {
        let url = try database("damaged.sqlite", cases: 3000)
        var bytes = try Data(contentsOf: url)
        let page = 4096
        try #require(bytes.count > 10 * page)
        // Pages in the middle overwritten, the header and schema (page 1) intact: opening still works.
        let middle = (bytes.count / page / 2) * page
        bytes.replaceSubrange(middle..<(middle + 3 * page), with: Data((0..<(3 * page)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }))
        try bytes.write(to: url)
        try expectRefused(url, mentioning: ["damaged"], verify: true)
    }

    @Test func aSoundDatabasePassesTheCheck() throws {
        let url = try database("sound.sqlite", cases: 3000)
        try CaseStore.verifyIntegrity(at: url)
    }

    @Test func aRunTransactionReleasedUncommittedLeavesNothing() throws {
        let url = try database("rollback.sqlite", cases: 10)
        let lastRun = try CaseStore(url: url, create: false).lastRun()
        do {
            let store = try CaseStore(url: url, create: false)
            let writes = try store.beginRun()
            try helper.save(store, (0..<500).map { helper.located("N\($0)") })
            // The run reads its own writes; another connection still sees the committed state.
            #expect(try store.caseCount() == 510)
            #expect(try CaseStore(url: url, create: false).caseCount() == 10)
            _ = writes
        }
        let after = try CaseStore(url: url, create: false)
        #expect(try after.caseCount() == 10 && after.lastRun() == lastRun)
    }

    @Test func aCommittedRunTransactionIsSeenByOthers() throws {
        let url = try database("commit.sqlite", cases: 10)
        let store = try CaseStore(url: url, create: false)
        let writes = try store.beginRun()
        try helper.save(store, (0..<500).map { helper.located("N\($0)") })
        try store.storeGeocodes(fingerprint: "f", home: "h", ["a": Data([1])])
        var table = CategoryTable(style: try Style(url: CaseStoreTests.style))
        let parts = try store.readMapCases(first: CaseStoreTests.asOf - 1, last: CaseStoreTests.asOf, table: &table, parts: 4,
                                           makePart: { 0 }, add: { n, _ in n += 1 })
        #expect(parts.reduce(0, +) == 510)
        #expect(try CaseStore(url: url, create: false).caseCount() == 10)
        try writes.commit()
        #expect(try CaseStore(url: url, create: false).caseCount() == 510)
        #expect(try CaseStore(url: url, create: false).geocodeCacheCount() == 1)
    }
}
