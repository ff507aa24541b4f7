import Dispatch
import Hummingbird
import Logging

/// One line per request at info level: method, path (never the query: `/api/locate?q=` carries
/// addresses), status, body bytes and milliseconds until the answer was ready (not until written:
/// wrapping the body to wait for the write cost a fifth of the tile rate, measured).
/// Hummingbird's `LogRequestsMiddleware` logs on arrival only, without status, size or time, so this is
/// riskmap's own.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let micros = (DispatchTime.now().uptimeNanoseconds - start) / 1000
        logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code) \(response.body.contentLength ?? 0) \(Self.milliseconds(micros))ms")
        return response
    }

    /// `1234` µs → `1.234`.
    static func milliseconds(_ micros: UInt64) -> String {
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
