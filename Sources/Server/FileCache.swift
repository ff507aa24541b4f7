import Foundation
import Hummingbird

/// The output folder's files, kept in memory once read: a tile is answered from a cached buffer with
/// one `stat` to make sure the file on disk is still the one cached (same inode, size and mtime), so a
/// run that replaces the folder is seen at once while steady traffic never reads the disk.
final class FileCache: @unchecked Sendable {
    struct Entry: Sendable {
        var id: FileID
        var body: ByteBuffer
        var etag: String
        var headers: HTTPFields
    }

    /// Memory kept for cached files; past it the cache starts again empty (a new day's folder makes
    /// all old entries useless anyway, so a simple reset is as good as an LRU here).
    let budget: Int
    /// Files larger than this are read per request and not kept.
    let largest: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var bytes = 0

    init(budget: Int = 512 << 20, largest: Int = 16 << 20) {
        self.budget = budget
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
        lock.lock()
        let hit = entries[full]
        lock.unlock()
        if let hit, hit.id == id { return .found(hit) }
        guard let real = realPath(full), real.hasPrefix(root.path + "/") else { return .outside }
        guard let data = FileManager.default.contents(atPath: real) else { return .missing }
        let entry = makeEntry(id: id, data: data, name: relative, cacheControl: cacheControl)
        if data.count <= largest { store(entry, at: full) }
        return .found(entry)
    }

    private func store(_ entry: Entry, at key: String) {
        lock.lock()
        defer { lock.unlock() }
        if bytes + entry.body.readableBytes > budget {
            entries.removeAll(keepingCapacity: true)
            bytes = 0
        }
        bytes += entry.body.readableBytes - (entries[key]?.body.readableBytes ?? 0)
        entries[key] = entry
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
