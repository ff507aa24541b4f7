import Foundation

/// What one `riskmap serve` lets clients take: memory for cached answers, time on an idle connection,
/// and the size of a request. Set from `serve --cache-mib` and `--idle-timeout`; the request sizes are
/// fixed (documented in README and `serve --help`).
public struct ServerLimits: Sendable {
    /// Bytes of files and API answers kept in memory (least recently used dropped first).
    public var cacheBytes: Int
    /// A connection with no request under way for this long is closed, also one that sends its
    /// request head too slowly to finish it in this time.
    public var idleTimeout: Duration

    public init(cacheBytes: Int = 64 << 20, idleTimeout: Duration = .seconds(30)) {
        self.cacheBytes = cacheBytes
        self.idleTimeout = idleTimeout
    }

    /// Longest request target (path and query) answered; a longer one gets 414.
    public static let maxURIBytes = 8 << 10
    /// Largest single header field (the request line counts as one) that HTTP parsing accepts; a larger
    /// one gets 400 and the connection is closed. Above `maxURIBytes`, so that a long URI gets its 414.
    public static let maxHeaderFieldBytes = 16 << 10
    /// Largest request head (request line and all headers), and most header fields; beyond: 400, closed.
    public static let maxHeadBytes = 32 << 10
    public static let maxHeaderCount = 100
    /// Request bodies are never read (only GET and HEAD are answered): a request that announces one gets 413.
    public static let maxBodyBytes = 0
}
