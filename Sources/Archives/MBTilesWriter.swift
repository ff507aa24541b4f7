import Foundation
import Support
import Output
import GRDB
import Rendering

/// What an archive says about its tile set (MBTiles metadata, PMTiles header and metadata).
public struct TileSetInfo: Sendable {
    public var name: String
    public var description: String
    /// west, south, east, north in degrees.
    public var bounds: (west: Double, south: Double, east: Double, north: Double)
    public var minZoom: Int
    public var maxZoom: Int
    public var tileSize: Int
    /// The tileset's own revision (MBTiles `version`, "a plain number"): the map's as-of day as
    /// YYYYMMDD, so that a newer map has a higher number and a shard merge the same as a single run.
    public var version: String
    public init(name: String, description: String, bounds: (Double, Double, Double, Double),
                minZoom: Int, maxZoom: Int, tileSize: Int, version: String = "1") {
        self.name = name; self.description = description; self.version = version
        self.bounds = (bounds.0, bounds.1, bounds.2, bounds.3)
        self.minZoom = minZoom; self.maxZoom = maxZoom; self.tileSize = tileSize
    }

    /// The centre of the bounds at a middle zoom, as viewers open the set.
    public var center: (lon: Double, lat: Double, zoom: Int) {
        ((bounds.west + bounds.east) / 2, (bounds.south + bounds.north) / 2, min(maxZoom, max(minZoom, 12)))
    }

    /// Throws unless the header fields can hold it (zooms 0...31, bounds finite degrees): a `merge` takes
    /// them from a folder's tiles.json, which anyone could have edited.
    func check(for url: URL) throws {
        let b = [bounds.west, bounds.south, bounds.east, bounds.north]
        guard (0...31).contains(minZoom), (0...31).contains(maxZoom), b.allSatisfy({ $0.isFinite && abs($0) <= 200 }) else {
            throw OutputError(file: url.path, "cannot write a tile set with zooms \(minZoom)...\(maxZoom) and bounds \(b): "
                              + "zooms must lie in 0...31, bounds in degrees")
        }
    }
}

/// Writes MBTiles 1.3 (https://github.com/mapbox/mbtiles-spec/blob/master/1.3/spec.md): a SQLite file
/// with `metadata(name, value)` and the tiles deduplicated as the spec allows (and mbutil, tippecanoe and
/// GDAL read): `images(tile_data, tile_id)` holds each distinct content once, `map(zoom_level,
/// tile_column, tile_row, tile_id)` every tile, and the view `tiles(zoom_level, tile_column, tile_row,
/// tile_data)` joins them, as readers ask for it.
///
/// MBTiles counts rows in the TMS scheme, from the south: row = 2^z − 1 − y of the XYZ tile.
/// The file is built next to `url` and renamed over it only when complete.
public enum MBTilesWriter {
    /// The archive of `tiles` (all in memory): a thin wrapper over `MBTilesBuilder`, spooling next to `url`.
    public static func write(_ tiles: [TileID: [UInt8]], info: TileSetInfo, to url: URL) throws {
        let builder = try makeTileArchiveBuilder(.mbtiles, spoolDirectory: url.deletingLastPathComponent())
        for (id, png) in tiles { try builder.put(id, png) }
        try builder.finish(info: info, to: url)
    }

    static let schema = """
        CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE UNIQUE INDEX name ON metadata (name);
        CREATE TABLE images (tile_data BLOB, tile_id TEXT);
        CREATE UNIQUE INDEX images_id ON images (tile_id);
        CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
        CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
        CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
            map.tile_row AS tile_row, images.tile_data AS tile_data
            FROM map JOIN images ON images.tile_id = map.tile_id;
        """

    /// The spec's required keys (name, format) and the ones it recommends (bounds, center, minzoom,
    /// maxzoom), plus type, version (the tileset's revision, not the spec's), description and attribution.
    static func metadata(_ info: TileSetInfo) -> [(String, String)] {
        let b = info.bounds, c = info.center
        func f(_ v: Double) -> String { String(format: "%.7f", v) }
        return [("name", info.name), ("format", "png"), ("type", "overlay"), ("version", info.version),
                ("description", info.description), ("attribution", "riskmap"),
                ("bounds", [b.west, b.south, b.east, b.north].map(f).joined(separator: ",")),
                ("center", "\(f(c.lon)),\(f(c.lat)),\(c.zoom)"),
                ("minzoom", "\(info.minZoom)"), ("maxzoom", "\(info.maxZoom)")]
    }
}

/// Builds an MBTiles archive from tiles spooled as they come (see `TileSpool`). `finish` writes the
/// SQLite file in one transaction in a fixed order — images in the order of their first tile, map rows
/// by (z, x, y) — so the same tiles give the same file bytes. `tile_id` is the content's ordinal in
/// that order, as text.
final class MBTilesBuilder: SpooledTileArchiveBuilder {
    let spool: TileSpool
    init(spool: TileSpool) { self.spool = spool }

    func finish(info: TileSetInfo, to url: URL) throws {
        defer { spool.remove() }
        try info.check(for: url)
        let table = try spool.take()
        let tiles = table.tiles.map { (PMTiles.zxy($0.key), $0.value) }.sorted { $0.0 < $1.0 }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: temporary.path)
            try queue.write { db in
                try db.execute(sql: MBTilesWriter.schema)
                for (name, value) in MBTilesWriter.metadata(info) {
                    try db.execute(sql: "INSERT INTO metadata (name, value) VALUES (?, ?)", arguments: [name, value])
                }
                try insert(tiles, contents: table.contents, into: db)
            }
            try queue.close()
            // rename(2) replaces an existing archive atomically (replaceItemAt needs one to exist on Linux).
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError(file: url.path, "cannot write MBTiles: \(error)")
        }
    }

    /// Every distinct content into `images` when its first tile comes, every tile into `map`.
    private func insert(_ tiles: [(TileID, UInt32)], contents: [TileSpool.Content], into db: Database) throws {
        let image = try db.makeStatement(sql: "INSERT INTO images (tile_data, tile_id) VALUES (?, ?)")
        let map = try db.makeStatement(sql: "INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?, ?, ?, ?)")
        var name = [String?](repeating: nil, count: contents.count)
        var next = 0
        for (id, content) in tiles {
            let tileID: String
            if let known = name[Int(content)] {
                tileID = known
            } else {
                next += 1
                tileID = String(next)
                name[Int(content)] = tileID
                try image.execute(arguments: [Data(try spool.read(contents[Int(content)])), tileID])
            }
            let tmsRow = (1 << id.z) - 1 - id.y
            try map.execute(arguments: [id.z, id.x, tmsRow, tileID])
        }
    }
}

/// Reads an MBTiles archive read-only through SQLite: the `tiles` table or view, whichever layout wrote it.
final class MBTilesReader: TileArchiveReader {
    let kind = TileArchiveKind.mbtiles
    let url: URL
    private let queue: DatabaseQueue
    let count: Int

    init(_ url: URL) throws {
        self.url = url
        var config = Configuration()
        config.readonly = true
        do {
            queue = try DatabaseQueue(path: url.path, configuration: config)
            count = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tiles") ?? 0 }
        } catch {
            throw OutputError(file: url.path, "not a readable MBTiles archive (a SQLite database with a tiles table or view): \(error)")
        }
    }

    func tile(_ id: TileID) throws -> [UInt8]? {
        guard id.isValid else { return nil }
        let tmsRow = (1 << id.z) - 1 - id.y
        do {
            return try queue.read { db in
                try DatabaseValue.fetchOne(db, sql: "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                                           arguments: [id.z, id.x, tmsRow]).flatMap { Data.fromDatabaseValue($0) }.map { Array($0) }
            }
        } catch {
            throw OutputError(file: url.path, "cannot read tile \(id): \(error)")
        }
    }

    func forEachTile(_ body: (TileID, [UInt8]) throws -> Void) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles
                ORDER BY zoom_level, tile_column, tile_row DESC
                """)
            while let row = try rows.next() {
                // Converted without trapping: a foreign file may hold anything in these columns.
                let v = Array(row.databaseValues)
                guard v.count == 4, let z = Int.fromDatabaseValue(v[0]), let x = Int.fromDatabaseValue(v[1]),
                      let tmsRow = Int.fromDatabaseValue(v[2]), (0...31).contains(z) else {
                    throw OutputError(file: url.path, "a tiles row whose zoom_level, tile_column or tile_row is not a tile position")
                }
                let id = TileID(z: z, x: x, y: (1 << z) - 1 - tmsRow)
                guard id.isValid, let data = Data.fromDatabaseValue(v[3]) else {
                    throw OutputError(file: url.path, "tile \(z)/\(x) at TMS row \(tmsRow) is off the grid or has no bytes")
                }
                try body(id, Array(data))
            }
        }
    }
}
