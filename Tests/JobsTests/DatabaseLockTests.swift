import Foundation
import TestSupport
import Testing

/// Two runs on one `--db` at once: the second says it waits for the first, then runs; the database
/// holds every case once and both runs in its log, and SQLite finds it intact.
@Suite struct DatabaseLockTests {
    @Test func aSecondRunWaitsForTheFirst() throws {
        let tmp = try Repo.temporaryFolder()
        let db = tmp.appendingPathComponent("cases.sqlite")
        func arguments(_ out: String, maxZoom: Int) -> [String] {
            ["run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
             "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", String(maxZoom),
             "--out", tmp.appendingPathComponent(out).path, "--db", db.path]
        }
        let first = Process()
        first.executableURL = Repo.binary
        first.arguments = arguments("a", maxZoom: 15)
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // The lock file names its holder once the first run has the lock.
        let lock = db.path + ".lock"
        var held = false
        for _ in 0..<200 where !held {
            Thread.sleep(forTimeInterval: 0.02)
            held = (try? String(contentsOfFile: lock, encoding: .utf8)) == "\(first.processIdentifier)\n"
        }
        try #require(held, "the first run never took the lock")
        let second = try runProcess(Repo.binary, arguments("b", maxZoom: 11))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("another riskmap run is using the case database \(db.path) (pid \(first.processIdentifier)); waiting"),
                "\(second.stderr)")
        let check = try python(["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            print(c.execute('PRAGMA integrity_check').fetchone()[0], c.execute('SELECT count(*) FROM cases').fetchone()[0],
                  c.execute('SELECT count(*) FROM runs').fetchone()[0])
            """, db.path])
        #expect(check.stdout == "ok 19700 2\n", "\(check.stdout) \(check.stderr)")
    }
}
