import Dispatch
import Foundation
import Stats
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Output

/// How `riskmap serve` presents itself beyond the folder: CORS, its public address, `--public`, the
/// access log.
public struct ServeOptions: Sendable {
    /// `--allow-origin` (repeatable): the origins whose pages may read the answers (`*`: any).
    public var cors: CORSPolicy
    /// `--public-url`: the server's address as clients see it (behind a proxy), ending in `/`; tile URLs
    /// in the served TileJSON start with it. nil: `http://` and the request's `Host`.
    public var publicURL: String?
    /// `--public`: never serve exact case points (see `PublicPolicy`).
    public var isPublic: Bool
    /// One line per request at info level; nil (`serve -q`): none.
    public var accessLog: Logger?

    public init(allowOrigins: [String] = [], publicURL: String? = nil, isPublic: Bool = false, accessLog: Logger? = nil) {
        cors = CORSPolicy(origins: allowOrigins)
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.isPublic = isPublic
        self.accessLog = accessLog
    }

    /// The access log of `riskmap serve`: standard error, info level, written in batches
    /// (`BatchedLogHandler`); `flushStandardErrorLog` when the server stops.
    public static func standardErrorLog() -> Logger {
        var logger = Logger(label: "riskmap.serve.access") { label in
            BatchedLogHandler(label: label, sink: BatchedStandardError.shared)
        }
        logger.logLevel = .info
        return logger
    }

    /// Writes the access-log lines not yet written.
    public static func flushStandardErrorLog() { BatchedStandardError.shared.flush() }

    /// `--public-url` checked: an absolute http(s) URL with a host and no query or fragment; nil when fine.
    public static func problem(publicURL: String) -> String? {
        guard let url = URLComponents(string: publicURL), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return "--public-url must be an absolute http:// or https:// URL, got '\(publicURL)'"
        }
        guard url.query == nil, url.fragment == nil else { return "--public-url must not have a query or fragment, got '\(publicURL)'" }
        return nil
    }
}

/// `riskmap serve`: the output folder's files and tiles, and the JSON API, from memory where possible.
public final class RiskServer: Sendable {
    public let folder: ServedFolder
    let services: ServerServices
    let limits: ServerLimits
    let options: ServeOptions
    /// Files and API answers, in one byte budget (`limits.cacheBytes`).
    let memory: ServerCache
    let files: FileCache
    let answers: AnswerCache
    let metrics: ServerMetrics
    /// Each pyramid's TileJSON, parsed once per folder version.
    let pyramids: [String: SnapshotMemo<TileLayers>]
    /// The layers written only into archives (`tiles/{layer}.pmtiles`), opened once per folder version.
    let archives = ArchiveTiles()

    /// Tiles change at most once a run; five minutes keeps a wall display fresh without revalidating
    /// every tile on every pan. Everything else revalidates with its ETag every time.
    static let tileCacheControl = "public, max-age=300"
    static let libCacheControl = "public, max-age=86400"
    static let fileCacheControl = "no-cache"
    /// Files of the folder not served: `rejects.csv` repeats the input rows, addresses included;
    /// `repeats.csv` lists the addresses that keep calling (for the command centre only).
    static let private_ = Set(["rejects.csv", "repeats.csv"])

    public init(folder: ServedFolder, services: ServerServices, options: ServeOptions = ServeOptions(),
                limits: ServerLimits = ServerLimits()) {
        self.folder = folder
        self.services = services
        self.options = options
        self.limits = limits
        memory = ServerCache(budget: limits.cacheBytes)
        files = FileCache(memory: memory)
        metrics = ServerMetrics()
        answers = AnswerCache(memory: memory, metrics: metrics)
        pyramids = Dictionary(uniqueKeysWithValues: TilePyramid.names.map { name in
            (name, SnapshotMemo { try TileLayers.load(from: $0, pyramid: name) })
        })
    }

    /// The Hummingbird application on `host:port` (port 0: any free port, reported to `onRunning`).
    /// Every request passes the access log (when on) and is counted and timed for `/metrics`.
    public func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        var logger = Logger(label: "riskmap.serve")
        logger.logLevel = .warning
        let idle = limits.idleTimeout.components
        let http = HTTP1Channel.Configuration(
            idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: ServerLimits.maxHeaderFieldBytes,
                                            maxHeaderListSize: ServerLimits.maxHeadBytes,
                                            maxHeaderFieldCount: ServerLimits.maxHeaderCount))
        let logged = options.accessLog.map { AccessLogMiddleware<BasicRequestContext>(logger: $0) }
        let measuredAnswer: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let start = DispatchTime.now().uptimeNanoseconds
            let (response, route) = await self.answer(request)
            self.metrics.request(route: route, method: request.method, status: response.status,
                                 nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            return response
        }
        return Application(
            responder: CallbackResponder<BasicRequestContext> { request, context in
                guard let logged else { return try await measuredAnswer(request, context) }
                return try await logged.handle(request, context: context, next: measuredAnswer)
            },
            server: .http1(configuration: http),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "riskmap"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        try await application(host: host, port: port, onRunning: onRunning).runService()
    }

    /// Every request ends here; every refusal is an `APIError` turned into JSON.
    public func respond(_ request: Request) async -> Response { await answer(request).response }

    /// The answer and the route template it was answered by (the metrics' `http_route`).
    func answer(_ request: Request) async -> (response: Response, route: String) {
        if request.method == .options { return (options.cors.preflight(request), "OPTIONS") }
        guard request.method == .get || request.method == .head else {
            var r = APIError(.methodNotAllowed, "only GET and HEAD (and OPTIONS for CORS preflights)").response
            r.headers[.allow] = CORSPolicy.allowedMethods
            return (r, "other method")
        }
        var route = Route.file
        var response: Response
        do {
            try Self.checkSize(request)
            response = try self.route(request, route: &route)
        } catch let e as APIError {
            response = e.response
        } catch {
            response = APIError(.internalServerError, "\(error)").response
        }
        options.cors.decorate(&response, for: request)
        return (request.method == .head ? response.createHeadResponse() : response, route)
    }

    /// The route templates requests are counted under (never a raw path: bounded label values).
    enum Route {
        static let file = "file"
        static let root = "/"
        static func tileJSON(_ pyramid: String) -> String { "/\(pyramid).json" }
        static func layerJSON(_ pyramid: String) -> String { "/\(pyramid)/{layer}.json" }
        static func tile(_ pyramid: String) -> String { "/\(pyramid)/{layer}/{z}/{x}/{y}.png" }
    }

    /// The request limits HTTP parsing does not apply itself (see `ServerLimits`).
    static func checkSize(_ request: Request) throws(APIError) {
        guard request.uri.string.utf8.count <= ServerLimits.maxURIBytes else {
            throw APIError(.uriTooLong, "request target longer than \(ServerLimits.maxURIBytes) bytes")
        }
        let length = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        guard length <= ServerLimits.maxBodyBytes, request.headers[.transferEncoding] == nil else {
            throw APIError(.contentTooLarge, "request bodies are not accepted")
        }
    }

    func route(_ request: Request, route: inout String) throws -> Response {
        let path = request.uri.path
        if path == "/metrics" {
            route = path
            return metrics.exposition(cache: memory.usage)
        }
        let root = try folder.snapshot()
        switch path {
        case "/healthz":
            route = path
            return try health(root)
        case "/api/zones":
            route = path
            let q = try StatsQuery(QueryString(request.uri.query, allowed: StatsQuery.parameters))
            let key = CacheKey.answer(endpoint: path, folder: root.id, data: [], query: q.normalised(for: .zones))
            return deliver(try answers.answer(for: key, root: root) { try self.services.zones(q, root) }, key: key, request)
        case "/api/stats":
            route = path
            let q = try StatsQuery(QueryString(request.uri.query, allowed: StatsQuery.parameters))
            // With --db the answer also depends on the database: its version is part of the key.
            let key = CacheKey.answer(endpoint: path, folder: root.id, data: services.dataVersion(),
                                      query: q.normalised(for: .stats))
            return deliver(try answers.answer(for: key, root: root) { try self.services.stats(q, root) }, key: key, request)
        case "/api/locate":
            route = path
            let q = try LocateQuery(QueryString(request.uri.query, allowed: LocateQuery.parameters))
            // Not kept (any text can be asked), but with an ETag: a dashboard re-asking gets a 304.
            return deliver(APIAnswerResponse.entry(try services.locate(q, root), root: root), key: nil, request)
        default:
            if path.hasPrefix("/api/") {
                route = "/api/{unknown}"
                throw APIError.notFound("no API endpoint \(path)")
            }
            return try file(path, root: root, request: request, route: &route)
        }
    }

    func health(_ root: Snapshot) throws -> Response {
        let missing = ServedFolder.requiredFiles.filter { FileID.of(root.path + "/" + $0) == nil }
        guard missing.isEmpty else {
            throw APIError(.serviceUnavailable, "\(root.path) is missing \(missing.joined(separator: ", "))")
        }
        return APIAnswerResponse.make(APIAnswer(body: JSONBody.data(Health(status: "ok", folder: root.path))))
    }

    /// Static files, tiles and TileJSON. A path that could leave the folder is 404 whatever it names.
    func file(_ path: String, root: Snapshot, request: Request, route: inout String) throws -> Response {
        guard let segments = path == "/" ? ["index.html"] : RequestPath.segments(path) else { throw APIError.notFound() }
        if path == "/" { route = Route.root }
        // At any depth: a day folder's rejects.csv must not be reachable whatever folder is served.
        if let last = segments.last, Self.private_.contains(last) { throw APIError.notFound() }
        if options.isPublic { try PublicPolicy.check(segments, root: root, files: files) }
        if let pyramid = Self.pyramid(of: segments) {
            if let response = try pyramidRequest(segments, pyramid: pyramid, root: root, request: request, route: &route) {
                return response
            }
        }
        let cache = segments.first == "lib" ? Self.libCacheControl : Self.fileCacheControl
        let relative = segments.joined(separator: "/")
        switch files.file(relative, in: root, cacheControl: cache, metrics: metrics) {
        case .found(let entry): return deliver(entry, key: .file(root.path + "/" + relative), request, ranges: true)
        case .large(let large): return try deliver(large, request)
        case .missing, .outside: throw APIError.notFound("no file \(path)")
        }
    }

    /// The pyramid a path belongs to: `/NAME.json` or `/NAME/…` for NAME in `TilePyramid.names`.
    static func pyramid(of segments: [String]) -> String? {
        guard let first = segments.first else { return nil }
        if segments.count == 1, first.hasSuffix(".json") {
            let name = String(first.dropLast(5))
            return TilePyramid.names.contains(name) ? name : nil
        }
        return TilePyramid.names.contains(first) ? first : nil
    }

    /// `/NAME.json`, `/NAME/{layer}.json`, `/NAME/{layer}/{z}/{x}/{y}.png`; nil for other files under
    /// `NAME/` (an archive such as `tiles/heat.pmtiles`), which are served as files.
    func pyramidRequest(_ segments: [String], pyramid: String, root: Snapshot, request: Request, route: inout String) throws -> Response? {
        if segments.count == 1 {
            route = Route.tileJSON(pyramid)
            return try tileJSON(pyramid, layer: nil, root: root, request: request)
        }
        if segments.count == 2, segments[1].hasSuffix(".json") {
            route = Route.layerJSON(pyramid)
            return try tileJSON(pyramid, layer: String(segments[1].dropLast(5)), root: root, request: request)
        }
        guard let tile = try TileAddress.parse(segments) else { return nil }
        route = Route.tile(pyramid)
        return try self.tile(tile, root: root, request: request)
    }

    /// The pyramid's layers, or 404 when the folder has no such pyramid.
    func layers(_ pyramid: String, root: Snapshot) throws -> TileLayers {
        guard let memo = pyramids[pyramid] else { throw APIError.notFound("no tile pyramid \(pyramid)") }
        do {
            return try memo.value(for: root)
        } catch {
            // A folder without this pyramid (no `run --publish-crs gcj02`) is not a server error.
            if FileID.of(root.path + "/" + pyramid + ".json") == nil { throw APIError.notFound("no \(pyramid).json in the served folder") }
            throw error
        }
    }

    /// The TileJSON with absolute tile URLs, computed once per folder version and base URL.
    func tileJSON(_ pyramid: String, layer: String?, root: Snapshot, request: Request) throws -> Response {
        let base = try baseURL(request)
        let path = "/" + pyramid + (layer.map { "/\($0)" } ?? "") + ".json"
        let key = CacheKey.document(path: path, folder: root.id, base: base)
        if let hit = memory.value(for: key) {
            metrics.cache(key.kind, hit: true)
            return deliver(hit, key: key, request)
        }
        metrics.cache(key.kind, hit: false)
        let doc = try layers(pyramid, root: root).served(base: base, layer: layer)
        let body = ByteBuffer(string: DocumentJSON.text(doc) + "\n")
        let entry = FileCache.Entry(id: root.id, body: body, contentType: "application/json", cacheControl: Self.fileCacheControl, ranges: false)
        memory.insert(entry, for: key)
        return deliver(entry, key: key, request)
    }

    /// Where tile URLs start: `--public-url`, else `http://` and the request's Host (checked: a name
    /// or address and a port, nothing that could turn the URL into another one).
    func baseURL(_ request: Request) throws(APIError) -> String {
        if let url = options.publicURL { return url }
        guard let host = request.head.authority, !host.isEmpty, host.utf8.count <= 255,
              host.utf8.allSatisfy({ c in
                  (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) || ".-_:[]".utf8.contains(c)
              }) else {
            throw .badRequest("the request has no usable Host header, which absolute tile URLs are made from (or start serve with --public-url)")
        }
        return "http://\(host)/"
    }

    func tile(_ tile: TileAddress, root: Snapshot, request: Request) throws -> Response {
        guard try layers(tile.pyramid, root: root).layers[tile.layer] != nil else {
            throw APIError.notFound("no tile layer '\(tile.layer)' in \(tile.pyramid).json")
        }
        switch files.file(tile.path, in: root, cacheControl: Self.tileCacheControl, metrics: metrics) {
        case .found(let entry):
            metrics.tileServed(pyramid: tile.pyramid, drawn: true)
            return deliver(entry, key: nil, request, ranges: true)
        // Not in the folder: from the layer's archive, when the run wrote one; else a tile of a known
        // layer with nothing drawn on it (the run does not write empty tiles).
        case .missing:
            if let entry = try archiveTile(tile, root: root) {
                metrics.tileServed(pyramid: tile.pyramid, drawn: true)
                return deliver(entry, key: nil, request, ranges: true)
            }
            metrics.tileServed(pyramid: tile.pyramid, drawn: false)
            return Response(status: .noContent, headers: [.cacheControl: Self.tileCacheControl])
        case .large, .outside: throw APIError.notFound("no file \(tile.path)")
        }
    }

    /// The tile from `NAME/{layer}.pmtiles` (or `.mbtiles`) as an entry like a tile file's: the same
    /// headers and content-hash ETag, so a client sees no difference between the two outputs of a run.
    func archiveTile(_ tile: TileAddress, root: Snapshot) throws -> FileCache.Entry? {
        guard let (reader, file) = try archives.archive(pyramid: tile.pyramid, layer: tile.layer, root: root),
              let png = try reader.tile(tile.tileID) else { return nil }
        return FileCache.Entry(id: file, body: ByteBuffer(bytes: png), contentType: ContentType.of(tile.path),
                               cacheControl: Self.tileCacheControl, ranges: true)
    }

    /// An entry as the request asks for it: 304 when its ETag matches, one byte range of a file (206, or
    /// 416), the gzip variant of JSON when accepted (compressed once, kept under `key`'s gzip key).
    func deliver(_ entry: FileCache.Entry, key: CacheKey?, _ request: Request, ranges: Bool = false) -> Response {
        if ranges, let header = request.headers[.range], Conditional.rangeAllowed(request, etag: entry.etag) {
            switch ByteRange.parse(header, length: entry.body.readableBytes) {
            case .bytes(let r):
                if Conditional.notModified(request, etag: entry.etag) { return notModified(entry) }
                return partial(entry, r, total: entry.body.readableBytes)
            case .unsatisfiable: return Self.unsatisfiable(total: entry.body.readableBytes)
            case .ignored: break
            }
        }
        var chosen = entry
        if entry.compressible, ContentCoding.accepted(request), let variant = gzipVariant(of: entry, key: key) { chosen = variant }
        if Conditional.notModified(request, etag: chosen.etag) { return notModified(chosen) }
        return Response(status: .ok, headers: chosen.headers, body: ResponseBody(byteBuffer: chosen.body))
    }

    /// A file too large for the cache: a range reads only its bytes.
    func deliver(_ large: LargeFile, _ request: Request) throws -> Response {
        let total = Int(large.id.size)
        if let header = request.headers[.range], Conditional.rangeAllowed(request, etag: large.etag) {
            switch ByteRange.parse(header, length: total) {
            case .bytes(let r):
                guard let entry = large.read(r) else { throw APIError.notFound("cannot read \(large.path)") }
                if Conditional.notModified(request, etag: entry.etag) { return notModified(entry) }
                return partial(entry, 0..<entry.body.readableBytes, total: total, offset: r.lowerBound)
            case .unsatisfiable: return Self.unsatisfiable(total: total)
            case .ignored: break
            }
        }
        // A large GeoJSON's gzip variant usually fits the cache: then the file is not read at all.
        let source = CacheKey.file(large.path)
        if ContentCoding.isCompressible(contentType: large.contentType), ContentCoding.accepted(request),
           let hit = memory.value(for: .gzip(source: source, etag: large.etag)), hit.id == large.id {
            metrics.cache("gzip", hit: true)
            if Conditional.notModified(request, etag: hit.etag) { return notModified(hit) }
            return Response(status: .ok, headers: hit.headers, body: ResponseBody(byteBuffer: hit.body))
        }
        guard let entry = large.read() else { throw APIError.notFound("cannot read \(large.path)") }
        return deliver(entry, key: source, request)
    }

    func gzipVariant(of entry: FileCache.Entry, key: CacheKey?) -> FileCache.Entry? {
        guard let key else { return try? ContentCoding.variant(of: entry) }
        let gzipKey = CacheKey.gzip(source: key, etag: entry.etag)
        if let hit = memory.value(for: gzipKey) {
            metrics.cache(gzipKey.kind, hit: true)
            return hit
        }
        metrics.cache(gzipKey.kind, hit: false)
        guard let variant = try? ContentCoding.variant(of: entry) else { return nil }
        memory.insert(variant, for: gzipKey)
        return variant
    }

    func notModified(_ entry: FileCache.Entry) -> Response {
        var headers: HTTPFields = [.eTag: entry.etag, .cacheControl: entry.headers[.cacheControl] ?? "no-cache"]
        if let vary = entry.headers[.vary] { headers[.vary] = vary }
        return Response(status: .notModified, headers: headers)
    }

    /// 206: `range` of `entry`'s body, which starts at `offset` of a representation of `total` bytes.
    func partial(_ entry: FileCache.Entry, _ range: Range<Int>, total: Int, offset: Int = 0) -> Response {
        var headers = entry.headers
        let first = offset + range.lowerBound, last = offset + range.upperBound - 1
        headers[.contentRange] = "bytes \(first)-\(last)/\(total)"
        headers[.contentLength] = String(range.count)
        // The identity bytes whatever Accept-Encoding says (ranges of a gzip body would be another resource).
        headers[.contentEncoding] = nil
        let body = entry.body.getSlice(at: entry.body.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
        return Response(status: .partialContent, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    static func unsatisfiable(total: Int) -> Response {
        var r = APIError(.rangeNotSatisfiable, "the range asked for lies beyond the file's \(total) bytes").response
        r.headers[.contentRange] = "bytes */\(total)"
        return r
    }
}

enum APIAnswerResponse {
    /// An answer as an entry: content-hash ETag, `no-cache`, a gzip variant for JSON.
    static func entry(_ a: APIAnswer, root: Snapshot) -> FileCache.Entry {
        FileCache.Entry(id: root.id, body: ByteBuffer(bytes: a.body), contentType: a.contentType, cacheControl: "no-cache", ranges: false)
    }

    static func make(_ a: APIAnswer) -> Response {
        let buffer = ByteBuffer(bytes: a.body)
        return Response(status: .ok, headers: JSONBody.headers(buffer.readableBytes, type: a.contentType),
                        body: ResponseBody(byteBuffer: buffer))
    }
}

/// `/healthz`'s answer.
struct Health: Encodable {
    var status: String
    /// The folder served.
    var folder: String
}

/// Successful answers of `/api/zones` and `/api/stats`, by normalised query and the versions of the
/// folder (and database) they were computed from: a dashboard polling the same query gets bytes from
/// memory. They share the server's byte budget with the files.
final class AnswerCache: Sendable {
    let memory: ServerCache
    let metrics: ServerMetrics
    init(memory: ServerCache, metrics: ServerMetrics) {
        self.memory = memory
        self.metrics = metrics
    }

    func answer(for key: CacheKey, root: Snapshot, compute: () throws -> APIAnswer) throws -> FileCache.Entry {
        if let hit = memory.value(for: key) {
            metrics.cache(key.kind, hit: true)
            return hit
        }
        metrics.cache(key.kind, hit: false)
        let entry = APIAnswerResponse.entry(try compute(), root: root)
        memory.insert(entry, for: key)
        return entry
    }
}
