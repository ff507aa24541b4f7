import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Server

/// Issue 16: a run with archive-only output (`--tiles pmtiles|mbtiles`) serves, through `serve`, the very
/// bytes the folder run serves, tile for tile (the demo at zooms 10–15, run by the installed binary).
@Suite("serve: an archive-only run answers as the folder run (issue 16)", .serialized)
struct ArchiveRunServeTests {
    static func run(_ work: URL, _ tiles: String) throws -> URL {
        let r = try installedRiskmap(in: work, ["run", "-q", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                                                "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "15", "--out", tiles, "--tiles", tiles])
        try #require(r.status == 0, "\(r.stderr)")
        return work.appendingPathComponent(tiles)
    }

    /// Status and body of every request, against `folder` served.
    static func answers(_ folder: URL, _ paths: [String]) async throws -> [(HTTPResponse.Status, Data)] {
        try await withServer(prepare: { fixture in
            try FileManager.default.removeItem(at: fixture.out)
            try FileManager.default.copyItem(at: folder, to: fixture.out)
        }) { client, _ in
            var out: [(HTTPResponse.Status, Data)] = []
            for path in paths {
                let r = try await client.execute(uri: path, method: .get)
                out.append((r.status, Data(buffer: r.body)))
            }
            return out
        }
    }

    @Test func archiveRunsServeTheFolderRunsTiles() async throws {
        let work = try Repo.temporaryFolder("archive-run-serve")
        let folder = try Self.run(work, "folder")
        var paths: [String] = []
        for layer in ["heat", "street", "community", "post"] {
            let root = folder.appendingPathComponent("tiles/\(layer)")
            let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".png") }
            paths += files.sorted().map { "/tiles/\(layer)/\($0)" }
            paths.append("/tiles/\(layer)/15/0/0.png")   // nothing drawn there: 204
        }
        let expected = try await Self.answers(folder, paths)
        #expect(expected.filter { $0.0 == .ok }.count == paths.count - 4)
        for kind in ["pmtiles", "mbtiles"] {
            let served = try await Self.answers(try Self.run(work, kind), paths)
            let differing = zip(paths, zip(expected, served)).filter { $1.0.0 != $1.1.0 || $1.0.1 != $1.1.1 }.map(\.0)
            #expect(differing.isEmpty, "\(kind): \(differing.count) of \(paths.count) differ, e.g. \(differing.prefix(3))")
        }
    }
}
