import Foundation
import Support
import Output
import GRDB

/// Whether a file at an archive path (`--mbtiles`, `--pmtiles`) is one riskmap wrote, and so may be
/// replaced: an MBTiles whose metadata says `attribution = riskmap`, or a PMTiles v3 whose metadata
/// does. Anything else there is someone else's file.
public enum ArchiveIdentity {
    public typealias Kind = TileArchiveKind

    /// Throws unless `url` is absent or an archive of `kind` riskmap wrote (`force`: any regular file
    /// or link; never a folder or a device).
    public static func checkReplaceable(_ url: URL, kind: Kind, option: String, force: Bool) throws {
        let content = PathContent.at(url)
        switch content {
        case .absent: return
        case .file where wroteArchive(url, kind: kind): return
        case .file, .symlink:
            if force { return }
            let what = content == .file ? "a file riskmap did not write (not a \(kind == .mbtiles ? "MBTiles" : "PMTiles") "
                + "archive with attribution riskmap)" : "a symbolic link"
            throw OutputError(file: url.path, "\(what); it was left untouched: give another \(option) path, or add --force "
                              + "to replace it")
        default:
            throw OutputError(file: url.path, "not a file (a folder or a device); riskmap never replaces it: give a file "
                              + "path as \(option)")
        }
    }

    static func wroteArchive(_ url: URL, kind: Kind) -> Bool {
        switch kind {
        case .mbtiles: return wroteMBTiles(url)
        case .pmtiles: return wrotePMTiles(url)
        }
    }

    /// Read-only: opening the file must not change it, whoever's it is.
    static func wroteMBTiles(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        let magic = (try? handle.read(upToCount: 16)) ?? nil
        try? handle.close()
        guard magic == Data("SQLite format 3\0".utf8) else { return false }
        var config = Configuration()
        config.readonly = true
        guard let queue = try? DatabaseQueue(path: url.path, configuration: config) else { return false }
        defer { try? queue.close() }
        let attribution = try? queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE name = 'attribution'")
        }
        return attribution == "riskmap"
    }

    /// The PMTiles v3 header (magic, version, metadata offset and length), then the metadata (gzip, or
    /// stored uncompressed inside its gzip frame by riskmap before 2026-12): it names riskmap as the
    /// attribution.
    static func wrotePMTiles(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 127), header.count == 127,
              header.prefix(8) == Data(Array("PMTiles".utf8) + [3]) else { return false }
        func uint64(_ at: Int) -> UInt64 { header[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        let (offset, length) = (uint64(24), uint64(32))
        guard length > 0, length < 1 << 20, (try? handle.seek(toOffset: offset)) != nil,
              let metadata = try? handle.read(upToCount: Int(length)) else { return false }
        let bytes = (try? Gzip.decompress(Array(metadata), limit: 1 << 20)) ?? Array(metadata)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("\"attribution\"") && text.contains("\"riskmap\"")
    }
}
