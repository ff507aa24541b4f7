import Support
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import Server

/// Runs `body` against a server with `options` over a fresh fixture (prepared by `prepare`).
func withServer<T: Sendable>(_ options: ServeOptions = ServeOptions(), prepare: (FixtureFolder) throws -> Void = { _ in },
                             _ body: @Sendable (any TestClientProtocol, FixtureFolder) async throws -> T) async throws -> T {
    let fixture = try FixtureFolder()
    defer { fixture.remove() }
    try prepare(fixture)
    // The router, not a live socket: with no socket there is no client read timeout (20 s in HummingbirdTesting),
    // which two cores busy with the blocking tests of other suites could exceed.
    return try await fixture.app(options: options).test(.router) { client in try await body(client, fixture) }
}

/// A request as it reaches the server, with any Host.
func request(_ path: String, host: String? = "localhost", headers: HTTPFields = [:]) -> Request {
    Request(head: HTTPRequest(method: .get, scheme: "http", authority: host, path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer()))
}

/// The bytes of a response's body (from `RiskServer.respond`, not over HTTP).
func bodyBytes(_ response: Response) async throws -> Data {
    final class Sink: @unchecked Sendable { var buffer = ByteBuffer() }
    struct Collector: ResponseBodyWriter {
        let sink: Sink
        mutating func write(_ buffer: ByteBuffer) async throws { var b = buffer; sink.buffer.writeBuffer(&b) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
    let sink = Sink()
    try await response.body.write(Collector(sink: sink))
    return Data(buffer: sink.buffer)
}

func gunzip(_ data: Data) throws -> Data {
    Data(try Gzip.decompress(Array(data)))
}

func object(_ r: TestResponse) -> [String: Any] { r.json as? [String: Any] ?? [:] }
func tiles(_ doc: [String: Any]) -> [String] { doc["tiles"] as? [String] ?? [] }

@Suite("serve: TileJSON with absolute URLs (issue 14)")
struct TileJSONTests {
    @Test func tileURLsAreAbsoluteFromTheHost() async throws {
        try await withServer { client, _ in
            let r = try await get(client, "/tiles.json")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json")
            let doc = object(r)
            #expect(tiles(doc) == ["http://localhost/tiles/community/{z}/{x}/{y}.png"])
            let layers = try #require(doc["layers"] as? [[String: Any]])
            #expect(layers.map { tiles($0) } == ["street", "community", "post"].map { ["http://localhost/tiles/\($0)/{z}/{x}/{y}.png"] })
        }
        // Any Host the request names, port included.
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let server = fixture.server()
        let r = await server.respond(request("/tiles.json", host: "maps.example:8080"))
        let doc = try JSONSerialization.jsonObject(with: try await bodyBytes(r)) as? [String: Any] ?? [:]
        #expect(tiles(doc) == ["http://maps.example:8080/tiles/community/{z}/{x}/{y}.png"])
        // A Host that could bend the URL, or none: refused, not reflected.
        #expect(await server.respond(request("/tiles.json", host: "evil.example/x?")).status == .badRequest)
        #expect(await server.respond(request("/tiles.json", host: nil)).status == .badRequest)
    }

    @Test func publicURLWinsOverTheHost() async throws {
        try await withServer(ServeOptions(publicURL: "https://maps.example.org/risk")) { client, _ in
            let doc = object(try await get(client, "/tiles.json"))
            #expect(tiles(doc) == ["https://maps.example.org/risk/tiles/community/{z}/{x}/{y}.png"])
            let street = object(try await get(client, "/tiles/street.json"))
            #expect(tiles(street) == ["https://maps.example.org/risk/tiles/street/{z}/{x}/{y}.png"])
        }
        #expect(ServeOptions.problem(publicURL: "ftp://x.example/") != nil)
        #expect(ServeOptions.problem(publicURL: "maps.example.org") != nil)
        #expect(ServeOptions.problem(publicURL: "https://maps.example.org/risk/") == nil)
    }

    @Test func oneTileJSONPerLayer() async throws {
        try await withServer { client, _ in
            let r = try await get(client, "/tiles/street.json")
            #expect(r.status == .ok)
            let doc = object(r)
            #expect(doc["tilejson"] as? String == "3.0.0")
            #expect(doc["id"] as? String == "street")
            #expect(doc["minzoom"] as? Int == 10 && doc["maxzoom"] as? Int == 14)
            #expect(tiles(doc) == ["http://localhost/tiles/street/{z}/{x}/{y}.png"])
            #expect(doc["layers"] == nil)
            #expect(try await get(client, "/tiles/heat.json").status == .notFound)
        }
    }

    /// A second pyramid (`tiles-gcj02.json` + `tiles-gcj02/`) is served like the first.
    @Test func gcj02PyramidIsServedLikeTiles() async throws {
        try await withServer(prepare: { try FixtureFolder.addGCJ02Pyramid(to: $0.out) }) { client, _ in
            let doc = object(try await get(client, "/tiles-gcj02.json"))
            let layers = try #require(doc["layers"] as? [[String: Any]])
            #expect(layers.map { tiles($0) } == ["street", "community", "post"].map { ["http://localhost/tiles-gcj02/\($0)/{z}/{x}/{y}.png"] })
            #expect(tiles(object(try await get(client, "/tiles-gcj02/post.json"))) == ["http://localhost/tiles-gcj02/post/{z}/{x}/{y}.png"])
            let tile = try await get(client, "/tiles-gcj02/street/12/3340/1785.png")
            #expect(tile.status == .ok)
            #expect(tile.headers[.contentType] == "image/png")
            #expect(Data(buffer: tile.body) == FixtureFolder.tilePNG)
            #expect(try await get(client, "/tiles-gcj02/post/12/3340/1785.png").status == .noContent)
            #expect(try await get(client, "/tiles-gcj02/heat/12/3340/1785.png").status == .notFound)
            #expect(try await get(client, "/tiles-gcj02/street/12/abc/1785.png").status == .badRequest)
        }
        // A folder without it: 404, not a server error.
        try await withServer { client, _ async throws in
            #expect(try await get(client, "/tiles-gcj02.json").status == .notFound)
            #expect(try await get(client, "/tiles-gcj02/street.json").status == .notFound)
            #expect(try await get(client, "/tiles-gcj02/street/12/3340/1785.png").status == .notFound)
        }
    }
}

@Suite("serve: gzip, ranges, ETags (issue 14)")
struct RepresentationTests {
    @Test func geoJSONIsGzippedWhenAcceptedAndRoundTrips() async throws {
        try await withServer { client, fixture in
            let plain = try await get(client, "/streets.geojson")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            let onDisk = try Data(contentsOf: fixture.out.appendingPathComponent("streets.geojson"))
            #expect(Data(buffer: plain.body) == onDisk)
            let zipped = try await get(client, "/streets.geojson", headers: [.acceptEncoding: "br, gzip;q=0.8"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.vary] == "Accept-Encoding")
            #expect(zipped.headers[.contentType] == "application/geo+json")
            #expect(zipped.headers[.contentLength] == String(zipped.body.readableBytes))
            #expect(try gunzip(Data(buffer: zipped.body)) == onDisk)
            let tag = try #require(zipped.headers[.eTag])
            #expect(tag != plain.headers[.eTag])
            #expect(try await get(client, "/streets.geojson", headers: [.acceptEncoding: "gzip", .ifNoneMatch: tag]).status == .notModified)
            // Refused explicitly: identity.
            #expect(try await get(client, "/streets.geojson", headers: [.acceptEncoding: "gzip;q=0"]).headers[.contentEncoding] == nil)
        }
    }

    @Test func apiAnswersAreGzippedAndPNGIsNot() async throws {
        try await withServer { client, _ in
            let plain = try await get(client, "/api/zones?level=post")
            let zipped = try await get(client, "/api/zones?level=post", headers: [.acceptEncoding: "gzip"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(try gunzip(Data(buffer: zipped.body)) == Data(buffer: plain.body))
            let tilejson = try await get(client, "/tiles.json", headers: [.acceptEncoding: "gzip"])
            #expect(tilejson.headers[.contentEncoding] == "gzip")
            #expect(try JSONSerialization.jsonObject(with: try gunzip(Data(buffer: tilejson.body))) is [String: Any])
            let tile = try await get(client, "/tiles/street/12/3340/1785.png", headers: [.acceptEncoding: "gzip"])
            #expect(tile.headers[.contentEncoding] == nil)
            #expect(tile.headers[.vary] == nil)
            #expect(Data(buffer: tile.body) == FixtureFolder.tilePNG)
        }
    }

    /// Compressed once: the second request is answered from the cache's gzip entry.
    @Test func gzipVariantIsComputedOnceAndCached() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let server = fixture.server()
        let first = await server.respond(request("/communities.geojson", headers: [.acceptEncoding: "gzip"]))
        let tag = try #require(first.headers[.eTag])
        let source = CacheKey.file(try ServedFolder(fixture.out).snapshot().path + "/communities.geojson")
        let identity = try #require(server.memory.value(for: source))
        let cached = try #require(server.memory.value(for: .gzip(source: source, etag: identity.etag)))
        #expect(cached.etag == tag)
        let entries = server.memory.usage.entries
        let second = await server.respond(request("/communities.geojson", headers: [.acceptEncoding: "gzip"]))
        #expect(second.headers[.eTag] == tag)
        #expect(server.memory.usage.entries == entries)
        #expect(try await bodyBytes(second) == Data(buffer: cached.body))
    }

    @Test func singleByteRanges() async throws {
        try await withServer { client, fixture in
            let whole = try Data(contentsOf: fixture.out.appendingPathComponent("streets.geojson"))
            let n = whole.count
            func range(_ spec: String, _ extra: HTTPFields = [:]) async throws -> TestResponse {
                var headers = extra
                headers[.range] = spec
                return try await get(client, "/streets.geojson", headers: headers)
            }
            let head = try await range("bytes=0-9", [.acceptEncoding: "gzip"])
            #expect(head.status == .partialContent)
            #expect(head.headers[.contentRange] == "bytes 0-9/\(n)")
            #expect(head.headers[.contentEncoding] == nil)
            #expect(head.headers[.acceptRanges] == "bytes")
            #expect(Data(buffer: head.body) == whole.prefix(10))
            let tail = try await range("bytes=-7")
            #expect(tail.headers[.contentRange] == "bytes \(n - 7)-\(n - 1)/\(n)")
            #expect(Data(buffer: tail.body) == whole.suffix(7))
            let rest = try await range("bytes=20-")
            #expect(Data(buffer: rest.body) == whole.dropFirst(20))
            let past = try await range("bytes=\(n)-")
            #expect(past.status == .rangeNotSatisfiable)
            #expect(past.headers[.contentRange] == "bytes */\(n)")
            // Clipped to the end; several ranges and other units are ignored (the whole file).
            #expect(Data(buffer: try await range("bytes=\(n - 3)-\(n + 100)").body) == whole.suffix(3))
            #expect(try await range("bytes=0-1,5-6").status == .ok)
            #expect(try await range("items=0-1").status == .ok)
            // If-Range: the current ETag lets the range through, another one gets the whole file.
            let etag = try #require(head.headers[.eTag])
            #expect(try await range("bytes=0-9", [.ifRange: etag]).status == .partialContent)
            let stale = try await range("bytes=0-9", [.ifRange: "\"0000\""])
            #expect(stale.status == .ok)
            #expect(Data(buffer: stale.body) == whole)
            // Tiles too.
            let tile = try await get(client, "/tiles/street/12/3340/1785.png", headers: [.range: "bytes=1-3"])
            #expect(tile.status == .partialContent)
            #expect(Data(buffer: tile.body) == FixtureFolder.tilePNG[1...3])
        }
    }

    /// `.pmtiles` has its content type; ranges of a file too large for the cache read only their bytes.
    @Test func pmtilesArchiveWithRanges() async throws {
        let big = 17 << 20
        try await withServer(prepare: { fixture in
            var data = Data(count: big)
            for i in stride(from: 0, to: big, by: 4093) { data[i] = UInt8(truncatingIfNeeded: i / 4093) }
            try data.write(to: fixture.out.appendingPathComponent("tiles/heat.pmtiles"))
            try Data("PMTiles".utf8).write(to: fixture.out.appendingPathComponent("small.pmtiles"))
        }) { client, fixture in
            let small = try await get(client, "/small.pmtiles")
            #expect(small.headers[.contentType] == "application/vnd.pmtiles")
            #expect(small.text == "PMTiles")
            let data = try Data(contentsOf: fixture.out.appendingPathComponent("tiles/heat.pmtiles"))
            let r = try await get(client, "/tiles/heat.pmtiles", headers: [.range: "bytes=16372000-16372999"])
            #expect(r.status == .partialContent)
            #expect(r.headers[.contentType] == "application/vnd.pmtiles")
            #expect(r.headers[.contentRange] == "bytes 16372000-16372999/\(big)")
            #expect(Data(buffer: r.body) == data[16372000...16372999])
            let etag = try #require(r.headers[.eTag])
            #expect(try await get(client, "/tiles/heat.pmtiles", headers: [.range: "bytes=-10", .ifRange: etag]).status == .partialContent)
            #expect(try await get(client, "/tiles/heat.pmtiles", headers: [.range: "bytes=\(big)-"]).status == .rangeNotSatisfiable)
        }
    }

    /// A GeoJSON over the cache's file limit: whole and gzipped (the variant kept), ranges of its bytes.
    @Test func largeGeoJSON() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let feature = #"{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Point","coordinates":[114.01,22.51]}}"#
        let text = #"{"type":"FeatureCollection","features":["# + Array(repeating: feature, count: 180_000).joined(separator: ",") + "]}"
        let data = Data(text.utf8)
        #expect(data.count > 16 << 20)
        try data.write(to: fixture.out.appendingPathComponent("big.geojson"))
        let server = RiskServer(folder: ServedFolder(fixture.out), services: .standard(), limits: ServerLimits(cacheBytes: 64 << 20, idleTimeout: FixtureFolder.testLimits.idleTimeout))
        let plain = await server.respond(request("/big.geojson"))
        #expect(try await bodyBytes(plain) == data)
        for _ in 0..<2 {
            let zipped = await server.respond(request("/big.geojson", headers: [.acceptEncoding: "gzip"]))
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(try gunzip(try await bodyBytes(zipped)) == data)
        }
        #expect(server.memory.usage.entries == 1)
        let part = await server.respond(request("/big.geojson", headers: [.range: "bytes=100-199", .acceptEncoding: "gzip"]))
        #expect(part.status == .partialContent)
        #expect(try await bodyBytes(part) == data[100...199])
    }

    @Test(arguments: ["/api/zones?level=community", "/api/stats?level=post", "/api/locate?q=114.035%2C22.52"])
    func apiAnswersHaveETagsAnd304(_ uri: String) async throws {
        try await withServer { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .ok)
            let etag = try #require(r.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.count > 4)
            #expect(try await get(client, uri).headers[.eTag] == etag)
            let again = try await get(client, uri, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(try await get(client, uri, headers: [.ifNoneMatch: "\"other\""]).status == .ok)
        }
    }
}

@Suite("serve: CORS (issue 14)")
struct CORSTests {
    static let two = ServeOptions(allowOrigins: ["https://a.example", "https://b.example"])

    func preflight(_ client: any TestClientProtocol, origin: String, headers: String = "range, if-none-match, x-custom") async throws -> TestResponse {
        try await client.execute(uri: "/tiles/heat.pmtiles", method: .options,
                                 headers: [.origin: origin, .accessControlRequestMethod: "GET", .accessControlRequestHeaders: headers])
    }

    @Test func preflightOfEachAllowedOrigin() async throws {
        try await withServer(Self.two) { client, _ in
            for origin in ["https://a.example", "https://b.example"] {
                let r = try await preflight(client, origin: origin)
                #expect(r.status == .noContent)
                #expect(r.headers[.accessControlAllowOrigin] == origin)
                #expect(r.headers[.accessControlAllowMethods] == "GET, HEAD, OPTIONS")
                #expect(r.headers[.accessControlAllowHeaders] == "Range, If-None-Match")
                #expect(r.headers[.accessControlMaxAge] == "86400")
                #expect(r.headers[.vary] == "Origin")
            }
            let get = try await client.execute(uri: "/streets.geojson", method: .get, headers: [.origin: "https://b.example"])
            #expect(get.headers[.accessControlAllowOrigin] == "https://b.example")
            #expect(get.headers[.accessControlExposeHeaders] == "ETag, Content-Range, Content-Length, Accept-Ranges")
            #expect(get.headers[values: .vary].contains("Origin"))
            #expect(get.headers[values: .vary].contains("Accept-Encoding"))
        }
    }

    @Test func disallowedOriginGetsNoPermission() async throws {
        try await withServer(Self.two) { client, _ in
            let r = try await preflight(client, origin: "https://evil.example")
            #expect(r.status == .noContent)
            #expect(r.headers[.accessControlAllowOrigin] == nil)
            #expect(r.headers[.accessControlAllowMethods] == nil)
            let get = try await client.execute(uri: "/api/zones", method: .get, headers: [.origin: "https://evil.example"])
            #expect(get.status == .ok)
            #expect(get.headers[.accessControlAllowOrigin] == nil)
            #expect(get.headers[values: .vary].contains("Origin"))
        }
    }

    @Test func anyOriginWithStar() async throws {
        try await withServer(ServeOptions(allowOrigins: ["https://a.example", "*"])) { client, _ in
            #expect(try await preflight(client, origin: "https://x.example").headers[.accessControlAllowOrigin] == "*")
            let get = try await client.execute(uri: "/tiles.json", method: .get, headers: [.origin: "https://x.example"])
            #expect(get.headers[.accessControlAllowOrigin] == "*")
        }
    }

    /// OPTIONS without CORS configured: a plain 204 (no 405, no permission); other methods stay 405.
    @Test func optionsWithoutCORSAndOtherMethods() async throws {
        try await withServer { client, _ in
            let r = try await preflight(client, origin: "https://a.example")
            #expect(r.status == .noContent)
            #expect(r.headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(r.headers[.accessControlAllowOrigin] == nil)
            for method in [HTTPRequest.Method.put, .delete, .patch] {
                #expect(try await client.execute(uri: "/tiles.json", method: method).status == .methodNotAllowed)
            }
        }
    }
}

/// Collects what is logged, for the access-log tests.
final class LogCapture: LogHandler, @unchecked Sendable {
    let lock = NSLock()
    var lines: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lock.withLock { lines.append((event.level, event.message.description)) }
    }
    var messages: [String] { lock.withLock { lines.map(\.1) } }
}

@Suite("serve: access log and metrics (issue 14)")
struct ObservabilityTests {
    @Test func oneAccessLogLinePerRequest() async throws {
        let capture = LogCapture()
        var logger = Logger(label: "test.access") { _ in capture }
        logger.logLevel = .info
        try await withServer(ServeOptions(accessLog: logger)) { client, _ in
            _ = try await get(client, "/tiles/street/12/3340/1785.png")
            _ = try await get(client, "/api/locate?q=%E6%B7%B1%E5%8D%97%E5%A4%A7%E9%81%93")
            _ = try await get(client, "/nothing.html")
        }
        let lines = capture.messages
        #expect(lines.count == 3)
        #expect(capture.lock.withLock { capture.lines.allSatisfy { $0.0 == .info } })
        let tile = try #require(lines.first)
        #expect(tile.hasPrefix("GET /tiles/street/12/3340/1785.png 200 \(FixtureFolder.tilePNG.count) "))
        #expect(tile.range(of: #" \d+\.\d{3}ms$"#, options: .regularExpression) != nil)
        // The path only: a query can carry an address.
        #expect(lines.count > 1 && lines[1].hasPrefix("GET /api/locate 200 ") && !lines[1].contains("q="))
        #expect(lines.last?.hasPrefix("GET /nothing.html 404 ") == true)
    }

    @Test func noAccessLogWithoutALogger() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        #expect(fixture.server().options.accessLog == nil)
    }

    /// Metric lines of one family, parsed: labels → value.
    static func samples(_ text: String, _ name: String) -> [(labels: String, value: Double)] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " "), let space = line.lastIndex(of: " "),
                  let value = Double(line[line.index(after: space)...]) else { return nil }
            return (String(line[..<space].dropFirst(name.count)), value)
        }
    }

    @Test func metricsCountATileRequestByRoute() async throws {
        try await withServer { client, _ in
            func tileCount() async throws -> Double {
                let text = try await get(client, "/metrics").text
                return Self.samples(text, "hb_requests").filter {
                    $0.labels.contains(#"http_route="/tiles/{layer}/{z}/{x}/{y}.png""#) && $0.labels.contains(#"http_response_status_code="200""#)
                }.map(\.value).reduce(0, +)
            }
            let before = try await tileCount()
            _ = try await get(client, "/tiles/street/12/3340/1785.png")
            _ = try await get(client, "/tiles/community/12/3340/1785.png")
            let r = try await get(client, "/metrics")
            #expect(r.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(try await tileCount() >= before + 2)
            let text = r.text
            // Routes are templates, never raw tile paths (a path segment: "3340" alone also turns up
            // inside a duration's digits).
            #expect(!text.contains("/3340/"))
            #expect(Self.samples(text, "riskmap_tiles_served_total").contains { $0.labels.contains(#"result="png""#) && $0.value >= 2 })
            #expect(Self.samples(text, "http_server_request_duration_bucket").contains { $0.labels.contains(#"le="0.001""#) })
            #expect(Self.samples(text, "http_server_request_duration_count").contains { $0.labels.contains("/tiles/{layer}/{z}/{x}/{y}.png") })
            #expect(!Self.samples(text, "riskmap_cache_hits_total").isEmpty)
            #expect(!Self.samples(text, "riskmap_cache_misses_total").isEmpty)
            #expect(text.contains("# TYPE hb_requests counter"))
        }
    }
}

@Suite("serve --public (issue 14)")
struct PublicTests {
    static func prepare(casePoints: String?) -> (FixtureFolder) throws -> Void {
        { fixture in
            try Data(#"{"type":"FeatureCollection","features":[]}"#.utf8).write(to: fixture.out.appendingPathComponent("cases.geojson"))
            let member = casePoints.map { #","case_points":"\#($0)""# } ?? ""
            try Data(#"{"as_of":"2026-11-22","input_rows":20,"located":18,"rejected":2,"counted":12\#(member)}"#.utf8)
                .write(to: fixture.out.appendingPathComponent("report.json"))
        }
    }

    @Test(arguments: [nil, "exact"] as [String?])
    func exactPointsAreRefused(_ casePoints: String?) async throws {
        try await withServer(ServeOptions(isPublic: true), prepare: Self.prepare(casePoints: casePoints)) { client, _ in
            let r = try await get(client, "/cases.geojson")
            #expect(r.status == .forbidden)
            let message = object(r)["error"] as? String ?? ""
            #expect(message.contains("--case-points snap:METRES") && message.contains("none"))
            #expect(try await get(client, "/rejects.csv").status == .notFound)
            #expect(try await get(client, "/streets.geojson").status == .ok)
        }
    }

    @Test(arguments: ["snap:100", "none"])
    func snappedOrNoPointsAreServed(_ casePoints: String) async throws {
        try await withServer(ServeOptions(isPublic: true), prepare: Self.prepare(casePoints: casePoints)) { client, _ async throws in
            #expect(try await get(client, "/cases.geojson").status == .ok)
            #expect(try await get(client, "/rejects.csv").status == .notFound)
        }
    }

    /// Without --public the folder's cases are served as before; a day folder is judged by its own report.
    @Test func onlyUnderPublicAndPerFolder() async throws {
        try await withServer(prepare: Self.prepare(casePoints: "exact")) { client, _ async throws in
            #expect(try await get(client, "/cases.geojson").status == .ok)
        }
        try await withServer(ServeOptions(isPublic: true), prepare: { fixture in
            try Self.prepare(casePoints: "snap:50")(fixture)
            let day = fixture.out.appendingPathComponent("2026-11-21")
            try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: day.appendingPathComponent("cases.geojson"))
            try Data(#"{"case_points":"exact"}"#.utf8).write(to: day.appendingPathComponent("report.json"))
        }) { client, _ async throws in
            #expect(try await get(client, "/cases.geojson").status == .ok)
            #expect(try await get(client, "/2026-11-21/cases.geojson").status == .forbidden)
        }
    }
}
