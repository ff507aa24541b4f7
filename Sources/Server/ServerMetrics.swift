import Foundation
import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// `/metrics` in the Prometheus text format 0.0.4. Requests are counted and timed per route under the
/// names and labels of Hummingbird's `MetricsMiddleware` (`hb_requests`, `http_server_request_duration`
/// by `http_route` — the route template `RiskServer.answer` names, never the raw path —,
/// `http_request_method`, `http_response_status_code`), recorded here rather than by the middleware:
/// it wraps every body to time the write, which cost a fifth of the tile rate (27–29k instead of
/// 35–37k tiles/s with wrk on the demo). Tiles served and the cache's hits and misses are riskmap's own counters. All go through
/// swift-metrics into one swift-prometheus registry per process (swift-metrics has one global backend).
final class ServerMetrics: Sendable {
    /// Bootstrapped once per process, on first use.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Answers from memory take well under a millisecond: buckets from 100 µs, not the default 5 ms.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Tiles answered, by pyramid and whether one was drawn there (`png`) or not (`empty`: 204).
    private let tiles: [String: (png: CoreMetrics.Counter, empty: CoreMetrics.Counter)]
    /// Cache lookups by what was looked up: `file`, `answer` (API), `document` (TileJSON), `gzip`.
    private let hits: [String: CoreMetrics.Counter]
    private let misses: [String: CoreMetrics.Counter]
    private let cacheBytes: CoreMetrics.Gauge
    private let cacheEntries: CoreMetrics.Gauge

    static let cacheKinds = ["file", "answer", "document", "gzip"]

    /// A request's labels: route template, method, status.
    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }
    private struct RequestMetrics {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }
    /// Made on first use of a label set (a handful: the routes are templates).
    private let requests = Mutex<[RequestKey: RequestMetrics]>([:])

    func request(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: method.rawValue, status: status.code)
        let m = requests.withLock { table in
            if let m = table[key] { return m }
            let labels = [("http.route", route), ("http.request.method", key.method), ("http.response.status_code", String(key.status))]
            let m = RequestMetrics(count: CoreMetrics.Counter(label: "hb.requests", dimensions: labels),
                                   duration: CoreMetrics.Timer(label: "http.server.request.duration", dimensions: labels,
                                                               preferredDisplayUnit: .seconds))
            table[key] = m
            return m
        }
        m.count.increment()
        m.duration.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    init() {
        _ = Self.registry
        tiles = Dictionary(uniqueKeysWithValues: TilePyramid.names.map { name in
            (name, (CoreMetrics.Counter(label: "riskmap_tiles_served_total", dimensions: [("pyramid", name), ("result", "png")]),
                    CoreMetrics.Counter(label: "riskmap_tiles_served_total", dimensions: [("pyramid", name), ("result", "empty")])))
        })
        hits = Dictionary(uniqueKeysWithValues: Self.cacheKinds.map { ($0, CoreMetrics.Counter(label: "riskmap_cache_hits_total", dimensions: [("kind", $0)])) })
        misses = Dictionary(uniqueKeysWithValues: Self.cacheKinds.map { ($0, CoreMetrics.Counter(label: "riskmap_cache_misses_total", dimensions: [("kind", $0)])) })
        cacheBytes = CoreMetrics.Gauge(label: "riskmap_cache_bytes")
        cacheEntries = CoreMetrics.Gauge(label: "riskmap_cache_entries")
    }

    func tileServed(pyramid: String, drawn: Bool) {
        guard let c = tiles[pyramid] else { return }
        (drawn ? c.png : c.empty).increment()
    }

    func cache(_ kind: String, hit: Bool) {
        (hit ? hits : misses)[kind]?.increment()
    }

    /// The exposition text, with the cache's size as of now.
    func exposition(cache usage: (entries: Int, bytes: Int)) -> Response {
        cacheBytes.record(usage.bytes)
        cacheEntries.record(usage.entries)
        let body = ByteBuffer(bytes: Self.registry.emitToBuffer())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store",
                                               .contentLength: String(body.readableBytes)],
                        body: ResponseBody(byteBuffer: body))
    }
}
