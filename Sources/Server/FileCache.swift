import Foundation
import Stats
import Hummingbird

/// What `riskmap serve` keeps in memory, under one byte budget (see `ByteBudgetCache`): the output
/// folder's files and the answers of `/api/zones` and `/api/stats`.
enum CacheKey: Hashable, Sendable {
    /// A file by its full path; checked against the file on disk at every use.
    case file(String)
    /// An API answer: the endpoint, the folder version and the case database's version (with `--db`)
    /// it was computed from, and the query NORMALISED (parsed, defaults applied): requests that differ
    /// only in spelling (parameter order, escapes, a default given or left out) share one entry.
    case answer(endpoint: String, folder: FileID, data: [FileID?], query: StatsQuery)
    /// A TileJSON as served (`/tiles.json`, `/tiles/{layer}.json`): its path, the folder version and the
    /// base URL its tile URLs were made absolute with.
    case document(path: String, folder: FileID, base: String)
    /// The gzip variant of what `source` holds, while that has this ETag.
    indirect case gzip(source: CacheKey, etag: String)

    /// Bytes the key itself takes, roughly.
    var cost: Int {
        switch self {
        case .file(let path): path.utf8.count
        case .answer(let endpoint, _, let data, let q):
            endpoint.utf8.count + 48 * data.count + (q.parent?.utf8.count ?? 0) + (q.category?.utf8.count ?? 0) + 128
        case .document(let path, _, let base): path.utf8.count + base.utf8.count + 48
        case .gzip(let source, let etag): source.cost + etag.utf8.count
        }
    }

    /// The kind counted in `/metrics` (`riskmap_cache_hits_total{kind=…}`).
    var kind: String {
        switch self {
        case .file: "file"
        case .answer: "answer"
        case .document: "document"
        case .gzip: "gzip"
        }
    }
}

typealias ServerCache = ByteBudgetCache<CacheKey, FileCache.Entry>

extension ServerCache {
    /// 64 MiB: the tiles a wall display pans over and a dashboard's answers, with room to spare.
    static let defaultBudget = 64 << 20
    /// Headers and bookkeeping of one entry, beyond its body and key.
    static let entryOverhead = 512

    func insert(_ entry: FileCache.Entry, for key: CacheKey) {
        insert(entry, cost: entry.body.readableBytes + key.cost + Self.entryOverhead, for: key)
    }
}

/// The output folder's files, kept in memory once read: a tile is answered from a cached buffer with
/// one `stat` to make sure the file on disk is still the one cached (same inode, size and mtime), so a
/// run that replaces the folder is seen at once while steady traffic never reads the disk. Entries of a
/// replaced folder are never asked for again and age out of the shared LRU.
final class FileCache: Sendable {
    struct Entry: Sendable {
        var id: FileID
        var body: ByteBuffer
        var etag: String
        var headers: HTTPFields
        /// JSON or GeoJSON: a gzip variant is offered (see `Gzip`).
        var compressible: Bool

        /// An entry of `body`, its ETag the content's hash. JSON answers carry `Vary: Accept-Encoding`
        /// (their gzip variant is chosen by it); files carry `Accept-Ranges: bytes`.
        init(id: FileID, body: ByteBuffer, contentType: String, cacheControl: String, ranges: Bool) {
            self.id = id
            self.body = body
            // A content hash, not inode+mtime: the same tile written by tomorrow's run keeps its ETag,
            // so browsers revalidate with a cheap 304 instead of downloading it again.
            etag = "\"" + String(body.withUnsafeReadableBytes(fnv1a), radix: 16) + "\""
            compressible = ContentCoding.isCompressible(contentType: contentType)
            headers = [.contentType: contentType, .eTag: etag, .cacheControl: cacheControl, .contentLength: String(body.readableBytes)]
            if ranges { headers[.acceptRanges] = "bytes" }
            if compressible { headers[.vary] = "Accept-Encoding" }
        }

        init(id: FileID, body: ByteBuffer, etag: String, headers: HTTPFields, compressible: Bool) {
            self.id = id
            self.body = body
            self.etag = etag
            self.headers = headers
            self.compressible = compressible
        }
    }

    let memory: ServerCache
    /// Files larger than this are read per request and not kept.
    let largest: Int

    init(memory: ServerCache, largest: Int = 16 << 20) {
        self.memory = memory
        self.largest = largest
    }

    enum Lookup {
        case found(Entry)
        /// A file over `largest`: not read whole unless the whole is asked for (ranges of a large
        /// `.pmtiles` archive read only their bytes).
        case large(LargeFile)
        /// Nothing there (or not a regular file).
        case missing
        /// There is a file, but its real path leaves the folder (a symlink pointing out).
        case outside
    }

    /// The file at `relative` inside `root`.
    func file(_ relative: String, in root: Snapshot, cacheControl: String, metrics: ServerMetrics? = nil) -> Lookup {
        let full = root.path + "/" + relative
        guard let id = FileID.of(full), id.isRegular else { return .missing }
        if let hit = memory.value(for: .file(full)), hit.id == id {
            metrics?.cache("file", hit: true)
            return .found(hit)
        }
        metrics?.cache("file", hit: false)
        guard let real = realPath(full), real.hasPrefix(root.path + "/") else { return .outside }
        if id.size > largest {
            return .large(LargeFile(path: real, id: id, contentType: ContentType.of(relative), cacheControl: cacheControl))
        }
        guard let data = FileManager.default.contents(atPath: real) else { return .missing }
        let entry = Entry(id: id, body: ByteBuffer(bytes: data), contentType: ContentType.of(relative), cacheControl: cacheControl, ranges: true)
        memory.insert(entry, for: .file(full))
        return .found(entry)
    }
}

/// A file too large to keep in memory. Its ETag comes from `stat` (hashing it per request would read
/// it whole): the file's identity rather than its content.
struct LargeFile {
    var path: String
    var id: FileID
    var contentType: String
    var cacheControl: String

    var etag: String { "\"" + [UInt64(bitPattern: id.size), id.inode, UInt64(bitPattern: id.mtime), UInt64(bitPattern: id.mtimeNanos)]
        .map { String($0, radix: 16) }.joined(separator: "-") + "\"" }

    /// The bytes `range` (all when nil) as an entry; nil when the file cannot be read.
    func read(_ range: Range<Int>? = nil) -> FileCache.Entry? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data: Data?
        if let range {
            guard (try? handle.seek(toOffset: UInt64(range.lowerBound))) != nil else { return nil }
            data = try? handle.read(upToCount: range.count)
        } else {
            data = try? handle.readToEnd()
        }
        let body = ByteBuffer(bytes: data ?? Data())
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .cacheControl: cacheControl,
                                   .contentLength: String(body.readableBytes), .acceptRanges: "bytes"]
        if ContentCoding.isCompressible(contentType: contentType) { headers[.vary] = "Accept-Encoding" }
        return FileCache.Entry(id: id, body: body, etag: etag, headers: headers, compressible: ContentCoding.isCompressible(contentType: contentType))
    }
}

/// 64-bit FNV-1a: fast, stable across runs and machines, good enough to tell two files apart.
func fnv1a(_ data: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
}

/// Content types of the files an output folder holds.
enum ContentType {
    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "json": "application/json", "geojson": "application/geo+json",
        "png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml", "csv": "text/csv; charset=utf-8",
        "txt": "text/plain; charset=utf-8", "map": "application/json", "ico": "image/x-icon",
        // Archives of `run --pmtiles` / `--mbtiles`: pmtiles.js reads the former over Range requests.
        "pmtiles": "application/vnd.pmtiles", "mbtiles": "application/vnd.sqlite3",
    ]

    static func of(_ name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return types[ext] ?? "application/octet-stream"
    }
}
