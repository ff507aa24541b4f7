import Foundation
import TestSupport
import Testing

/// A publish that survives any kill (issue 12): a run is SIGKILLed at each named step of its
/// publication (`RISKMAP_TEST_KILL_AT`, see Sources/Output/Durability.swift), in plain and `--keep`
/// mode, with the one-step exchange of two folders and with the two-rename path of file systems
/// without it (`RISKMAP_TEST_NO_EXCHANGE=1`). Afterwards the path users read (`--out`, or
/// `--out/current`) holds the old or the new output, complete — but for the one gap of the
/// two-rename path, which the next run closes by restoring the old output, even when that run fails.
/// Then a run succeeds and leaves nothing behind.
@Suite struct PublishKillTests {
    enum Mode: String, CaseIterable, Sendable { case plain, keepSameDay, keepNextDay }

    struct Scenario: Sendable, CustomTestStringConvertible {
        var mode: Mode
        var exchange: Bool
        var step: String
        var testDescription: String { "\(mode) \(exchange ? "exchange" : "two renames") killed \(step)" }
    }

    static let scenarios: [Scenario] = Mode.allCases.flatMap { mode in
        [true, false].flatMap { exchange in
            var steps = ["after-build", "after-swap", "after-cleanup"]
            // Only a day folder that exists is moved aside: not so for the next day's.
            if !exchange && mode != .keepNextDay { steps.insert("after-aside-rename", at: 1) }
            if mode != .plain { steps += ["before-link", "after-link", "after-prune"] }
            return steps.map { Scenario(mode: mode, exchange: exchange, step: $0) }
        }
    }

    /// Old run: 3 cases on 2026-11-22. New run: 2 cases, the same day (plain, keepSameDay) or the next.
    static let newCases = TinyDistrict.goodCases.split(separator: "\n").dropLast().joined(separator: "\n")

    func arguments(_ d: TinyDistrict, _ s: Scenario, cases: URL, day: String) -> [String] {
        ["run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", d.out.path, "--as-of", day,
         "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path] + (s.mode == .plain ? [] : ["--keep", "3"])
    }

    /// The folder users read.
    func visible(_ d: TinyDistrict, _ s: Scenario) -> URL {
        s.mode == .plain ? d.out : d.out.appendingPathComponent("current")
    }

    /// Which output the step leaves visible: the old one until the new one is in place and named.
    func expected(_ s: Scenario) -> Int? {
        switch s.step {
        case "after-build": return 3
        case "after-aside-rename": return nil  // the gap of the two-rename path
        case "after-swap", "after-cleanup", "before-link": return s.mode == .keepNextDay ? 3 : 2
        default: return 2
        }
    }

    @Test(arguments: scenarios) func killedAtAStepOfPublishing(_ s: Scenario) throws {
        let d = try TinyDistrict("kill-\(s.mode)-\(s.exchange)-\(s.step)")
        let oldCases = try d.writeCases(TinyDistrict.goodCases), newCases = try d.writeCases(Self.newCases, name: "new.csv")
        let newDay = s.mode == .keepNextDay ? "2026-11-23" : "2026-11-22"
        let first = try runProcess(Repo.binary, arguments(d, s, cases: oldCases, day: "2026-11-22"))
        try #require(first.status == 0, "\(first.stderr)")
        let oldReport = try Data(contentsOf: visible(d, s).appendingPathComponent("report.json"))

        var environment = ["RISKMAP_TEST_KILL_AT": s.step]
        if !s.exchange { environment["RISKMAP_TEST_NO_EXCHANGE"] = "1" }
        let killed = try RiskmapProcess(arguments(d, s, cases: newCases, day: newDay), environment: environment).wait()
        #expect(killed.killed, "the run was not killed at \(s.step): status \(killed.status)")

        let seen = report(visible(d, s))
        if let rows = expected(s) {
            #expect(seen?["input_rows"] as? Int == rows, "visible after the kill: \(String(describing: seen))")
            if rows == 3 { #expect(try Data(contentsOf: visible(d, s).appendingPathComponent("report.json")) == oldReport) }
        }

        // The next run fails (its cases file is missing) but first repairs what the kill left: the
        // visible output is complete again, the old one where the kill left a gap.
        let failing = try runProcess(Repo.binary, arguments(d, s, cases: d.folder.appendingPathComponent("missing.csv"), day: newDay))
        #expect(failing.status == 1, "\(failing.stderr)")
        let repaired = report(visible(d, s))
        #expect(repaired?["input_rows"] as? Int == expected(s) ?? 3, "after a failing run: \(String(describing: repaired))")
        if expected(s) == nil { #expect(try Data(contentsOf: visible(d, s).appendingPathComponent("report.json")) == oldReport) }

        let next = try runProcess(Repo.binary, arguments(d, s, cases: newCases, day: newDay))
        #expect(next.status == 0, "\(next.stderr)")
        #expect(report(visible(d, s))?["input_rows"] as? Int == 2)
        #expect(FileManager.default.fileExists(atPath: visible(d, s).appendingPathComponent(".riskmap-output").path))
        let parent = s.mode == .plain ? d.out.deletingLastPathComponent() : d.out
        #expect(leftovers(parent).isEmpty, "left behind: \(leftovers(parent))")
    }
}

extension TinyDistrict {
    /// The output folder of the tests that publish into one place.
    var out: URL { folder.deletingLastPathComponent().appendingPathComponent("out") }
}
