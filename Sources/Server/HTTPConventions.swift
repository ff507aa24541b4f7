import Foundation
import Hummingbird
import NIOCore
import Support

/// The representation rules every file and JSON answer goes through (`RiskServer.deliver`): ETag and
/// `If-None-Match`, a gzip variant of JSON when the client accepts it, single byte ranges of files.

/// gzip of JSON and GeoJSON answers (zlib through `Support.Gzip`), compressed once per content and kept
/// in the server's cache.
enum ContentCoding {
    /// Content types worth compressing: the folder's GeoJSON and JSON and the API's JSON. PNG tiles are
    /// already deflated; CSV and HTML are small or rare.
    static func isCompressible(contentType: String) -> Bool {
        contentType.hasPrefix("application/json") || contentType.hasPrefix("application/geo+json")
    }

    /// Whether `Accept-Encoding` allows gzip: listed (or `*`) without `q=0` (RFC 9110 §12.5.3).
    static func accepted(_ request: Request) -> Bool {
        guard let header = request.headers[.acceptEncoding] else { return false }
        var star: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first else { continue }
            let refused = parts.dropFirst().contains { q in
                q.hasPrefix("q=") && (Double(q.dropFirst(2)) ?? 1) == 0
            }
            if coding == "gzip" || coding == "x-gzip" { return !refused }
            if coding == "*" { star = !refused }
        }
        return star ?? false
    }

    /// The gzip variant of `entry`: same cache control, its own ETag (a gzip body is a different
    /// representation: a cache must not answer an identity request's `If-None-Match` with it).
    static func variant(of entry: FileCache.Entry) throws -> FileCache.Entry {
        let body = ByteBuffer(bytes: Gzip.compress(Array(entry.body.readableBytesView)))
        var headers = entry.headers
        let tag = gzipETag(entry.etag)
        headers[.eTag] = tag
        headers[.contentEncoding] = "gzip"
        headers[.contentLength] = String(body.readableBytes)
        return FileCache.Entry(id: entry.id, body: body, etag: tag, headers: headers, compressible: false)
    }

    /// `"abc"` → `"abc-gzip"`.
    static func gzipETag(_ etag: String) -> String {
        etag.hasSuffix("\"") ? String(etag.dropLast()) + "-gzip\"" : etag + "-gzip"
    }
}

/// One `Range: bytes=…` header against a representation of `length` bytes (RFC 9110 §14). Only a
/// single range is served; several ranges, another unit or a malformed header are ignored (the
/// whole representation is sent), as the RFC allows.
enum ByteRange: Equatable {
    /// Serve these bytes (206).
    case bytes(Range<Int>)
    /// None of the range lies in the representation (416).
    case unsatisfiable
    /// Not a single byte range this server serves: answer 200 with everything.
    case ignored

    static func parse(_ header: String, length: Int) -> ByteRange {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes=") else { return .ignored }
        let spec = text.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .ignored }
        let first = String(spec[..<dash]).trimmingCharacters(in: .whitespaces)
        let last = String(spec[spec.index(after: dash)...]).trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // `-n`: the last n bytes.
            guard let n = number(last) else { return .ignored }
            guard n > 0, length > 0 else { return .unsatisfiable }
            return .bytes(max(0, length - n)..<length)
        }
        guard let start = number(first) else { return .ignored }
        let end: Int
        if last.isEmpty {
            end = length - 1
        } else {
            guard let e = number(last), e >= start else { return .ignored }
            end = min(e, length - 1)
        }
        guard start < length else { return .unsatisfiable }
        return .bytes(start..<(end + 1))
    }

    /// Plain decimal digits, at most 18 (no overflow).
    static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }
}

enum Conditional {
    /// `If-None-Match` names `etag` (or is `*`); weak comparison, as RFC 9110 §13.1.2 asks for GET.
    static func notModified(_ request: Request, etag: String) -> Bool {
        guard let tags = request.headers[.ifNoneMatch] else { return false }
        if tags.trimmingCharacters(in: .whitespaces) == "*" { return true }
        return tags.split(separator: ",").contains {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return (tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) == etag
        }
    }

    /// `If-Range` lets the range through: absent, or the current ETag (strong comparison). A date (this
    /// server sends no Last-Modified) or another tag: the client gets the whole, current file.
    static func rangeAllowed(_ request: Request, etag: String) -> Bool {
        guard let condition = request.headers[.ifRange] else { return true }
        return condition.trimmingCharacters(in: .whitespaces) == etag
    }
}
