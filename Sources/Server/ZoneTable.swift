import Foundation
import Input
import Model
import Output
import Stats

/// One level's zone GeoJSON from the output folder, parsed once per folder version, with each
/// feature kept as ready-made JSON so filtered answers are assembled by concatenation.
public struct ZoneTable: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var parent: String?
        public var cases: Double
        public var score: Double
        public var trend: Double
        public var density: Double
        /// Gi* z of the feature (0 in files without it).
        public var giZ: Double
        var feature: Data
        var properties: Data
        /// The row of `/api/stats?format=csv`, CRLF included.
        var csv: String
    }

    public var level: ZoneLevel
    public var rows: [Row]

    public static let csvColumns = ["id", "name", "parent", "cases", "score", "level", "color", "area_km2", "reason", "trend"]

    public init(level: ZoneLevel, folder: URL) throws {
        let url = folder.appendingPathComponent(level.fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw APIError(.internalServerError, "\(url.path): not found")
        }
        let collection: ZoneCollection
        do {
            collection = try DocumentJSON.decode(ZoneCollection.self, from: data)
        } catch {
            throw APIError(.internalServerError, "\(url.path): not a zone GeoJSON FeatureCollection: \(DocumentJSON.describe(error))")
        }
        self.level = level
        rows = collection.features.map(Self.row)
    }

    /// A feature as the server sends it: keys sorted, slashes as they are.
    static func row(_ f: ZoneFeature) -> Row {
        let p = f.properties
        let cases = Double(p.cases)
        return Row(id: p.id, parent: p.parent, cases: cases, score: p.score, trend: Double(p.trend ?? 0),
                   density: p.areaKm2 > 0 ? cases / p.areaKm2 : 0, giZ: p.giZ ?? 0,
                   feature: Data(DocumentJSON.text(f).utf8), properties: Data(DocumentJSON.text(p).utf8),
                   csv: CSVWriter.line(csvFields(p)))
    }

    /// The `csvColumns` of a zone; what an older file lacks (reason, trend) is an empty field.
    static func csvFields(_ p: ZoneProperties) -> [String] {
        [p.id, p.name, p.parent ?? "", String(p.cases), DocumentJSON.numberText(p.score), p.level, p.color,
         DocumentJSON.numberText(p.areaKm2), p.reason ?? "", p.trend.map(String.init) ?? ""]
    }

    /// The rows a query selects: by parent, sorted (descending, ties by id), cut to `top`.
    public func select(_ q: StatsQuery, defaultSort: StatsSort?) -> [Row] {
        var out = q.parent.map { p in rows.filter { $0.parent == p } } ?? rows
        if let sort = q.sort ?? defaultSort {
            let key: (Row) -> Double = switch sort {
            case .cases: \.cases
            case .trend: \.trend
            case .density: \.density
            case .score: \.score
            case .gi: \.giZ
            }
            out.sort { key($0) != key($1) ? key($0) > key($1) : $0.id < $1.id }
        }
        if let top = q.top { out = Array(out.prefix(top)) }
        return out
    }
}

/// The three levels' tables of one folder version.
public struct ZoneTables: Sendable {
    public var tables: [ZoneLevel: ZoneTable]

    /// A memo of the tables: parsed once per folder version, shared by `/api/zones` and the
    /// folder-based stats of one server.
    public static func memo() -> SnapshotMemo<ZoneTables> { SnapshotMemo { try ZoneTables(folder: $0.url) } }

    public init(folder: URL) throws {
        var t: [ZoneLevel: ZoneTable] = [:]
        for level in ZoneLevel.allCases { t[level] = try ZoneTable(level: level, folder: folder) }
        // The grid's file is there only when the run's style has `[grid]`.
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(ZoneLevel.grid.fileName).path) {
            t[.grid] = try ZoneTable(level: .grid, folder: folder)
        }
        tables = t
    }

    /// The level's table after checking the parent filter names a zone of the level above.
    public func table(for q: StatsQuery) throws(APIError) -> ZoneTable {
        switch q.parentProblem(exists: { level, id in tables[level]?.rows.contains { $0.id == id } ?? false }) {
        case nil: break
        case .levelHasNoParent: throw .badRequest("parent: \(q.level.rawValue) zones have no parent level")
        case .unknown(let up, let id): throw .badRequest("parent: no \(up.rawValue) with id '\(id)'")
        }
        guard let table = tables[q.level] else {
            throw .notFound("level: this map has no \(q.level.rawValue) level (the grid needs [grid] cell_m in the run's style)")
        }
        return table
    }

    /// `/api/zones`: a GeoJSON FeatureCollection of the selected zones (file order unless sorted).
    public func zonesGeoJSON(_ q: StatsQuery) throws(APIError) -> Data {
        try Self.requireFolderOptions(q)
        let rows = try table(for: q).select(q, defaultSort: nil)
        return Self.join(rows.map(\.feature), prefix: #"{"type":"FeatureCollection","features":["#, suffix: "]}\n")
    }

    /// `/api/stats` from the folder: one object per zone with the GeoJSON properties (as
    /// `riskmap stats --format json`), or CSV. Sorted by score unless told otherwise.
    public func stats(_ q: StatsQuery) throws(APIError) -> APIAnswer {
        try Self.requireFolderOptions(q)
        let rows = try table(for: q).select(q, defaultSort: .score)
        switch q.format {
        case .csv:
            let text = CSVWriter.line(ZoneTable.csvColumns) + rows.map(\.csv).joined()
            return APIAnswer(body: Data(text.utf8), contentType: "text/csv; charset=utf-8")
        case .json:
            return APIAnswer(body: Self.join(rows.map(\.properties), prefix: "[", suffix: "]\n"), contentType: "application/json")
        case .table:
            throw .badRequest("format table is for terminals; use json or csv")
        }
    }

    /// The zone GeoJSON holds the counts of one window, for all categories: the options that
    /// re-count cases need the case database (`riskmap stats --db`), not this folder.
    static func requireFolderOptions(_ q: StatsQuery) throws(APIError) {
        let needDB = [("category", q.category != nil), ("since", q.since != nil), ("until", q.until != nil),
                      ("as-of", q.asOf != nil), ("window", q.window != nil)].filter(\.1).map(\.0)
        guard needDB.isEmpty else {
            throw .notImplemented("\(needDB.joined(separator: ", ")): re-counting cases needs the case database, which this server does not have; the zone files hold the run's window only")
        }
    }

    static func join(_ parts: [Data], prefix: String, suffix: String) -> Data {
        var out = Data(prefix.utf8)
        for (i, p) in parts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(p)
        }
        out.append(contentsOf: Data(suffix.utf8))
        return out
    }
}
