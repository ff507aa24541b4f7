import Foundation
import TestSupport
import Testing

/// The installed riskmap (scripts/test.sh installs it into .build/test-install), run as a new user
/// runs it: from a fresh folder of their own, with no --style and nothing of the repository around
/// but the input files named on the command line.
@Suite(.serialized) struct InstalledBinaryTests {
    static let cases = Repo.demo.appendingPathComponent("cases.csv")

    /// The demo run at zooms 10–11 in `folder`, into `folder/out`.
    static func runDemo(_ binary: URL, in folder: URL, extra: [String] = []) throws -> ProcessResult {
        try runProcess(binary, ["run", "--boundaries", Repo.demo.path, "--cases", cases.path, "--as-of", "2026-11-22",
                                "--min-zoom", "10", "--max-zoom", "11", "--out", folder.appendingPathComponent("out").path] + extra,
                       cwd: folder)
    }

    static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// The reconciliation invariant and the street sums of a demo run's output folder.
    static func expectConsistent(_ out: URL) throws {
        let report = try json(out.appendingPathComponent("report.json")) as? [String: Any] ?? [:]
        let rows = report["input_rows"] as? Int, located = report["located"] as? Int, rejected = report["rejected"] as? Int
        #expect(rows != nil && rows! > 19_000)
        #expect(rows == (located ?? -1) + (rejected ?? -1))
        let streets = try json(out.appendingPathComponent("streets.geojson")) as? [String: Any] ?? [:]
        let sum = (streets["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["cases"] as? Int }
            .reduce(0, +)
        #expect(sum == report["counted"] as? Int)
        #expect((report["style"] as? [String: Any])?["file"] as? String == "built-in")
    }

    @Test func demoRunsFromAFreshFolderWithoutStyle() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try Self.runDemo(Repo.installedBinary, in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        let out = folder.appendingPathComponent("out")
        try Self.expectConsistent(out)
        let version = try installedRiskmap(in: folder, ["--version"])
        #expect(version.status == 0)
        let report = try Self.json(out.appendingPathComponent("report.json")) as? [String: Any] ?? [:]
        #expect(report["tool_version"] as? String == version.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("lib/leaflet/leaflet.js").path))

        let stats = try installedRiskmap(in: folder, ["stats", "--out", out.path, "--format", "json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(!rows.isEmpty && rows.allSatisfy { $0["id"] != nil && $0["cases"] != nil })

        let locate = try installedRiskmap(in: folder, ["locate", "--out", out.path, "--json", "福田区莲花街道彩田社区"])
        #expect(locate.status == 0, "\(locate.stderr)")
        let point = try installedRiskmap(in: folder, ["locate", "--out", out.path, "--at", "114.0551,22.5412", "--json"])
        #expect(point.status == 0, "\(point.stderr)")
        #expect(point.stdout.contains("\"community\""))
    }

    /// The binary copied alone into an empty folder and run from there: no style file, no share folder.
    @Test func binaryCopiedAloneRunsTheDemo() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("riskmap")
        try FileManager.default.copyItem(at: Repo.installedBinary.resolvingSymlinksInPath(), to: copy)
        let r = try Self.runDemo(copy, in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        try Self.expectConsistent(folder.appendingPathComponent("out"))
    }

    /// A missing database is the problem reported, not the style (which used to be looked up first,
    /// in the working directory).
    @Test func statsNamesTheMissingDatabaseFirst() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for extra in [[], ["--style", "no-such-style.toml"]] {
            let r = try installedRiskmap(in: folder, ["stats", "--db", "missing.sqlite"] + extra)
            #expect(r.status == 1)
            #expect(r.stderr.contains("missing.sqlite") && !r.stderr.contains("style"), "\(r.stderr)")
        }
    }

    /// `style --print` is styles/default.toml; `style --write` makes a file `run --style` reads, and
    /// never overwrites one.
    @Test func styleCommandGivesAnEditableCopy() throws {
        let folder = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let printed = try installedRiskmap(in: folder, ["style", "--print"])
        #expect(printed.status == 0)
        #expect(Data(printed.stdout.utf8) == (try Data(contentsOf: Repo.style)))
        let written = try installedRiskmap(in: folder, ["style", "--write", "mine.toml"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("mine.toml")) == (try Data(contentsOf: Repo.style)))
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("mine.toml"))
        let again = try installedRiskmap(in: folder, ["style", "--write", "mine.toml"])
        #expect(again.status == 1 && again.stderr.contains("mine.toml"))
        #expect(try String(contentsOf: folder.appendingPathComponent("mine.toml"), encoding: .utf8) == "keep me")
        #expect(try installedRiskmap(in: folder, ["style"]).status == 2)
    }
}
