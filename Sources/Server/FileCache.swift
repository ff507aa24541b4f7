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

    /// Bytes the key itself takes, roughly.
    var cost: Int {
        switch self {
        case .file(let path): path.utf8.count
        case .answer(let endpoint, _, let data, let q):
            endpoint.utf8.count + 48 * data.count + (q.parent?.utf8.count ?? 0) + (q.category?.utf8.count ?? 0) + 128
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
        /// Nothing there (or not a regular file).
        case missing
        /// There is a file, but its real path leaves the folder (a symlink pointing out).
        case outside
    }

    /// The file at `relative` inside `root`.
    func file(_ relative: String, in root: Snapshot, cacheControl: String) -> Lookup {
        let full = root.path + "/" + relative
        guard let id = FileID.of(full), id.isRegular else { return .missing }
        if let hit = memory.value(for: .file(full)), hit.id == id { return .found(hit) }
        guard let real = realPath(full), real.hasPrefix(root.path + "/") else { return .outside }
        guard let data = FileManager.default.contents(atPath: real) else { return .missing }
        let entry = makeEntry(id: id, data: data, name: relative, cacheControl: cacheControl)
        if data.count <= largest { memory.insert(entry, for: .file(full)) }
        return .found(entry)
    }

    private func makeEntry(id: FileID, data: Data, name: String, cacheControl: String) -> Entry {
        // A content hash, not inode+mtime: the same tile written by tomorrow's run keeps its ETag,
        // so browsers revalidate with a cheap 304 instead of downloading it again.
        let etag = "\"" + String(fnv1a(data), radix: 16) + "\""
        let headers: HTTPFields = [
            .contentType: ContentType.of(name),
            .eTag: etag,
            .cacheControl: cacheControl,
            .contentLength: String(data.count),
        ]
        return Entry(id: id, body: ByteBuffer(bytes: data), etag: etag, headers: headers)
    }
}

/// 64-bit FNV-1a: fast, stable across runs and machines, good enough to tell two files apart.
func fnv1a(_ data: Data) -> UInt64 {
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
    ]

    static func of(_ name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return types[ext] ?? "application/octet-stream"
    }
}
