import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

@Suite("serve: the folder served")
struct FolderTests {
    @Test func missingFolderIsAClearStartUpError() throws {
        let folder = ServedFolder(URL(fileURLWithPath: "/nonexistent/riskmap-out"))
        #expect(throws: APIError.self) { try folder.validate() }
        do { try folder.validate() } catch { #expect(error.message.contains("/nonexistent/riskmap-out")) }
    }

    @Test func incompleteFolderNamesWhatIsMissing() throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        try FileManager.default.removeItem(at: fixture.out.appendingPathComponent("tiles.json"))
        try FileManager.default.removeItem(at: fixture.out.appendingPathComponent("tiles"))
        do {
            try ServedFolder(fixture.out).validate()
            Issue.record("an incomplete folder was accepted")
        } catch {
            #expect(error.message.contains("missing tiles.json, tiles/"))
        }
    }

    @Test func brokenTileJSONIsAStartUpError() throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        try "{not json".write(to: fixture.out.appendingPathComponent("tiles.json"), atomically: true, encoding: .utf8)
        #expect(throws: APIError.self) { try ServedFolder(fixture.out).validate() }
    }

    /// `DIR/current` → a day folder: what it points to is served, and moving the link is seen at once.
    @Test func currentLinkIsFollowedPerRequest() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-serve-history-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        try FixtureFolder.write(into: base.appendingPathComponent("2026-11-21"), asOf: "2026-11-21")
        try FixtureFolder.write(into: base.appendingPathComponent("2026-11-22"), asOf: "2026-11-22")
        let link = base.appendingPathComponent("current").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "2026-11-21")
        let folder = ServedFolder(base)
        try folder.validate()
        let app = RiskServer(folder: folder, services: .standard(), limits: FixtureFolder.testLimits).application(host: "127.0.0.1", port: 0)
        try await app.test(.router) { client in
            #expect(try await get(client, "/report.json").text.contains("2026-11-21"))
            #expect(try await get(client, "/api/stats?level=street").status == .ok)
            // Move the link the way a daily run does: a new link renamed over the old one.
            try FileManager.default.createSymbolicLink(atPath: link + ".new", withDestinationPath: "2026-11-22")
            #expect(rename(link + ".new", link) == 0)
            #expect(try await get(client, "/report.json").text.contains("2026-11-22"))
            #expect(try await get(client, "/tiles/street/12/3340/1785.png").status == .ok)
            // The day folders' siblings are not reachable through the link.
            #expect(try await get(client, "/2026-11-21/report.json").status == .notFound)
        }
    }

    /// A run replaces the folder by renaming: cached files and answers follow.
    @Test func replacedFolderIsSeen() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            #expect(try await get(client, "/report.json").text.contains("2026-11-22"))
            #expect(ids(try await get(client, "/api/stats?level=street")) == ["S1"])
            let next = fixture.parent.appendingPathComponent("next")
            try FixtureFolder.write(into: next, asOf: "2026-11-23")
            try FixtureFolder.zone("S9", "新街道", nil, cases: 1, score: 1, level: "green", box: (114, 22.5, 114.04, 22.54))
                .write(to: next.appendingPathComponent("streets.geojson.tmp"), atomically: true, encoding: .utf8)
            try FixtureFolder.collection([String(contentsOf: next.appendingPathComponent("streets.geojson.tmp"), encoding: .utf8)])
                .write(to: next.appendingPathComponent("streets.geojson"), atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(at: fixture.out)
            try FileManager.default.moveItem(at: next, to: fixture.out)
            #expect(try await get(client, "/report.json").text.contains("2026-11-23"))
            #expect(ids(try await get(client, "/api/stats?level=street")) == ["S9"])
        }
    }

    @Test func folderGoneMeanwhileIs503() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            try FileManager.default.removeItem(at: fixture.out)
            #expect(try await get(client, "/healthz").status == .serviceUnavailable)
            #expect(try await get(client, "/tiles/street/12/3340/1785.png").status == .serviceUnavailable)
        }
    }

    @Test func requestPathDecoding() {
        #expect(RequestPath.segments("/tiles/a%20b/1+2.png") == ["tiles", "a b", "1+2.png"])
        #expect(RequestPath.segments("/%E7%A6%8F.json") == ["福.json"])
        #expect(RequestPath.segments("/a/../b") == nil)
        #expect(RequestPath.segments("/a/%2e%2E/b") == nil)
        #expect(RequestPath.segments("/a%2fb") == nil)
        #expect(RequestPath.segments("/a%") == nil)
        #expect(RequestPath.segments("relative") == nil)
    }
}
