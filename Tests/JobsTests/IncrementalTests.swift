import Foundation
import TestSupport
import Testing

/// Daily runs: day 1, then day 2 with 1% new and 0.5% updated cases (scripts/make_day2.py) and the
/// as-of day moved on (cases expire). The incremental day 2 keeps the tiles nothing touched and must
/// equal a full render of day 2 byte for byte: every tile file, every GeoJSON, CSV and viewer file and
/// the tile state; report.json too except the fields that measure time and `tile_updates`.
@Suite struct IncrementalTests {
    static let day2: URL = {
        let tmp = try! Repo.temporaryFolder("day2")
        let url = tmp.appendingPathComponent("day2.csv")
        let r = try! python([Repo.root.appendingPathComponent("scripts/make_day2.py").path,
                             Repo.demo.appendingPathComponent("cases.csv").path, url.path, "--day", "2026-11-23"])
        precondition(r.status == 0, r.stderr)
        return url
    }()

    func run(_ cases: URL, day: String, out: URL, _ extra: [String] = []) throws -> ProcessResult {
        let r = try runProcess(Repo.binary, ["run", "--boundaries", Repo.demo.path, "--cases", cases.path, "--as-of", day,
                                             "--min-zoom", "10", "--max-zoom", "15", "--out", out.path] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return r
    }

    func updates(_ folder: URL) throws -> [String: Any] {
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as! [String: Any]
        return report["tile_updates"] as! [String: Any]
    }

    func expectSameOutput(_ a: URL, _ b: URL) throws {
        let files = try relativeFiles(a)
        #expect(try relativeFiles(b) == files)
        #expect(files.filter { $0.hasPrefix("tiles/") }.count > 100)
        for file in files where file != "report.json" {
            #expect(FileManager.default.contentsEqual(atPath: a.appendingPathComponent(file).path,
                                                      andPath: b.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try timeless(a, dropping: ["tile_updates"]) == timeless(b, dropping: ["tile_updates"]))
    }

    @Test func dayTwoWithHistoryEqualsAFullRender() throws {
        let tmp = try Repo.temporaryFolder()
        let out = tmp.appendingPathComponent("daily"), full = tmp.appendingPathComponent("full")
        _ = try run(Repo.demo.appendingPathComponent("cases.csv"), day: "2026-11-22", out: out, ["--keep", "3"])
        #expect(try updates(out.appendingPathComponent("current"))["mode"] as? String == "full (no previous tile state)")
        _ = try run(Self.day2, day: "2026-11-23", out: out, ["--keep", "3"])
        _ = try run(Self.day2, day: "2026-11-23", out: full)
        let today = out.appendingPathComponent("2026-11-23")
        try expectSameOutput(today, full)

        let u = try updates(today)
        #expect(u["mode"] as? String == "incremental")
        let kept = u["kept"] as! [String: Int], rendered = u["rendered"] as! [String: Int]
        #expect(kept["heat"]! > 0 && rendered["heat"]! > 0, "\(u)")
        #expect(kept.values.reduce(0, +) > rendered.values.reduce(0, +), "\(u)")
        // Kept tiles are the previous day's files, hard-linked.
        let tile = try relativeFiles(today).first { $0.hasPrefix("tiles/street/") }!
        let inode = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? UInt64 }
        if kept["street"] == (try relativeFiles(today).filter { $0.hasPrefix("tiles/street/") }.count) {
            #expect(try inode(today.appendingPathComponent(tile)) == inode(out.appendingPathComponent("2026-11-22/\(tile)")))
        }
    }

    @Test func dayTwoInPlaceEqualsAFullRenderAndAStyleChangeRendersAll() throws {
        let tmp = try Repo.temporaryFolder()
        let out = tmp.appendingPathComponent("out"), full = tmp.appendingPathComponent("full")
        _ = try run(Repo.demo.appendingPathComponent("cases.csv"), day: "2026-11-22", out: out)
        _ = try run(Self.day2, day: "2026-11-23", out: out)
        _ = try run(Self.day2, day: "2026-11-23", out: full)
        try expectSameOutput(out, full)
        #expect(try updates(out)["mode"] as? String == "incremental")

        // Another style file: every tile may change, so nothing is kept.
        let style = tmp.appendingPathComponent("style.toml")
        try (String(contentsOf: Repo.style, encoding: .utf8) + "\n# another file\n").write(to: style, atomically: true, encoding: .utf8)
        _ = try run(Self.day2, day: "2026-11-23", out: out, ["--style", style.path])
        let u = try updates(out)
        #expect((u["mode"] as? String)?.hasPrefix("full (style") == true, "\(u)")
        #expect((u["kept"] as! [String: Int]).values.allSatisfy { $0 == 0 })
    }
}
