import Foundation
import Output
import Rendering
import Synchronization

/// The tiles of one archive under construction: each distinct PNG content once in a spool file (a hidden
/// file beside the output), and in memory only which tile has which content and where each content lies.
/// Shared by both archive builders; `finish` hands the table over and deletes nothing — `remove` does.
///
/// Contents are matched by a 64-bit hash and length, then compared byte for byte with the spooled copy
/// (`pread`), so two different tiles are never merged however their hashes fall. Tiles are keyed by their
/// PMTiles tile id (one `UInt64` per tile: 12 bytes of table per tile with its content index).
final class TileSpool: Sendable {
    /// Where one distinct content lies in the spool.
    struct Content: Sendable { var offset: UInt64; var length: UInt32 }

    /// Tile id → content index, and the contents, as `finish` takes them.
    struct Table: Sendable {
        var tiles: [UInt64: UInt32]
        var contents: [Content]
    }

    private struct ContentKey: Hashable { var hash: UInt64; var length: UInt32 }

    private struct State {
        var fd: Int32
        var size: UInt64 = 0
        /// Tiles put, kept after `take` empties `tiles`.
        var count = 0
        var tiles: [UInt64: UInt32] = [:]
        var contents: [Content] = []
        var byKey: [ContentKey: UInt32] = [:]
        /// Contents whose hash and length equal an earlier, different content's (practically never).
        var collisions: [ContentKey: [UInt32]] = [:]
        /// Taken by `finish`, or removed: no more puts.
        var closed = false
    }

    let url: URL
    private let state: Mutex<State>

    init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(file: directory.path, "cannot create the folder for the tile spool: \(error)")
        }
        url = directory.appendingPathComponent(".riskmap-tiles-\(getpid())-\(UUID().uuidString.prefix(12)).spool")
        let fd = open(url.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OutputError(file: url.path, "cannot create the tile spool: \(String(cString: strerror(errno)))") }
        state = Mutex(State(fd: fd))
    }

    deinit { remove() }

    var count: Int { state.withLock { $0.count } }

    /// Adds one tile; its bytes are written only when no equal content is spooled yet.
    func put(_ id: TileID, _ png: [UInt8]) throws {
        guard id.isValid else { throw OutputError(file: url.path, "tile \(id) is not a tile (zoom 0...31, x and y on its grid)") }
        guard let length = UInt32(exactly: png.count) else {
            throw OutputError(file: url.path, "tile \(id) has \(png.count) bytes, more than an archive entry can hold")
        }
        let tileID = PMTiles.tileID(z: id.z, x: id.x, y: id.y)
        let key = ContentKey(hash: Self.hash(png), length: length)
        try state.withLock { s throws(OutputError) in
            guard !s.closed else { throw OutputError(file: url.path, "tile \(id) put after the archive was finished or discarded") }
            guard s.tiles[tileID] == nil else { throw OutputError(file: url.path, "tile \(id) put twice into one archive") }
            s.tiles[tileID] = try content(of: png, key: key, in: &s)
            s.count += 1
        }
    }

    /// The index of the content equal to `png`, spooling it first when it is new.
    private func content(of png: [UInt8], key: ContentKey, in s: inout State) throws(OutputError) -> UInt32 {
        if let first = s.byKey[key] {
            if try equal(png, s.contents[Int(first)], fd: s.fd) { return first }
            for other in s.collisions[key] ?? [] where try equal(png, s.contents[Int(other)], fd: s.fd) { return other }
        }
        try Self.writeAll(png, at: s.size, fd: s.fd, file: url.path)
        guard let index = UInt32(exactly: s.contents.count) else {
            throw OutputError(file: url.path, "more than \(UInt32.max) distinct tiles in one archive")
        }
        s.contents.append(Content(offset: s.size, length: key.length))
        s.size += UInt64(key.length)
        if s.byKey[key] == nil { s.byKey[key] = index } else { s.collisions[key, default: []].append(index) }
        return index
    }

    private func equal(_ png: [UInt8], _ content: Content, fd: Int32) throws(OutputError) -> Bool {
        png == (try read(content, fd: fd))
    }

    /// A spooled content's bytes.
    func read(_ content: Content) throws -> [UInt8] {
        let fd = state.withLock { $0.fd }
        return try read(content, fd: fd)
    }

    private func read(_ content: Content, fd: Int32) throws(OutputError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(content.length))
        try Self.readAll(into: &bytes, at: content.offset, fd: fd, file: url.path)
        return bytes
    }

    /// The table, closing the spool to further puts (its file stays until `remove`).
    func take() throws -> Table {
        try state.withLock { s throws(OutputError) in
            guard !s.closed else { throw OutputError(file: url.path, "the archive was already finished or discarded") }
            s.closed = true
            defer { s.tiles = [:]; s.byKey = [:]; s.collisions = [:]; s.contents = [] }
            return Table(tiles: s.tiles, contents: s.contents)
        }
    }

    /// Closes and deletes the spool file (again: nothing).
    func remove() {
        state.withLock { s in
            s.closed = true
            guard s.fd >= 0 else { return }
            close(s.fd)
            s.fd = -1
            unlink(url.path)
        }
    }

    /// Copies contents to `out` in the order given, reading neighbouring spool ranges (up to 1 MiB) in one go.
    func copy(_ contents: [Content], to out: FileWriter) throws {
        let fd = state.withLock { $0.fd }
        var start: UInt64 = 0, length = 0
        func flush() throws {
            guard length > 0 else { return }
            var chunk = [UInt8](repeating: 0, count: length)
            try Self.readAll(into: &chunk, at: start, fd: fd, file: url.path)
            try out.write(chunk)
        }
        for c in contents {
            if length == 0 || start + UInt64(length) != c.offset || length >= 1 << 20 {
                try flush()
                start = c.offset
                length = 0
            }
            length += Int(c.length)
        }
        try flush()
    }

    /// A fast 64-bit hash, eight bytes at a time (contents are compared byte for byte after it).
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
            var i = 0
            while i + 8 <= raw.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i += 8
            }
            while i < raw.count { h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3; i += 1 }
            return h ^ (h >> 29)
        }
    }

    static func writeAll(_ bytes: [UInt8], at offset: UInt64, fd: Int32, file: String) throws(OutputError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset) + off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw OutputError(file: file, "cannot write the tile spool: \(String(cString: strerror(errno)))") }
            done += n
        }
    }

    static func readAll(into bytes: inout [UInt8], at offset: UInt64, fd: Int32, file: String) throws(OutputError) {
        var done = 0
        let count = bytes.count
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw OutputError(file: file, "cannot read the tile spool back: \(n == 0 ? "it is shorter than written" : String(cString: strerror(errno)))") }
            done += n
        }
    }
}

/// An archive file being written: a hidden temporary beside `url`, renamed over it by `commit`, deleted
/// by `abandon` (or when dropped uncommitted). Writes are buffered.
final class FileWriter {
    let url: URL
    let temporary: URL
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var written = 0
    private var committed = false

    init(_ url: URL) throws {
        self.url = url
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw OutputError(file: url.path, "cannot create its folder: \(error)")
        }
        // 0666 less the umask, as any file the run writes.
        fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OutputError(file: temporary.path, "cannot create: \(String(cString: strerror(errno)))") }
    }

    deinit { abandon() }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        written += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try TileSpool.writeAll(buffer, at: UInt64(written - buffer.count), fd: fd, file: temporary.path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the temporary over `url` (rename(2): atomic, an existing file replaced).
    func commit() throws {
        try flush()
        let closed = close(fd)
        fd = -1
        guard closed == 0 else { throw OutputError(file: temporary.path, "cannot close: \(String(cString: strerror(errno)))") }
        guard rename(temporary.path, url.path) == 0 else {
            throw OutputError(file: url.path, "cannot replace it with the new archive: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Deletes the temporary unless committed.
    func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        if !committed { unlink(temporary.path); committed = true }
    }
}
