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
}

/// Writes MBTiles 1.3 (https://github.com/mapbox/mbtiles-spec/blob/master/1.3/spec.md): a SQLite file
/// with `metadata(name, value)` and `tiles(zoom_level, tile_column, tile_row, tile_data)`.
///
/// MBTiles counts rows in the TMS scheme, from the south: row = 2^z − 1 − y of the XYZ tile.
/// The file is built next to `url` and renamed over it only when complete.
public enum MBTilesWriter {
    public static func write(_ tiles: [TileID: [UInt8]], info: TileSetInfo, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: temporary.path)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE metadata (name TEXT, value TEXT);
                    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
                    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
                    CREATE UNIQUE INDEX name ON metadata (name);
                    """)
                for (name, value) in metadata(info) {
                    try db.execute(sql: "INSERT INTO metadata (name, value) VALUES (?, ?)", arguments: [name, value])
                }
                let insert = try db.makeStatement(sql: "INSERT INTO tiles VALUES (?, ?, ?, ?)")
                for id in tiles.keys.sorted() {
                    let tmsRow = (1 << id.z) - 1 - id.y
                    try insert.execute(arguments: [id.z, id.x, tmsRow, Data(tiles[id]!)])
                }
            }
            try queue.close()
            // rename(2) replaces an existing archive atomically (replaceItemAt needs one to exist on Linux).
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError(file: url.path, "cannot write MBTiles: \(error)")
        }
    }

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
