import Foundation
import TestSupport
import Testing

/// One writer per output (issue 12): two runs on one `--out` at once both finish, the second after
/// the first (it says it waits), and the output is entirely the second run's — every tile and file
/// equal to a full render of its day, though it kept the first run's unchanged tiles.
@Suite struct OneWriterTests {
    func arguments(_ cases: URL, day: String, out: URL) -> [String] {
        ["run", "--boundaries", Repo.demo.path, "--cases", cases.path, "--as-of", day,
         "--min-zoom", "10", "--max-zoom", "12", "--out", out.path]
    }

    @Test func aSecondRunWaitsAndTheOutputIsOneRunsWhole() throws {
        let tmp = try Repo.temporaryFolder()
        let out = tmp.appendingPathComponent("out"), full = tmp.appendingPathComponent("full")
        let day1 = Repo.demo.appendingPathComponent("cases.csv")
        try #require(try runProcess(Repo.binary, arguments(day1, day: "2026-11-21", out: out)).status == 0)
        // The first run stops when its new output is complete, before it publishes, holding the lock.
        let first = try RiskmapProcess(arguments(day1, day: "2026-11-22", out: out), environment: ["RISKMAP_TEST_PAUSE_AT": "after-build"])
        let paused = RiskmapProcess.waitFor(120) { first.isStopped }
        if !paused { kill(first.process.processIdentifier, SIGKILL) }
        try #require(paused, "the first run never reached after-build: \(first.stderr)")
        let second = try RiskmapProcess(arguments(IncrementalTests.day2, day: "2026-11-23", out: out))
        let waits = RiskmapProcess.waitFor(60) { second.stderr.contains("waiting for it to finish") }
        kill(first.process.processIdentifier, SIGCONT)
        #expect(waits, "the second run did not say it waits: \(second.stderr)")
        #expect(second.stderr.contains("another riskmap run is using the output folder \(out.path) (pid \(first.process.processIdentifier))"),
                "\(second.stderr)")
        #expect(first.wait().status == 0, "\(first.stderr)")
        #expect(second.wait().status == 0, "\(second.stderr)")

        #expect(report(out)?["as_of"] as? String == "2026-11-23")
        let updates = report(out)?["tile_updates"] as? [String: Any]
        #expect(updates?["mode"] as? String == "incremental", "\(String(describing: updates))")
        try #require(try runProcess(Repo.binary, arguments(IncrementalTests.day2, day: "2026-11-23", out: full)).status == 0)
        try expectSameOutput(out, full)
    }

    /// Every file of `a` is in `b` with the same bytes and the other way round; report.json but for
    /// the fields that measure time and how the tiles were made.
    func expectSameOutput(_ a: URL, _ b: URL) throws {
        let files = try relativeFiles(a)
        #expect(try relativeFiles(b) == files)
        #expect(files.filter { $0.hasPrefix("tiles/") }.count > 20)
        for file in files where file != "report.json" {
            #expect(FileManager.default.contentsEqual(atPath: a.appendingPathComponent(file).path,
                                                      andPath: b.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try timeless(a, dropping: ["tile_updates"]) == timeless(b, dropping: ["tile_updates"]))
    }
}
