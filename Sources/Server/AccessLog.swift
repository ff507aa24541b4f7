import Dispatch
import Hummingbird
import Logging

/// One line per request at info level: method, path (never the query: `/api/locate?q=` carries
/// addresses), status, body bytes and milliseconds until the answer was written. Hummingbird's
/// `LogRequestsMiddleware` logs on arrival only, without status, size or time, so this is riskmap's own.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var response = try await next(request, context)
        let method = request.method.rawValue, path = request.uri.path, status = response.status.code
        let bytes = response.body.contentLength ?? 0
        let logger = self.logger, body = response.body
        // Logged once the body is written (as Hummingbird's own post-write closure, which is package-only).
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer {
                let micros = (DispatchTime.now().uptimeNanoseconds - start) / 1000
                logger.info("\(method) \(path) \(status) \(bytes) \(Self.milliseconds(micros))ms")
            }
            try await body.write(writer)
        }
        return response
    }

    /// `1234` µs → `1.234`.
    static func milliseconds(_ micros: UInt64) -> String {
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
