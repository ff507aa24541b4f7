import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// Runs `body` against a server of a fresh fixture folder, over real HTTP on 127.0.0.1 (random port), or
/// with `live: false` through the router alone: no socket, so no client read timeout (20 s in
/// HummingbirdTesting), which two cores busy with the blocking tests of other suites could exceed.
func withFixture<T: Sendable>(live: Bool = true,
                              _ body: @Sendable (any TestClientProtocol, FixtureFolder) async throws -> T) async throws -> T {
    let fixture = try FixtureFolder()
    defer { fixture.remove() }
    guard live else { return try await fixture.app().test(.router) { client in try await body(client, fixture) } }
    // The live server and its client on threads of their own (`ServerTestExecutor`), not on the two
    // cooperative threads that other suites' blocking tests can hold for longer than the client waits.
    return try await withTaskExecutorPreference(ServerTestExecutor.shared) {
        try await fixture.app().test(.live) { client in try await body(client, fixture) }
    }
}

/// A task executor on a dispatch queue of its own (threads outside Swift's cooperative pool): the tasks
/// of the live test servers run there, so that a test that blocks a cooperative thread for a minute
/// (a child process, a Python oracle) cannot starve a server whose client gives up after 20 s.
final class ServerTestExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = ServerTestExecutor()
    private let queue = DispatchQueue(label: "riskmap.tests.live-server", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .get, headers: headers)
}

@Suite("serve: files and tiles")
struct FileTests {
    @Test func healthz() async throws {
        try await withFixture { client, _ in
            let r = try await get(client, "/healthz")
            #expect(r.status == .ok)
            #expect((r.json as? [String: Any])?["status"] as? String == "ok")
        }
    }

    @Test func rootIsTheViewerAndFilesHaveTypesAndETags() async throws {
        try await withFixture { client, _ in
            let page = try await get(client, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("<title>riskmap</title>"))
            #expect(page.headers[.cacheControl] == "no-cache")
            let tiles = try await get(client, "/tiles.json")
            #expect(tiles.headers[.contentType] == "application/json")
            #expect(tiles.headers[.eTag] != nil)
            #expect(try await get(client, "/streets.geojson").headers[.contentType] == "application/geo+json")
            #expect(try await get(client, "/lib/leaflet/leaflet.js").headers[.cacheControl] == "public, max-age=86400")
        }
    }

    @Test func tileHasContentTypeETagAndCacheControl() async throws {
        try await withFixture { client, _ in
            let r = try await get(client, "/tiles/street/12/3340/1785.png")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "image/png")
            #expect(r.headers[.cacheControl] == "public, max-age=300")
            #expect(Data(buffer: r.body) == FixtureFolder.tilePNG)
            let etag = try #require(r.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.count > 4)
            let again = try await get(client, "/tiles/street/12/3340/1785.png", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test func tileWithoutDataIs204() async throws {
        try await withFixture { client, _ in
            let r = try await get(client, "/tiles/post/12/3340/1785.png")
            #expect(r.status == .noContent)
            #expect(r.headers[.cacheControl] == "public, max-age=300")
            #expect(try await get(client, "/tiles/street/14/0/0.png").status == .noContent)
        }
    }

    @Test(arguments: ["/tiles/heat/12/3340/1785.png", "/tiles/street/12/3340/1785.jpg", "/tiles/street/12/3340",
                      "/tiles/street/12/3340/1785/1.png", "/tiles/", "/nothing.html", "/api/nothing"])
    func notATileOrFileIs404(_ uri: String) async throws {
        try await withFixture { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .notFound)
            #expect((r.json as? [String: Any])?["error"] is String)
        }
    }

    @Test(arguments: ["/tiles/street/12/abc/1785.png", "/tiles/street/12/4096/1785.png", "/tiles/street/12/3340/-1.png",
                      "/tiles/street/31/0/0.png", "/tiles/street/1e3/0/0.png", "/tiles/street/12/+3340/1785.png"])
    func impossibleTileNumbersAre400(_ uri: String) async throws {
        try await withFixture { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .badRequest)
            #expect(((r.json as? [String: Any])?["error"] as? String)?.contains("tile") == true)
        }
    }

    /// Everything that could reach outside the folder, or private files inside it.
    @Test(arguments: ["/../secret.txt", "/tiles/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                      "/lib/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/lib/..%5c..%5csecret.txt", "//etc/passwd",
                      "/leak.txt", "/outside/secret.txt", "/tiles/street/12/3340/1786.png", "/rejects.csv",
                      "/.staging", "/./index.html", "/index.html%00.png", "/%252e%252e/secret.txt"])
    func pathsLeavingTheFolderAre404(_ uri: String) async throws {
        try await withFixture { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .notFound, "\(uri) -> \(r.status)")
            #expect(!r.text.contains("top secret"))
        }
    }

    @Test func headAndMethods() async throws {
        try await withFixture { client, _ in
            let head = try await client.execute(uri: "/tiles/street/12/3340/1785.png", method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == String(FixtureFolder.tilePNG.count))
            #expect(head.body.readableBytes == 0)
            let post = try await client.execute(uri: "/api/stats", method: .post)
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD, OPTIONS")   // OPTIONS since issue 14 (CORS preflights)
        }
    }
}
