import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `riskmap serve` as a person starts it: start-up errors, exit codes, the address it prints.
@Suite("riskmap serve (the command)", .serialized)
struct CommandTests {
    @Test func missingFolderExits1WithAMessage() throws {
        let r = try riskmap("serve", "--out", "/nonexistent/riskmap-output", "--port", "0")
        #expect(r.status == 1)
        #expect(r.stderr.contains("riskmap: error: output folder /nonexistent/riskmap-output does not exist"))
    }

    @Test func incompleteFolderExits1NamingWhatIsMissing() throws {
        let dir = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "<html>".write(to: dir.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let r = try riskmap("serve", "--out", dir.path, "--port", "0")
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a complete riskmap output folder: missing tiles.json"))
    }

    @Test(arguments: [["--port", "70000"], ["--port", "x"], ["--bogus"]])
    func badCommandLineExits2(_ extra: [String]) throws {
        let r = try runProcess(Repo.binary, ["serve", "--out", "/tmp"] + extra)
        #expect(r.status == 2)
    }

    @Test func otherCommandsStillRunUnderTheAsyncRoot() throws {
        #expect(try riskmap("--help").status == 0)
        #expect(try riskmap("locate").status == 2)
        #expect(try riskmap("serve", "--help").stdout.contains("--allow-origin"))
    }

    @Test func portInUseExits1() throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let first = try ServeProcess(out: fixture.out)
        defer { first.stop() }
        let port = String(first.url.split(separator: ":").last ?? "").filter { $0.isNumber }
        let r = try riskmap("serve", "--out", fixture.out.path, "--port", String(port))
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot serve on 127.0.0.1:\(port)"))
    }

    @Test func servesOnLoopbackWithCORSWhenAsked() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let server = try ServeProcess(out: fixture.out, extra: ["--allow-origin", "*"])
        defer { server.stop() }
        #expect(server.url.hasPrefix("http://127.0.0.1:"))
        let (data, response) = try await URLSession.shared.data(from: URL(string: server.url + "api/zones?level=street")!)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Access-Control-Allow-Origin") == "*")
        #expect(String(decoding: data, as: UTF8.self).contains("福田街道"))
    }
}
