import Foundation
import Output
import Rendering

/// The single-file tile archives riskmap writes and serves.
public enum TileArchiveKind: String, Sendable, CaseIterable {
    case pmtiles, mbtiles
    public var fileExtension: String { rawValue }
}

/// Collects one tile set for one archive file without holding the tiles in memory: the PNG bytes go to a
/// spool file as they come (each distinct content once), only the small entries stay in memory.
public protocol TileArchiveBuilder: AnyObject, Sendable {
    /// Adds one tile; safe to call from several threads at once. Identical bytes are stored once.
    /// Each TileID at most once (a second put of the same id throws).
    func put(_ id: TileID, _ png: [UInt8]) throws
    /// Tiles put so far.
    var count: Int { get }
    /// Writes the complete archive to `url` — built in a temporary file next to it and renamed over it —
    /// and deletes the spool. Deterministic: the same set of (id, bytes) gives the same file bytes whatever
    /// order and threads they were put in.
    func finish(info: TileSetInfo, to url: URL) throws
    /// Deletes the spool without writing anything (the run failed). Also done by deinit if neither was called.
    func discard()
}

/// A builder over a `TileSpool`: tiles go to the spool as they come; only `finish` differs by format.
protocol SpooledTileArchiveBuilder: TileArchiveBuilder {
    var spool: TileSpool { get }
}

extension SpooledTileArchiveBuilder {
    func put(_ id: TileID, _ png: [UInt8]) throws { try spool.put(id, png) }
    var count: Int { spool.count }
    func discard() { spool.remove() }
}

/// A builder of `kind` whose spool is a hidden file in `spoolDirectory` (created when missing).
public func makeTileArchiveBuilder(_ kind: TileArchiveKind, spoolDirectory: URL) throws -> any TileArchiveBuilder {
    let spool = try TileSpool(directory: spoolDirectory)
    switch kind {
    case .pmtiles: return PMTilesBuilder(spool: spool)
    case .mbtiles: return MBTilesBuilder(spool: spool)
    }
}

/// Reads a finished archive (either kind, recognised by its magic bytes), memory-mapped / read-only.
public protocol TileArchiveReader: AnyObject, Sendable {
    var kind: TileArchiveKind { get }
    /// The tile's bytes, nil when the archive does not address it.
    func tile(_ id: TileID) throws -> [UInt8]?
    /// Every addressed tile (PMTiles runs expanded), in ascending TileID order (z, x, y).
    func forEachTile(_ body: (TileID, [UInt8]) throws -> Void) throws
    var count: Int { get }
}

/// The archive at `url`, of the kind its first bytes say. Errors name the file and what is wrong.
public func openTileArchive(_ url: URL) throws -> any TileArchiveReader {
    let magic = try MappedFile.prefix(of: url, count: 16)
    if magic.starts(with: PMTiles.magic) { return try PMTilesReader(url) }
    if magic == Array("SQLite format 3\0".utf8) { return try MBTilesReader(url) }
    throw OutputError(file: url.path, "not a tile archive: neither PMTiles v3 (\"PMTiles\" and version 3) nor MBTiles "
                      + "(a SQLite 3 database) by its first bytes")
}

extension TileID {
    /// Whether the tile exists: zoom 0...31 (what a PMTiles tile id can address), x and y on the zoom's grid.
    var isValid: Bool { (0...31).contains(z) && x >= 0 && y >= 0 && x < (1 << z) && y < (1 << z) }
}
