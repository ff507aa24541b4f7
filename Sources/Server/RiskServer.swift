import Foundation
import Stats
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// `riskmap serve`: the output folder's files and tiles, and the JSON API, from memory where possible.
public final class RiskServer: Sendable {
    public let folder: ServedFolder
    let services: ServerServices
    let limits: ServerLimits
    /// Files and API answers, in one byte budget (`limits.cacheBytes`).
    let memory: ServerCache
    let files: FileCache
    let answers: AnswerCache
    let layers = SnapshotMemo { try TileLayers.load(from: $0) }

    /// Tiles change at most once a run; five minutes keeps a wall display fresh without revalidating
    /// every tile on every pan. Everything else revalidates with its ETag every time.
    static let tileCacheControl = "public, max-age=300"
    static let libCacheControl = "public, max-age=86400"
    static let fileCacheControl = "no-cache"
    /// Files of the folder not served: `rejects.csv` repeats the input rows, addresses included.
    static let private_ = Set(["rejects.csv"])

    /// `Access-Control-Allow-Origin` for every answer, so dashboards on other origins can fetch the
    /// GeoJSON and the API. Off by default: a loopback server should not be readable by any web page
    /// the user happens to open.
    let allowOrigin: String?

    public init(folder: ServedFolder, services: ServerServices, allowOrigin: String? = nil, limits: ServerLimits = ServerLimits()) {
        self.folder = folder
        self.services = services
        self.allowOrigin = allowOrigin
        self.limits = limits
        memory = ServerCache(budget: limits.cacheBytes)
        files = FileCache(memory: memory)
        answers = AnswerCache(memory: memory)
    }

    /// The Hummingbird application on `host:port` (port 0: any free port, reported to `onRunning`).
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
        return Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in await self.respond(request) },
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
    public func respond(_ request: Request) async -> Response {
        guard request.method == .get || request.method == .head else {
            var r = APIError(.methodNotAllowed, "only GET and HEAD").response
            r.headers[.allow] = "GET, HEAD"
            return r
        }
        var response: Response
        do {
            try Self.checkSize(request)
            response = try route(request)
        } catch let e as APIError {
            response = e.response
        } catch {
            response = APIError(.internalServerError, "\(error)").response
        }
        if let allowOrigin { response.headers[.accessControlAllowOrigin] = allowOrigin }
        return request.method == .head ? response.createHeadResponse() : response
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

    func route(_ request: Request) throws -> Response {
        let root = try folder.snapshot()
        let path = request.uri.path
        switch path {
        case "/healthz": return try health(root)
        case "/api/zones":
            let q = try StatsQuery(QueryString(request.uri.query, allowed: StatsQuery.parameters))
            return try answers.answer(for: .answer(endpoint: path, folder: root.id, data: [], query: q.normalised(for: .zones)),
                                      root: root) { try self.services.zones(q, root) }
        case "/api/stats":
            let q = try StatsQuery(QueryString(request.uri.query, allowed: StatsQuery.parameters))
            // With --db the answer also depends on the database: its version is part of the key.
            let key = CacheKey.answer(endpoint: path, folder: root.id, data: services.dataVersion(),
                                      query: q.normalised(for: .stats))
            return try answers.answer(for: key, root: root) { try self.services.stats(q, root) }
        case "/api/locate":
            let q = try LocateQuery(QueryString(request.uri.query, allowed: LocateQuery.parameters))
            return try APIAnswerResponse.make(services.locate(q, root))
        default:
            if path.hasPrefix("/api/") { throw APIError.notFound("no API endpoint \(path)") }
            return try file(path, root: root, request: request)
        }
    }

    func health(_ root: Snapshot) throws -> Response {
        let missing = ServedFolder.requiredFiles.filter { FileID.of(root.path + "/" + $0) == nil }
        guard missing.isEmpty else {
            throw APIError(.serviceUnavailable, "\(root.path) is missing \(missing.joined(separator: ", "))")
        }
        return APIAnswerResponse.make(APIAnswer(body: JSONBody.data(Health(status: "ok", folder: root.path))))
    }

    /// Static files and tiles. A path that could leave the folder is 404 whatever it names.
    func file(_ path: String, root: Snapshot, request: Request) throws -> Response {
        guard let segments = path == "/" ? ["index.html"] : RequestPath.segments(path) else { throw APIError.notFound() }
        // At any depth: a day folder's rejects.csv must not be reachable whatever folder is served.
        if let last = segments.last, Self.private_.contains(last) { throw APIError.notFound() }
        if segments.first == "tiles" { return try tile(segments, root: root, request: request) }
        let cache = segments.first == "lib" ? Self.libCacheControl : Self.fileCacheControl
        guard case .found(let entry) = files.file(segments.joined(separator: "/"), in: root, cacheControl: cache) else {
            throw APIError.notFound("no file \(path)")
        }
        return Self.respond(entry, request)
    }

    func tile(_ segments: [String], root: Snapshot, request: Request) throws -> Response {
        guard let tile = try TileAddress.parse(segments) else { throw APIError.notFound("not a tile URL") }
        guard try layers.value(for: root).layers[tile.layer] != nil else {
            throw APIError.notFound("no tile layer '\(tile.layer)' in tiles.json")
        }
        switch files.file(tile.path, in: root, cacheControl: Self.tileCacheControl) {
        case .found(let entry): return Self.respond(entry, request)
        // A tile of a known layer with nothing drawn on it: the run does not write empty tiles.
        case .missing: return Response(status: .noContent, headers: [.cacheControl: Self.tileCacheControl])
        case .outside: throw APIError.notFound("no file \(tile.path)")
        }
    }

    static func respond(_ entry: FileCache.Entry, _ request: Request) -> Response {
        if let tags = request.headers[.ifNoneMatch], tags == "*" || tags.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == entry.etag
        }) {
            return Response(status: .notModified, headers: [.eTag: entry.etag, .cacheControl: entry.headers[.cacheControl] ?? "no-cache"])
        }
        return Response(status: .ok, headers: entry.headers, body: ResponseBody(byteBuffer: entry.body))
    }
}

enum APIAnswerResponse {
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
    init(memory: ServerCache) { self.memory = memory }

    func answer(for key: CacheKey, root: Snapshot, compute: () throws -> APIAnswer) throws -> Response {
        if let hit = memory.value(for: key) {
            return Response(status: .ok, headers: hit.headers, body: ResponseBody(byteBuffer: hit.body))
        }
        let a = try compute()
        let body = ByteBuffer(bytes: a.body)
        let headers = JSONBody.headers(body.readableBytes, type: a.contentType)
        memory.insert(FileCache.Entry(id: root.id, body: body, etag: "", headers: headers), for: key)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
