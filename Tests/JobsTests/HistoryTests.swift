import Foundation
import Model
import TestSupport
import Testing

/// `--keep N`: day folders, the `current` link moved only when a day is complete, pruning, and a
/// SIGKILL during tile writing that leaves `current` complete.
@Suite struct HistoryTests {
    func run(_ out: URL, day: String, maxZoom: Int = 11) throws -> ProcessResult {
        try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                    "--as-of", day, "--out", out.path, "--min-zoom", "10", "--max-zoom", String(maxZoom), "--keep", "2")
    }

    @Test func keepsTheNewestDaysAndPointsCurrentAtTheLast() throws {
        let out = try Repo.temporaryFolder().appendingPathComponent("out")
        for day in ["2026-11-20", "2026-11-21", "2026-11-22"] { #expect(try run(out, day: day).status == 0) }
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["2026-11-21", "2026-11-22", "current"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("current").path) == "2026-11-22")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("current/report.json"))) as! [String: Any]
        #expect(report["as_of"] as? String == "2026-11-22")
    }

    @Test func killDuringTilesLeavesCurrentComplete() throws {
        let out = try Repo.temporaryFolder().appendingPathComponent("out")
        try #require(try run(out, day: "2026-11-21").status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("current/report.json"))
        // Day 2 with deep zooms takes seconds in the tile stage: kill it there.
        let p = Process()
        p.executableURL = Repo.binary
        p.arguments = ["run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                       "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "10", "--max-zoom", "18", "--keep", "2"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var sawTiles = false
        for _ in 0..<200 where !sawTiles {
            Thread.sleep(forTimeInterval: 0.05)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            sawTiles = names.contains { name in
                name.contains("staging") && FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name)/tiles").path)
            }
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(sawTiles, "the run never reached the tile stage")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("current").path) == "2026-11-21")
        #expect(try Data(contentsOf: out.appendingPathComponent("current/report.json")) == before)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("2026-11-22").path))
        // The next run clears the killed run's staging folder and publishes.
        #expect(try run(out, day: "2026-11-22").status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains("staging") }
        #expect(left.isEmpty, "\(left)")
    }
}
