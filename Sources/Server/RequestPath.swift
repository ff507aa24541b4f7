/// A request path turned into the segments of a file path inside the served folder, or nil when
/// it could point anywhere else. Decoding happens here, once, so `%2e%2e`, `%2f` and friends are seen
/// for what they are; symlinks are checked later against the real path (see `FileCache`).
enum RequestPath {
    static func segments(_ rawPath: String) -> [String]? {
        guard rawPath.hasPrefix("/") else { return nil }
        var out: [String] = []
        for raw in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let s = decode(raw), isSafe(s) else { return nil }
            out.append(s)
        }
        return out
    }

    /// No empty segments (`//`), nothing hidden (`.`, `..`, `.staging-…`), no separators or NUL
    /// smuggled in by escapes.
    static func isSafe(_ segment: String) -> Bool {
        // Byte scans: Foundation's `String.contains(_:)` goes through CFStringFind, a tenth of a tile's
        // time in the server.
        guard let first = segment.utf8.first, first != UInt8(ascii: ".") else { return false }
        return !segment.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 == 0 }
    }

    /// Percent-decoding for paths: unlike a query, `+` is a literal plus. Tile paths have no escapes:
    /// they skip the decoder.
    static func decode(_ raw: Substring) -> String? {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        return try? QueryString.decode(raw, what: "path", plusIsSpace: false)
    }
}
