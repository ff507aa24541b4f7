import Foundation
import TestSupport
import Testing

/// The viewer in a real browser (Debian's chromium, headless, driven by selenium through Debian's
/// chromedriver; `scripts/install-deps.sh --test` installs all three): the demo district is run, served
/// with `riskmap serve` on loopback, and `scripts/browser_check.py` checks tiles, popup, search and the
/// README's embedding examples. The screenshot lands in `.build/test-artifacts/viewer.png`.
@Suite("viewer in chromium", .serialized, .timeLimit(.minutes(10)))
struct BrowserTests {
    @Test func viewerFromRiskmapServe() throws {
        let dir = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("output")
        // A small zoom range keeps the run short in a debug build; the viewer is the same.
        let run = try riskmap("run", "--boundaries", "boundaries/demo", "--cases", "boundaries/demo/cases.csv",
                              "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "11", "--max-zoom", "14")
        try #require(run.status == 0, "riskmap run failed: \(run.stderr)")
        let server = try ServeProcess(out: out, extra: ["--allow-origin", "*"])
        defer { server.stop() }
        try #require(server.url.hasPrefix("http://127.0.0.1:"), "riskmap serve printed \(server.url)")

        let artifacts = Repo.root.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("viewer.png")
        try? FileManager.default.removeItem(at: screenshot)
        var arguments = ["python3", "scripts/browser_check.py", "--url", server.url, "--out", out.path,
                         "--screenshot", screenshot.path, "--examples", "docs/examples"]
        if let maplibre = try? maplibreFolder() { arguments += ["--maplibre", maplibre] }
        let check = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 240)
        #expect(check.status == 0, "browser check: \(check.stdout) \(check.stderr.suffix(2000))")
        #expect(check.stdout.contains(#""ok": true"#))
        #expect(FileManager.default.fileExists(atPath: screenshot.path))
        print("browser check: \(check.stdout)")
    }

    /// The viewer over a GCJ-02 basemap (a stand-in made by scripts/stand_in_basemap.py: marks drawn at
    /// prcoords' GCJ-02 positions of two places of a community, served on loopback): the run with
    /// `--basemap-crs gcj02` makes the viewer load the GCJ-02 pyramid, and on the screenshot the marks
    /// fall on that community's fill and outline. The screenshot lands in
    /// `.build/test-artifacts/viewer-gcj02-basemap.png`.
    @Test func gcj02BasemapLinesUpWithTheOverlay() throws {
        let dir = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let basemap = Process()
        basemap.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        basemap.arguments = ["python3", Repo.root.appendingPathComponent("scripts/stand_in_basemap.py").path,
                             "--boundaries", Repo.demo.path, "--tiles", dir.appendingPathComponent("basemap").path]
        let pipe = Pipe()
        basemap.standardOutput = pipe
        try basemap.run()
        defer { if basemap.isRunning { basemap.terminate() }; basemap.waitUntilExit() }
        let marks = try ServeProcess.firstLine(pipe.fileHandleForReading, timeout: 60)
        let url = try #require((try JSONSerialization.jsonObject(with: Data(marks.utf8)) as? [String: Any])?["url"] as? String)

        let out = dir.appendingPathComponent("output")
        let run = try riskmap("run", "--boundaries", "boundaries/demo", "--cases", "boundaries/demo/cases.csv",
                              "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "15", "--max-zoom", "16",
                              "--basemap-url", url, "--basemap-crs", "gcj02", "--basemap-attribution", "stand-in GCJ-02 basemap")
        try #require(run.status == 0, "riskmap run failed: \(run.stderr)")
        let server = try ServeProcess(out: out)
        defer { server.stop() }
        let artifacts = Repo.root.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("viewer-gcj02-basemap.png")
        let check = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                   ["python3", "scripts/browser_check.py", "--url", server.url, "--out", out.path,
                                    "--screenshot", screenshot.path, "--basemap", marks], timeout: 240)
        #expect(check.status == 0, "browser check: \(check.stdout) \(check.stderr.suffix(2000))")
        #expect(check.stdout.contains(#""ok": true"#))
        print("basemap check: \(check.stdout)")
    }

    /// The README's snippets are the files the browser test opens, word for word.
    @Test func readmeSnippetsAreTheTestedExamples() throws {
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        for name in ["leaflet.html", "maplibre.html"] {
            let example = try String(contentsOf: Repo.root.appendingPathComponent("docs/examples/\(name)"), encoding: .utf8)
            #expect(readme.contains(example), "README lacks docs/examples/\(name) verbatim")
        }
    }

    /// MapLibre GL JS as the `maplibre` wheel ships it (not in Debian; installed by install-deps --test).
    func maplibreFolder() throws -> String {
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c",
            "import importlib.util as u, os; print(os.path.join(u.find_spec('maplibre').submodule_search_locations[0], 'srcjs'))"], timeout: 60)
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.status == 0, FileManager.default.fileExists(atPath: path + "/maplibre-gl.js") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return path
    }
}
