import Foundation
import Model
import TestSupport
import Testing

/// `--db` honesty (issue 12): an empty, foreign or damaged file is an error of `run`, `stats` and
/// `serve` (exit 1, the file named and left as it was), never recreated; a run that fails or is killed
/// before its map is published leaves the database as it was: every row the same (Python's dump).
@Suite struct DatabaseHonestyTests {
    /// The demo district stored in a database by one run (`--db`), as a fixture to copy.
    static let demo: (db: URL, out: URL) = {
        let tmp = try! Repo.temporaryFolder("honesty-demo")
        let db = tmp.appendingPathComponent("cases.sqlite")
        let r = try! TestSupport.riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                             "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "10", "--out",
                             tmp.appendingPathComponent("out").path, "--db", db.path)
        precondition(r.status == 0, r.stderr)
        return (db, tmp.appendingPathComponent("out"))
    }()

    /// `riskmap ARGS` with extra environment variables.
    func riskmapWith(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, killed: Bool, stderr: String) {
        let p = Process()
        p.executableURL = Repo.binary
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, b in b }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason == .uncaughtSignal, text)
    }

    /// Every row of every table, as Python's sqlite3 module dumps it (an independent reader).
    func dump(_ db: URL) throws -> String {
        let r = try python(["-c", "import sqlite3,sys; print('\\n'.join(sqlite3.connect(sys.argv[1]).iterdump()))", db.path])
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// `run`, `stats` and `serve` on `db`: exit 1, the file named with `words`, and the file unchanged.
    func expectEveryCommandRefuses(_ db: URL, mentioning words: [String]) throws {
        let before = try Data(contentsOf: db)
        let d = try TinyDistrict()
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let run = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                                          "--min-zoom", "12", "--max-zoom", "12", "--db", db.path)
        let stats = try riskmap("stats", "--db", db.path)
        let serve = try riskmap("serve", "--out", Self.demo.out.path, "--port", "0", "--db", db.path)
        for (name, r) in [("run", run), ("stats", stats), ("serve", serve)] {
            #expect(r.status == 1, "\(name): status \(r.status): \(r.stderr)")
            for w in words + [db.path] { #expect(r.stderr.contains(w), "\(name) should mention \(w): \(r.stderr)") }
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "the failed run published")
        #expect(try Data(contentsOf: db) == before, "the database file was changed")
    }

    @Test func anEmptyFileIsAnErrorNeverRecreated() throws {
        let db = try Repo.temporaryFolder().appendingPathComponent("empty.sqlite")
        FileManager.default.createFile(atPath: db.path, contents: Data())
        try expectEveryCommandRefuses(db, mentioning: ["empty file (0 bytes)"])
    }

    @Test func aTextFileIsAnError() throws {
        let db = try Repo.temporaryFolder().appendingPathComponent("notes.sqlite")
        try Data("these are my notes, not a database\n".utf8).write(to: db)
        try expectEveryCommandRefuses(db, mentioning: ["not a SQLite database"])
    }

    /// A real riskmap database with pages in the middle overwritten: SQLite opens it and would answer
    /// from it, so only the page check finds it.
    @Test func damageInTheMiddleIsAnError() throws {
        let db = try Repo.temporaryFolder().appendingPathComponent("damaged.sqlite")
        var bytes = try Data(contentsOf: Self.demo.db)
        let page = 4096
        try #require(bytes.count > 40 * page)
        let middle = (bytes.count / page / 2) * page
        bytes.replaceSubrange(middle..<(middle + 4 * page), with: Data((0..<(4 * page)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }))
        try bytes.write(to: db)
        try expectEveryCommandRefuses(db, mentioning: ["damaged"])
    }

    /// A run that fails with `--db` at an absent path leaves the path absent (no empty database behind).
    @Test func aFailedFirstRunLeavesNoDatabase() throws {
        let d = try TinyDistrict()
        let root = d.folder.deletingLastPathComponent()
        let db = root.appendingPathComponent("new.sqlite")
        let r = try riskmapWith(["run", "--boundaries", d.folder.path, "--cases", try d.writeCases(TinyDistrict.goodCases).path,
                                 "--out", root.appendingPathComponent("out").path, "--min-zoom", "12", "--max-zoom", "12",
                                 "--style", Repo.style.path, "--db", db.path], environment: ["RISKMAP_FAIL_AT": "publish"])
        #expect(r.status == 1, "\(r.stderr)")
        for suffix in ["", "-wal", "-shm"] { #expect(!FileManager.default.fileExists(atPath: db.path + suffix), "\(suffix)") }
    }

    /// Day 1 stored; day 2 adds cases but fails (or is killed) after storing them, before or at the
    /// publish: every row of the database is day 1's (Python's dump). Not byte for byte: opening a
    /// database makes GRDB create and drop a table (to make the write-ahead log), which moves SQLite's
    /// schema counter on every open, `stats` included.
    @Test(arguments: ["after_database", "publish", "publish:kill", "after_database:kill", "bad-out"])
    func aRunThatFailsAfterStoringLeavesTheDatabaseAsItWas(_ failure: String) throws {
        let d = try TinyDistrict("failed-\(failure)")
        let root = d.folder.deletingLastPathComponent()
        let db = root.appendingPathComponent("cases.sqlite"), out = root.appendingPathComponent("out")
        func run(_ cases: URL, out: URL, environment: [String: String] = [:]) throws -> (status: Int32, killed: Bool, stderr: String) {
            try riskmapWith(["run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path, "--as-of", "2026-11-22",
                         "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path, "--db", db.path], environment: environment)
        }
        let day1 = try run(try d.writeCases(TinyDistrict.goodCases), out: out)
        try #require(day1.status == 0, "\(day1.stderr)")
        let (rows, report) = (try dump(db), try Data(contentsOf: out.appendingPathComponent("report.json")))
        #expect(rows.contains("'A1'") && !rows.contains("'B7'"))

        let day2 = try d.writeCases(TinyDistrict.goodCases + "\nB7,2026-11-22 11:00,噪声,某路7号,114.03,22.51,wgs84,12345\n",
                                    name: "day2.csv")
        let failed: (status: Int32, killed: Bool, stderr: String)
        if failure == "bad-out" {
            // A path below a regular file: no folder can be made there.
            failed = try run(day2, out: d.folder.appendingPathComponent("streets.geojson/out"))
        } else {
            failed = try run(day2, out: out, environment: ["RISKMAP_FAIL_AT": failure])
        }
        if failure.hasSuffix(":kill") {
            #expect(failed.killed, "not killed: \(failed.status) \(failed.stderr)")
        } else {
            #expect(failed.status == 1, "\(failed.stderr)")
        }
        #expect(try dump(db) == rows, "the database moved ahead of the published map")
        #expect(try Data(contentsOf: out.appendingPathComponent("report.json")) == report)

        // The same run without the failure stores day 2 and publishes it.
        let again = try run(day2, out: out)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try dump(db).contains("'B7'"))
    }
}
