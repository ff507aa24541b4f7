import Foundation
import TestSupport
import Testing

/// Bad input to `stats` and `run --db`: a one-line error naming the option or the style key;
/// exit 2 for the command line, 1 for files.
@Suite struct StatsBadInputTests {
    static let fixture: (out: URL, db: URL) = {
        let d = try! TinyDistrict("statsbad")
        let cases = try! d.writeCases(TinyDistrict.goodCases)
        let root = d.folder.deletingLastPathComponent()
        let out = root.appendingPathComponent("out"), db = root.appendingPathComponent("cases.sqlite")
        let r = try! riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path, "--as-of", "2026-11-22",
                             "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path, "--db", db.path)
        precondition(r.status == 0, r.stderr)
        return (out, db)
    }()

    func expect(_ args: [String], status: Int32, mentions: [String], withDB: Bool = true) throws {
        let extra = withDB ? ["--db", Self.fixture.db.path, "--style", Repo.style.path] : ["--out", Self.fixture.out.path]
        let r = try runProcess(Repo.binary, ["stats"] + args + extra)
        #expect(r.status == status, "\(args): status \(r.status): \(r.stderr)")
        for m in mentions { #expect(r.stderr.contains(m), "\(args): should mention \(m): \(r.stderr)") }
        #expect(r.stdout.isEmpty)
    }

    @Test func unknownLevel() throws { try expect(["--level", "district"], status: 2, mentions: ["--level", "district"]) }
    @Test func unknownSort() throws { try expect(["--sort", "name"], status: 2, mentions: ["--sort"]) }
    @Test func unknownZone() throws { try expect(["--explain", "C99"], status: 2, mentions: ["--explain", "C99"]) }
    @Test func unknownZoneInFolder() throws {
        try expect(["--explain", "C99"], status: 2, mentions: ["--explain", "C99"], withDB: false)
    }
    @Test func unknownParent() throws { try expect(["--parent", "S9"], status: 2, mentions: ["--parent", "S9"]) }
    @Test func parentOfStreets() throws { try expect(["--level", "street", "--parent", "S1"], status: 2, mentions: ["--parent"]) }
    @Test func untilBeforeSince() throws {
        try expect(["--since", "2026-11-20", "--until", "2026-11-01"], status: 2, mentions: ["--until", "--since"])
    }
    @Test func badDate() throws { try expect(["--since", "2026-13-01"], status: 2, mentions: ["--since"]) }
    @Test func sinceWithAsOf() throws {
        try expect(["--since", "2026-11-01", "--as-of", "2026-11-20"], status: 2, mentions: ["--as-of"])
    }
    @Test func unknownCategory() throws { try expect(["--category", "radiation"], status: 2, mentions: ["--category", "radiation", "噪声"]) }
    @Test func filtersNeedTheDatabase() throws {
        try expect(["--category", "噪声"], status: 2, mentions: ["--category", "--db"], withDB: false)
        try expect(["--since", "2026-11-01"], status: 2, mentions: ["--since", "--db"], withDB: false)
    }
    @Test func missingOutputFolder() throws {
        let r = try riskmap("stats", "--out", "/nonexistent/riskmap-out")
        #expect(r.status == 1 && r.stderr.contains("/nonexistent/riskmap-out/communities.geojson"), "\(r.stderr)")
    }

    /// A style with one key broken: exit 1, the file and the key named.
    func expectStyleError(replacing old: String, with new: String, mentions: [String]) throws {
        let text = try String(contentsOf: Repo.style, encoding: .utf8).replacingOccurrences(of: old, with: new)
        let url = try Repo.temporaryFolder().appendingPathComponent("broken.toml")
        try Data(text.utf8).write(to: url)
        let r = try riskmap("stats", "--db", Self.fixture.db.path, "--style", url.path)
        #expect(r.status == 1 && r.stderr.contains("broken.toml"), "\(r.stderr)")
        for m in mentions { #expect(r.stderr.contains(m), "should mention \(m): \(r.stderr)") }
    }

    @Test func styleWithMissingKey() throws {
        try expectStyleError(replacing: "half_life_days = 30\n", with: "", mentions: ["half_life_days", "missing"])
    }

    @Test func styleWithMistypedKey() throws {
        try expectStyleError(replacing: "window_days = 30", with: "window_days = \"thirty\"", mentions: ["window_days", "whole number"])
    }

    /// A damaged database stops both commands with exit 1, and is left as it was.
    @Test func corruptDatabase() throws {
        let url = try Repo.temporaryFolder().appendingPathComponent("junk.sqlite")
        let junk = Data(repeating: 0x5A, count: 8192)
        try junk.write(to: url)
        let stats = try riskmap("stats", "--db", url.path)
        #expect(stats.status == 1 && stats.stderr.contains("junk.sqlite") && stats.stderr.contains("not a SQLite database"), "\(stats.stderr)")
        let d = try TinyDistrict()
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let run = try riskmap("run", "--boundaries", d.folder.path, "--cases", cases.path, "--out",
                              d.folder.deletingLastPathComponent().appendingPathComponent("out").path,
                              "--min-zoom", "12", "--max-zoom", "12", "--db", url.path)
        #expect(run.status == 1 && run.stderr.contains("not a SQLite database"), "\(run.stderr)")
        #expect(try Data(contentsOf: url) == junk)
    }

    @Test func missingDatabase() throws {
        let r = try riskmap("stats", "--db", "/tmp/riskmap-no-such.sqlite")
        #expect(r.status == 1 && r.stderr.contains("no such case database"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/riskmap-no-such.sqlite"))
    }
}
