import Foundation
import Output
import Rendering
import Support
import Synchronization

/// Reads a PMTiles v3 archive through a read-only memory map: the root directory decoded at open, leaf
/// directories decoded on first use and kept. Internal compression none or gzip; tiles returned as stored.
final class PMTilesReader: TileArchiveReader {
    let kind = TileArchiveKind.pmtiles
    let url: URL
    private let file: MappedFile
    private let header: PMTiles.ParsedHeader
    private let root: [PMTiles.Entry]
    /// Leaf directories by their offset in the leaf section.
    private let leaves = Mutex<[Int: [PMTiles.Entry]]>([:])

    init(_ url: URL) throws {
        self.url = url
        file = try MappedFile(url)
        header = try PMTiles.ParsedHeader(file.bytes(0, min(127, file.count)) ?? [], fileSize: file.count, file: url.path)
        root = try Self.directory(file, header: header, offset: header.rootOffset, length: header.rootLength, file: url.path)
    }

    var count: Int {
        if header.addressedTiles > 0 { return header.addressedTiles }
        var n = 0
        try? walk { _, entry in n += entry.runLength }
        return n
    }

    func tile(_ id: TileID) throws -> [UInt8]? {
        guard id.isValid else { return nil }
        let target = PMTiles.tileID(z: id.z, x: id.x, y: id.y)
        var entries = root
        // A leaf may point to further leaves; the spec allows any depth, sane files use one or two.
        for _ in 0..<8 {
            guard let entry = Self.find(target, in: entries) else { return nil }
            if entry.runLength > 0 { return try data(entry) }
            entries = try leaf(entry)
        }
        throw OutputError(file: url.path, "leaf directories nested deeper than 8 levels")
    }

    func forEachTile(_ body: (TileID, [UInt8]) throws -> Void) throws {
        var tiles: [(TileID, PMTiles.Entry)] = []
        try walk { _, entry in
            for k in 0..<UInt64(entry.runLength) { tiles.append((PMTiles.zxy(entry.tileID + k), entry)) }
        }
        tiles.sort { $0.0 < $1.0 }
        for (id, entry) in tiles { try body(id, try data(entry)) }
    }

    /// Every tile entry, leaves expanded, in directory order.
    private func walk(_ body: (Int, PMTiles.Entry) throws -> Void) throws {
        func visit(_ entries: [PMTiles.Entry], depth: Int) throws {
            guard depth < 8 else { throw OutputError(file: url.path, "leaf directories nested deeper than 8 levels") }
            for e in entries {
                if e.runLength > 0 { try body(depth, e) } else { try visit(try leaf(e), depth: depth + 1) }
            }
        }
        try visit(root, depth: 0)
    }

    /// The entry whose tile id is the greatest not above `target`, when it addresses `target` (a run
    /// covering it, or a leaf that may).
    static func find(_ target: UInt64, in entries: [PMTiles.Entry]) -> PMTiles.Entry? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].tileID <= target { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let e = entries[low - 1]
        if e.runLength == 0 || target < e.tileID + UInt64(e.runLength) { return e }
        return nil
    }

    private func data(_ entry: PMTiles.Entry) throws -> [UInt8] {
        guard entry.offset <= header.dataLength, entry.length <= header.dataLength - entry.offset,
              let bytes = file.bytes(header.dataOffset + entry.offset, entry.length) else {
            throw OutputError(file: url.path, "tile \(PMTiles.zxy(entry.tileID)) lies beyond the data section")
        }
        return bytes
    }

    private func leaf(_ entry: PMTiles.Entry) throws -> [PMTiles.Entry] {
        if let hit = leaves.withLock({ $0[entry.offset] }) { return hit }
        guard entry.offset <= header.leafLength, entry.length <= header.leafLength - entry.offset else {
            throw OutputError(file: url.path, "a leaf directory lies beyond the leaf section")
        }
        let entries = try Self.directory(file, header: header, offset: header.leafOffset + entry.offset, length: entry.length, file: url.path)
        leaves.withLock { $0[entry.offset] = entries }
        return entries
    }

    static func directory(_ map: MappedFile, header: PMTiles.ParsedHeader, offset: Int, length: Int, file: String) throws -> [PMTiles.Entry] {
        guard let raw = map.bytes(offset, length) else {
            throw OutputError(file: file, "a directory (\(length) bytes at \(offset)) lies beyond the end of the file (\(map.count) bytes): truncated?")
        }
        let bytes: [UInt8]
        do {
            bytes = header.gzip ? try Gzip.decompress(raw, limit: 1 << 30) : raw
        } catch {
            throw OutputError(file: file, "a directory at byte \(offset) does not decompress: \(error)")
        }
        guard let entries = PMTiles.deserialize(bytes) else {
            throw OutputError(file: file, "a directory at byte \(offset) is malformed")
        }
        return entries
    }
}

extension PMTiles {
    /// The header fields a reader needs, checked against the file's size.
    struct ParsedHeader {
        var rootOffset: Int, rootLength: Int, leafOffset: Int, leafLength: Int, dataOffset: Int, dataLength: Int
        var addressedTiles: Int
        var gzip: Bool

        init(_ h: [UInt8], fileSize: Int, file: String) throws {
            guard h.count == 127 else { throw OutputError(file: file, "truncated PMTiles header: \(h.count) of 127 bytes") }
            guard h.starts(with: PMTiles.magic) else { throw OutputError(file: file, "not a PMTiles v3 archive") }
            func field(_ i: Int) throws -> Int {
                let v = h[8 + 8 * i ..< 16 + 8 * i].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                guard let n = Int(exactly: v), n <= fileSize else {
                    throw OutputError(file: file, "PMTiles header field \(i) (\(v)) lies beyond the end of the file (\(fileSize) bytes): truncated?")
                }
                return n
            }
            rootOffset = try field(0); rootLength = try field(1)
            leafOffset = try field(4); leafLength = try field(5)
            dataOffset = try field(6); dataLength = try field(7)
            let addressed = h[72..<80].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            addressedTiles = Int(exactly: addressed) ?? 0
            for (name, o, l) in [("root directory", rootOffset, rootLength), ("leaf directories", leafOffset, leafLength),
                                 ("tile data", dataOffset, dataLength)] where o + l > fileSize {
                throw OutputError(file: file, "the \(name) (\(l) bytes at \(o)) lies beyond the end of the file (\(fileSize) bytes): truncated?")
            }
            switch h[97] {
            case 1: gzip = false
            case 2: gzip = true
            default: throw OutputError(file: file, "PMTiles internal compression \(h[97]) is not supported (only none and gzip)")
            }
        }
    }

    /// The entries of a serialized directory (see `serialize`); nil when malformed.
    static func deserialize(_ bytes: [UInt8]) -> [Entry]? {
        var i = 0
        func next() -> UInt64? {
            var v: UInt64 = 0, shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let b = bytes[i]; i += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        // Each entry takes at least 4 bytes: a count beyond that is a lie.
        guard let n = next(), n <= UInt64(bytes.count) else { return nil }
        var entries = [Entry](repeating: Entry(tileID: 0, offset: 0, length: 0, runLength: 0), count: Int(n))
        var id: UInt64 = 0
        for k in entries.indices {
            guard let d = next() else { return nil }
            id = id &+ d
            entries[k].tileID = id
        }
        for k in entries.indices { guard let r = next(), let v = Int(exactly: r) else { return nil }; entries[k].runLength = v }
        for k in entries.indices { guard let l = next(), let v = Int(exactly: l), v < 1 << 40 else { return nil }; entries[k].length = v }
        for k in entries.indices {
            guard let o = next() else { return nil }
            if o == 0 {
                guard k > 0 else { return nil }
                entries[k].offset = entries[k - 1].offset + entries[k - 1].length
            } else {
                guard let v = Int(exactly: o - 1), v < 1 << 50 else { return nil }
                entries[k].offset = v
            }
        }
        return entries
    }

    /// The tile of a PMTiles tile id (inverse of `tileID`): the zoom by the count of lower zooms' tiles,
    /// then the position on the zoom's Hilbert curve.
    static func zxy(_ id: UInt64) -> TileID {
        var z = 0, acc: UInt64 = 0
        while z < 31 {
            let tiles = UInt64(1) << (2 * UInt64(z))
            if id < acc + tiles { break }
            acc += tiles
            z += 1
        }
        var t = id - acc, x: UInt64 = 0, y: UInt64 = 0
        var s: UInt64 = 1
        while s < UInt64(1) << UInt64(z) {
            let rx = 1 & (t / 2), ry = 1 & (t ^ rx)
            if ry == 0 {
                if rx == 1 { x = s - 1 - x; y = s - 1 - y }
                swap(&x, &y)
            }
            x += s * rx; y += s * ry
            t /= 4
            s *= 2
        }
        return TileID(z: z, x: Int(x), y: Int(y))
    }
}

/// A file mapped read-only into memory (mmap(2)); unmapped when dropped. A file replaced by rename stays
/// mapped as it was: the server keeps answering from the old archive until it opens the new one.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int

    init(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError(file: url.path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw OutputError(file: url.path, "not a regular file") }
        guard st.st_size > 0, let size = Int(exactly: st.st_size) else { throw OutputError(file: url.path, "empty file") }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw OutputError(file: url.path, "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
        count = size
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

    /// `length` bytes from `offset`, nil when they do not all lie in the file.
    func bytes(_ offset: Int, _ length: Int) -> [UInt8]? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        return Array(UnsafeRawBufferPointer(start: base + offset, count: length))
    }

    /// The first `count` bytes of a file (fewer when it is shorter), for recognising its kind.
    static func prefix(of url: URL, count: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such file"
            throw OutputError(file: url.path, "cannot open the tile archive: \(reason)")
        }
        defer { try? handle.close() }
        do {
            return Array(try handle.read(upToCount: count) ?? Data())
        } catch {
            throw OutputError(file: url.path, "cannot read the tile archive: \(error)")
        }
    }
}
