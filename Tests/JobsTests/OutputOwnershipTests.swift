import Foundation
import TestSupport
import Testing

/// `--out` is riskmap's alone (issue 12): a run replaces only an absent path, an empty folder or a
/// folder riskmap wrote; anything else stops it with exit 1, the path named and left byte for byte
/// as it was, unless `--force`. The same for `--keep` day folders, `merge --out` and the archives.
@Suite struct OutputOwnershipTests {
    func run(_ d: TinyDistrict, out: URL, day: String = "2026-11-22", _ extra: [String] = []) throws -> ProcessResult {
        let cases = try d.writeCases(TinyDistrict.goodCases)
        return try runProcess(Repo.binary, ["run", "--boundaries", d.folder.path, "--cases", cases.path, "--out", out.path,
                                            "--as-of", day, "--min-zoom", "12", "--max-zoom", "12", "--style", Repo.style.path]
                              + extra)
    }

    /// A run on `path` fails with exit 1 naming it and saying what to do; nothing there changes.
    func expectRefused(_ d: TinyDistrict, out: URL, watching: URL? = nil, mentions: [String] = [], _ extra: [String] = []) throws {
        let watched = watching ?? out
        _ = try d.writeCases(TinyDistrict.goodCases)
        let before = try contents(watched)
        let r = try run(d, out: out, extra)
        #expect(r.status == 1, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(out.path) || mentions.contains { r.stderr.contains($0) }, "\(r.stderr)")
        for m in mentions { #expect(r.stderr.contains(m), "should mention \(m): \(r.stderr)") }
        let after = try contents(watched)
        #expect(after == before, "changed: \(Set(after.keys).symmetricDifference(before.keys).sorted()) \(after.filter { before[$0.key] != $0.value }.keys.sorted())")
        #expect(leftovers(out.deletingLastPathComponent()).isEmpty)
    }

    @Test func aFolderRiskmapDidNotWriteIsLeftUntouchedUnlessForced() throws {
        let d = try TinyDistrict()
        let thesis = d.folder.deletingLastPathComponent().appendingPathComponent("thesis")
        try FileManager.default.createDirectory(at: thesis.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try Data("\\documentclass{book}".utf8).write(to: thesis.appendingPathComponent("thesis.tex"))
        try Data("draft".utf8).write(to: thesis.appendingPathComponent("chapters/1.tex"))
        try expectRefused(d, out: thesis, mentions: ["--force", "riskmap did not write"])
        let forced = try run(d, out: thesis, ["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(report(thesis)?["input_rows"] as? Int == 3)
        #expect(!FileManager.default.fileExists(atPath: thesis.appendingPathComponent("thesis.tex").path))
    }

    @Test func aFileALinkAndADeviceAreRefused() throws {
        let d = try TinyDistrict()
        let tmp = d.folder.deletingLastPathComponent()
        // A case file given as --out by mistake.
        let csv = try d.writeCases(TinyDistrict.goodCases, name: "export.csv")
        try expectRefused(d, out: csv, watching: tmp, mentions: ["a file", "--force"])
        // A link to someone's folder: neither the link nor its target is touched.
        let elsewhere = tmp.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: elsewhere.appendingPathComponent("notes.txt"))
        let link = tmp.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: elsewhere.path)
        try expectRefused(d, out: link, watching: tmp, mentions: ["symbolic link"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == elsewhere.path)
        // A special file (a fifo here; /dev/null is one too) is never replaced, even with --force.
        let fifo = tmp.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try expectRefused(d, out: fifo, mentions: ["never replaces"], ["--force"])
        var st = stat()
        #expect(lstat(fifo.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
        // With --force the file and the link themselves are replaced (the link's target is not).
        #expect(try run(d, out: csv, ["--force"]).status == 0)
        #expect(report(csv) != nil)
        #expect(try run(d, out: link, ["--force"]).status == 0)
        #expect(try contents(elsewhere) == ["notes.txt": Data("keep me".utf8)])
    }

    @Test func anEmptyFolderAndAnEarlierOutputAreReplacedAndEveryOutputIsMarked() throws {
        let d = try TinyDistrict()
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(try run(d, out: out).status == 0)
        let marker = try String(contentsOf: out.appendingPathComponent(".riskmap-output"), encoding: .utf8)
        let fields = try JSONSerialization.jsonObject(with: Data(marker.utf8)) as? [String: Any]
        #expect(fields?["tool"] as? String == "riskmap" && fields?["format"] as? Int == 1, "\(marker)")
        // An output of a riskmap from before the marker: its report proves it.
        try FileManager.default.removeItem(at: out.appendingPathComponent(".riskmap-output"))
        #expect(try run(d, out: out, day: "2026-11-23").status == 0)
        #expect(report(out)?["as_of"] as? String == "2026-11-23")
    }

    @Test func keepPrunesOnlyRiskmapsDayFolders() throws {
        let d = try TinyDistrict()
        let root = d.folder.deletingLastPathComponent().appendingPathComponent("history")
        for day in ["2026-11-01", "2026-11-02"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(day), withIntermediateDirectories: true)
            try Data("field notes \(day)".utf8).write(to: root.appendingPathComponent("\(day)/notes.txt"))
        }
        let theirs = try contents(root)
        for day in ["2026-11-20", "2026-11-21", "2026-11-22"] {
            let r = try run(d, out: root, day: day, ["--keep", "1"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == ["2026-11-01", "2026-11-02", "2026-11-22", "current"])
        #expect(try contents(root).filter { $0.key.hasPrefix("2026-11-0") } == theirs)
    }

    @Test func keepRefusesADayFolderOrACurrentLinkThatIsNotRiskmaps() throws {
        let d = try TinyDistrict()
        let root = d.folder.deletingLastPathComponent().appendingPathComponent("history")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("2026-11-22"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: root.appendingPathComponent("2026-11-22/notes.txt"))
        try expectRefused(d, out: root, mentions: ["2026-11-22", "--force"], ["--keep", "2"])
        try FileManager.default.removeItem(at: root.appendingPathComponent("2026-11-22"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("current").path, withDestinationPath: "releases/v3")
        try expectRefused(d, out: root, mentions: ["current", "releases/v3"], ["--keep", "2"])
    }

    @Test func archivePathsAreRiskmapsAlone() throws {
        let d = try TinyDistrict()
        let tmp = d.folder.deletingLastPathComponent()
        let out = tmp.appendingPathComponent("out")
        // Someone's SQLite database and a text file where the archives would go.
        let foreign = tmp.appendingPathComponent("survey.mbtiles")
        let made = try python(["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE answers (q, a)'); "
                               + "c.execute(\"INSERT INTO answers VALUES (1, 'yes')\"); c.commit()", foreign.path])
        try #require(made.status == 0, "\(made.stderr)")
        try expectRefused(d, out: out, watching: tmp, mentions: [foreign.path, "--mbtiles"], ["--mbtiles", foreign.path])
        let text = tmp.appendingPathComponent("notes-street.pmtiles")
        try Data("not an archive".utf8).write(to: text)
        try expectRefused(d, out: out, watching: tmp, mentions: [text.path, "--pmtiles"], ["--pmtiles", tmp.appendingPathComponent("notes.pmtiles").path])
        // Archives riskmap wrote are replaced by the next run.
        let archives = ["--mbtiles", tmp.appendingPathComponent("risk.mbtiles").path, "--pmtiles", tmp.appendingPathComponent("risk.pmtiles").path]
        #expect(try run(d, out: out, archives).status == 0)
        let again = try run(d, out: out, day: "2026-11-23", archives)
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// Someone's SQLite file as --db: refused before SQLite opens it for writing (which would switch it
    /// to WAL mode, rewriting its header), byte for byte as it was, no -wal or -shm beside it.
    @Test func aDatabaseThatIsNotRiskmapsIsRefusedUnchanged() throws {
        let d = try TinyDistrict()
        let tmp = d.folder.deletingLastPathComponent()
        let survey = tmp.appendingPathComponent("survey.sqlite")
        let made = try python(["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE answers (q, a)'); "
                               + "c.execute(\"INSERT INTO answers VALUES (1, 'yes')\"); c.commit()", survey.path])
        try #require(made.status == 0, "\(made.stderr)")
        let before = try Data(contentsOf: survey)
        let r = try run(d, out: tmp.appendingPathComponent("out"), ["--db", survey.path])
        #expect(r.status == 1 && r.stderr.contains(survey.path) && r.stderr.contains("not riskmap's"), "\(r.status) \(r.stderr)")
        let stats = try riskmap("stats", "--db", survey.path, "--style", Repo.style.path)
        #expect(stats.status == 1 && stats.stderr.contains("not riskmap's"), "\(stats.status) \(stats.stderr)")
        #expect(try Data(contentsOf: survey) == before)
        for suffix in ["-wal", "-shm"] { #expect(!FileManager.default.fileExists(atPath: survey.path + suffix)) }
    }

    @Test func mergeOutIsRiskmapsAlone() throws {
        let d = try TinyDistrict()
        let tmp = d.folder.deletingLastPathComponent()
        let shard = tmp.appendingPathComponent("shard")
        #expect(try run(d, out: shard).status == 0)
        let thesis = tmp.appendingPathComponent("thesis")
        try FileManager.default.createDirectory(at: thesis, withIntermediateDirectories: true)
        try Data("chapter 1".utf8).write(to: thesis.appendingPathComponent("1.tex"))
        let r = try riskmap("merge", "--out", thesis.path, shard.path)
        #expect(r.status == 1 && r.stderr.contains(thesis.path), "\(r.status) \(r.stderr)")
        #expect(try contents(thesis) == ["1.tex": Data("chapter 1".utf8)])
        let merged = tmp.appendingPathComponent("merged")
        #expect(try riskmap("merge", "--out", merged.path, shard.path).status == 0)
        // A merged folder is riskmap's by its report: merging into it again replaces it.
        let again = try riskmap("merge", "--out", merged.path, shard.path)
        #expect(again.status == 0, "\(again.stderr)")
    }
}
