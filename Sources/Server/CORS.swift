import Hummingbird

/// Cross-origin access (`serve --allow-origin`, repeatable). Hummingbird's `CORSMiddleware` does not
/// fit: it exposes headers only on preflights (a dashboard then cannot read `ETag` or `Content-Range`
/// of the real answer), cannot mix `*` with a list, and lets a preflight of a server without CORS fall
/// through to 405.
public struct CORSPolicy: Sendable {
    /// Allowed origins as given (`https://dash.example.org`); `*` allows every origin.
    public var origins: [String]

    /// Request headers a page may send (a preflight is answered with those it asks for among these).
    static let allowedHeaders = ["Range", "If-None-Match", "Accept-Encoding", "Content-Type"]
    /// Response headers a page may read besides the CORS-safelisted ones.
    static let exposedHeaders = "ETag, Content-Range, Content-Length, Accept-Ranges"
    static let allowedMethods = "GET, HEAD, OPTIONS"
    /// A browser may reuse a preflight answer for a day.
    static let maxAge = "86400"

    public init(origins: [String] = []) { self.origins = origins }

    var isOff: Bool { origins.isEmpty }
    var allowsAny: Bool { origins.contains("*") }

    /// The `Access-Control-Allow-Origin` value for this request, nil when it gets none.
    func allowOrigin(_ request: Request) -> String? {
        if allowsAny { return "*" }
        guard let origin = request.headers[.origin], origins.contains(origin) else { return nil }
        return origin
    }

    /// Adds the CORS headers to an answer (not a preflight).
    func decorate(_ response: inout Response, for request: Request) {
        guard !isOff else { return }
        // With a list of origins the answer depends on the request's Origin: caches must know.
        if !allowsAny { response.headers[values: .vary].append("Origin") }
        guard let allow = allowOrigin(request) else { return }
        response.headers[.accessControlAllowOrigin] = allow
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
    }

    /// `OPTIONS`: a CORS preflight from an allowed origin gets its permissions; any other OPTIONS
    /// (no CORS configured, an origin not allowed, not a preflight) gets 204 with `Allow` and nothing
    /// that would let a page through.
    func preflight(_ request: Request) -> Response {
        var headers: HTTPFields = [.allow: Self.allowedMethods]
        if !isOff && !allowsAny { headers[.vary] = "Origin" }
        if request.headers[.accessControlRequestMethod] != nil, let allow = allowOrigin(request) {
            headers[.accessControlAllowOrigin] = allow
            headers[.accessControlAllowMethods] = Self.allowedMethods
            let asked = (request.headers[.accessControlRequestHeaders] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let granted = Self.allowedHeaders.filter { asked.contains($0.lowercased()) }
            if !granted.isEmpty { headers[.accessControlAllowHeaders] = granted.joined(separator: ", ") }
            headers[.accessControlMaxAge] = Self.maxAge
        }
        return Response(status: .noContent, headers: headers)
    }
}
