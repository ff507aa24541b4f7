import Foundation
import Output
import TestSupport
import Testing

/// The command line as people expect it: --version, -q, progress on a terminal's stderr only, required
/// options and unknown ones named by ArgumentParser, help that wraps at any width, Leaflet found.
@Suite(.serialized) struct CommandLineTests {
    static let cases = Repo.demo.appendingPathComponent("cases.csv")

    func demoRun(in folder: URL, _ extra: [String] = [], environment: [String: String] = [:]) throws -> ProcessResult {
        try installedRiskmap(in: folder, ["run", "--boundaries", Repo.demo.path, "--cases", Self.cases.path,
                                          "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "10",
                                          "--out", folder.appendingPathComponent("out").path] + extra,
                             environment: environment)
    }

    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let r = try riskmap("--version")
        #expect(r.status == 0)
        #expect(r.stdout == ToolVersion.current + "\n")
        #expect(r.stderr.isEmpty)
    }

    /// -q: nothing on stderr and no summary on stdout for a successful run; the run itself still happens.
    @Test func quietRunPrintsNothing() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try demoRun(in: folder, ["-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/report.json").path))
        let check = try installedRiskmap(in: folder, ["check", "--quiet", "--boundaries", Repo.demo.path])
        #expect(check.status == 0 && !check.stdout.contains("riskmap check:"))
    }

    /// With stderr a pipe (not a terminal) there are no bars anywhere; stdout has the summary only.
    @Test func noProgressWhenStderrIsNotATerminal() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try demoRun(in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        for text in [r.stdout, r.stderr] { #expect(!text.contains("\r") && !text.contains("█") && !text.contains("░")) }
        #expect(r.stdout.hasPrefix("riskmap run: ") && r.stdout.split(separator: "\n").count == 1)
    }

    /// Under a terminal (script(1) gives the child a pty for stdout and stderr) the bars are drawn,
    /// for tiles and for locating; with -q they are not.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressOnATerminal() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func underPTY(_ quiet: Bool) throws -> ProcessResult {
            let command = ([Repo.installedBinary.path, "run", "--boundaries", Repo.demo.path, "--cases", Self.cases.path,
                            "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "10",
                            "--out", folder.appendingPathComponent("out").path] + (quiet ? ["-q"] : []))
                .map { "'\($0)'" }.joined(separator: " ")
            // Only stderr is a terminal: stdout goes to a file, so the bars must come from stderr.
            return try runProcess(URL(fileURLWithPath: "/usr/bin/script"),
                                  ["-qec", command + " > '\(folder.appendingPathComponent("stdout.txt").path)'", "/dev/null"],
                                  cwd: folder)
        }
        let shown = try underPTY(false)
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("tiles heat") && shown.stdout.contains("locating") && shown.stdout.contains("█"))
        let stdout = try String(contentsOf: folder.appendingPathComponent("stdout.txt"), encoding: .utf8)
        #expect(stdout.hasPrefix("riskmap run: ") && !stdout.contains("█"))
        let quiet = try underPTY(true)
        #expect(quiet.status == 0 && !quiet.stdout.contains("█"), "\(quiet.stdout)")
    }

    /// An unknown option is named (exit 2), not mistaken for a missing --cases; USAGE shows the
    /// required options as required.
    @Test func unknownOptionIsNamed() throws {
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--xyz", "x")
        #expect(r.status == 2)
        #expect(r.stderr.contains("'--xyz'"), "\(r.stderr)")
        #expect(!r.stderr.contains("give at least one --cases"))
        let missing = try riskmap("run", "--boundaries", Repo.demo.path)
        #expect(missing.status == 2 && missing.stderr.contains("--cases"), "\(missing.stderr)")
        let help = try runProcess(Repo.binary, ["run", "--help"], environment: ["COLUMNS": "300"])
        let usage = help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") } ?? ""
        #expect(usage.contains("--boundaries <dir> --cases <file> ..."), "\(usage)")
        #expect(!usage.contains("[--boundaries") && !usage.contains("[--cases"))
    }

    /// Help paragraphs are written as single lines: at 300 columns a whole paragraph is one line, and
    /// at 60 no line is longer than 60 (ArgumentParser wraps them, and nothing else does).
    @Test func helpWrapsCleanlyAtAnyWidth() throws {
        let wide = try runProcess(Repo.binary, ["run", "--help"], environment: ["COLUMNS": "300"])
        #expect(wide.status == 0)
        #expect(wide.stdout.split(separator: "\n").contains {
            $0.hasPrefix("Without --style the style built into riskmap is used") && $0.hasSuffix("records which style a run used.")
        }, "\(wide.stdout)")
        for command in ["run", "stats", "locate", "check", "serve", "merge", "style", "bench"] {
            let narrow = try runProcess(Repo.binary, [command, "--help"], environment: ["COLUMNS": "60"])
            #expect(narrow.status == 0)
            // Examples keep their own lines (a command line is not prose), and a single word longer
            // than the width (a URL pattern) cannot be wrapped.
            let long = narrow.stdout.split(separator: "\n").filter {
                $0.count > 60 && !$0.contains("riskmap ") && $0.trimmingCharacters(in: .whitespaces).contains(" ")
            }
            #expect(long.isEmpty, "\(command): \(long)")
        }
    }

    /// RISKMAP_LEAFLET names where Leaflet is; without any, the message says what to install.
    @Test func leafletFromTheEnvironment() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lib = folder.appendingPathComponent("my-leaflet")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        try Data("/* my leaflet */".utf8).write(to: lib.appendingPathComponent("leaflet.js"))
        try Data("/* my css */".utf8).write(to: lib.appendingPathComponent("leaflet.css"))
        let r = try demoRun(in: folder, ["-q"], environment: ["RISKMAP_LEAFLET": lib.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("out/lib/leaflet/leaflet.js"), encoding: .utf8)
                == "/* my leaflet */")

        let candidates = Leaflet.candidates(environment: ["RISKMAP_LEAFLET": lib.path],
                                            binary: URL(fileURLWithPath: "/opt/rm/bin/riskmap"))
        #expect(candidates.map(\.path) == [lib.path, "/opt/rm/share/riskmap/leaflet", "/opt/rm/share/javascript/leaflet",
                                           "/usr/share/javascript/leaflet", "/usr/local/share/javascript/leaflet"])
        #expect(Leaflet.find(in: [folder, lib]) == lib)
        #expect(Leaflet.find(in: [folder]) == nil)
        let message = Leaflet.missingMessage([folder])
        #expect(message.contains("apt-get install libjs-leaflet") && message.contains("RISKMAP_LEAFLET") && message.contains(folder.path))
    }
}
