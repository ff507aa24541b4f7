import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// `current` naming a day folder that is not there (a run killed between two renames on a file
/// system without an exchange, or one publishing right now): `serve` answers 503 with a message and
/// never serves the history folder above the days in its place — its days' rejects.csv least of all.
@Suite("serve: a dangling current link")
struct DanglingCurrentTests {
    @Test func danglingCurrentIs503AndNeverTheHistoryRoot() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-serve-dangling-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: base) }
        try FixtureFolder.write(into: base.appendingPathComponent("2026-11-21"), asOf: "2026-11-21")
        let day = base.appendingPathComponent("2026-11-22")
        try FixtureFolder.write(into: day, asOf: "2026-11-22")
        let link = base.appendingPathComponent("current").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "2026-11-22")
        let folder = ServedFolder(base)
        try folder.validate()
        let app = RiskServer(folder: folder, services: .standard(), limits: FixtureFolder.testLimits).application(host: "127.0.0.1", port: 0)
        try await app.test(.router) { client in
            #expect(try await get(client, "/report.json").text.contains("2026-11-22"))
            // The day folder moved aside, as the two-rename path does for a moment.
            try FileManager.default.moveItem(at: day, to: base.appendingPathComponent(".2026-11-22.old-1-x"))
            for path in ["/report.json", "/healthz", "/2026-11-21/rejects.csv", "/2026-11-21/report.json",
                         "/tiles/street/12/3340/1785.png", "/api/stats?level=street"] {
                let r = try await get(client, path)
                #expect(r.status == .serviceUnavailable, "\(path): \(r.status)")
                #expect(!r.text.contains("深南大道"), "\(path) leaked a reject: \(r.text)")
            }
            #expect(try await get(client, "/report.json").text.contains("current names a day folder that is not there"))
            // The link removed altogether: still not the history folder.
            try FileManager.default.removeItem(atPath: link)
            #expect(try await get(client, "/2026-11-21/rejects.csv").status == .serviceUnavailable)
            // A complete day named again: served at once.
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "2026-11-21")
            #expect(try await get(client, "/report.json").text.contains("2026-11-21"))
        }
    }

    /// A day's rejects.csv is private at any depth, whatever folder is served.
    @Test func rejectsAreNotServedBelowTheTop() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let sub = fixture.out.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture.out.appendingPathComponent("rejects.csv"), to: sub.appendingPathComponent("rejects.csv"))
        try await fixture.app().test(.router) { client in
            let r = try await get(client, "/old/rejects.csv")
            #expect(r.status == .notFound)
        }
    }
}
