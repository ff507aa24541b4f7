import Foundation
import Geocoding
import Geometry
import Input
import Location
import Model
import Output
import Projection
import Stats

/// Where the API's answers come from:
/// - stats: with `--db`, `StatsJob` over the case database (every option of `riskmap stats`);
///   without it, the zone GeoJSON of the folder being served (level, parent, sort, top; options that
///   re-count cases answer 501 and say that they need `--db`);
/// - locate: `q=LON,LAT` through `PointLookup`, address text through the geocoder over the served
///   zones and the gazetteer the last run recorded in its report.
extension ServerServices {
    public static func standard(db: URL? = nil, style: URL? = nil) -> ServerServices {
        // Zones and the geocoder, built once per folder version (reading and indexing take a while).
        let boundaries = SnapshotMemo { try BoundaryReader(folder: $0.url, defaultCRS: .wgs84, limits: .unlimited).read() }
        // The zones indexed once per folder version: `q=LON,LAT` requests share its prepared geometries.
        let zoneIndex = SnapshotMemo { ZoneIndex(boundaries: try boundaries.value(for: $0)) }
        let addresses = SnapshotMemo { root -> AddressLookup in
            // The gazetteer and home district of the run that wrote the folder.
            let geocode = RunReport.geocode(in: root.url)
            let gazetteer = geocode.flatMap { $0.gazetteer.isEmpty ? nil : URL(fileURLWithPath: $0.gazetteer) }
                .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
            return try AddressLookup(index: try zoneIndex.value(for: root), gazetteer: gazetteer,
                                     home: HomeArea(parsing: geocode?.home ?? ""))
        }
        let tables = ZoneTables.memo()
        return ServerServices(
            zones: folderZones(tables),
            stats: { query, root in
                if let db { return try databaseStats(query, db: db, style: style, root: root) }
                return try tables.value(for: root).stats(query)
            },
            locate: { query, root in
                guard let point = parsePoint(query.q) else {
                    let lookup = try addresses.value(for: root)
                    return APIAnswer(body: Data(lookup.json(lookup.locate(query.q)).utf8))
                }
                let located = try PointLookup(index: try zoneIndex.value(for: root)).locate(point, crs: try parseCRS(query.crs))
                return APIAnswer(body: Data(located.json().utf8))
            },
            // A run commits to the database file or its write-ahead log: either changes their stat.
            dataVersion: { db.map { [FileID.of($0.path), FileID.of($0.path + "-wal")] } ?? [] })
    }

    /// `riskmap stats` itself, with the query's options; its usage errors are the client's (400).
    static func databaseStats(_ query: StatsQuery, db: URL, style: URL?, root: Snapshot) throws -> APIAnswer {
        var q = query
        // As the server always did: JSON unless CSV is asked for, sorted by score unless told otherwise.
        q.format = query.format == .csv ? .csv : .json
        q.sort = query.sort ?? .score
        var options = StatsOptions(db: db, out: root.url, style: style, query: q)
        // Checked once when the server started (`ServerServices.verifyDatabase`, called by `serve`), not on every query.
        options.verifyDatabase = false
        do {
            let text = try StatsJob(options: options).run()
            return APIAnswer(body: Data(text.utf8), contentType: query.format == .csv ? "text/csv; charset=utf-8" : "application/json")
        } catch let e as UsageError {
            throw APIError.badRequest(e.description)
        }
    }

    /// `serve --db FILE` at start-up: the file must be a riskmap case database in good order
    /// (see `CaseStore.verifyIntegrity`), or the server does not start.
    public static func verifyDatabase(_ db: URL) throws {
        try StatsJob.verifyDatabase(db)
    }

    /// `LON,LAT` (finite numbers); anything else is address text.
    static func parsePoint(_ q: String) -> Coordinate? {
        let parts = q.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), x.isFinite, y.isFinite else { return nil }
        return Coordinate(x, y)
    }

    static func parseCRS(_ text: String) throws(APIError) -> CRS {
        do {
            return try CRS(checking: text)
        } catch {
            throw .badRequest("crs: \(error)")
        }
    }
}
