import Foundation
import Model
import Input
import Risk

/// `report.json`: what a run read, located, rejected, counted and drew, its timings and the style used.
/// Written by `riskmap run` (last, before the folder is published), read by `riskmap merge` (the
/// shards' reports), `riskmap locate --out` and `riskmap serve` (the gazetteer and home of the run).
/// Keys are written sorted, pretty-printed.
public struct RunReport: Codable, Sendable {
    public var inputRows: Int
    public var located: Int
    public var rejected: Int
    /// Cases inside the window that count in the zones.
    public var counted: Int
    /// located / input rows.
    public var matchRate: Double
    /// Zone level → risk level → zones.
    public var levels: [String: [String: Int]]
    public var rejectsByReason: [String: Int]
    /// Location method → cases.
    public var methods: [String: Int]
    /// Zone level → located cases that fall in a zone of it.
    public var reached: [String: Int]
    /// CRS → cases located by their coordinates ("default": the run's --cases-crs).
    public var coordinateSystems: [String: Int]
    public var asOf: String
    public var windowDays: Int
    public var window: WindowRange
    /// The cases files, as given.
    public var files: [String]
    public var style: StyleUsed
    /// Tile layer → tiles in the folder (the WGS-84 pyramid, `tiles/`).
    public var tiles: [String: Int]
    /// The coordinate systems the run published in (`run --publish-crs`; `wgs84` always); nil in
    /// reports of runs before the option.
    public var publishCRS: [String]?
    /// Tile layer → tiles of the GCJ-02 pyramid (`tiles-gcj02/`), when published.
    public var tilesGCJ02: [String: Int]?
    /// Step → wall seconds (3 decimals).
    public var timingsS: [String: Double]
    public var warnings: [String]
    public var generatedAt: String
    public var tool: String
    public var toolVersion: String
    /// The address geocoder's figures (nil in reports of runs before it).
    public var geocode: Geocode?
    /// Rows whose address lies beyond their coordinates' community.
    public var addressWarnings: Int?
    /// `K/N` in a shard's report (`run --shard`); nil for the whole map.
    public var shard: String?
    /// With `run --db`: what the run did to the case database.
    public var database: Database?
    /// What the incremental tile rendering redrew and kept.
    public var tileUpdates: TileUpdates?
    /// How `cases.geojson` places cases (`CasePoints`, `run --case-points`): "exact", "snap:METRES"
    /// (e.g. "snap:100") or "none". nil in reports of runs before the option: exact. `serve --public` reads it.
    public var casePoints: String? = nil

    enum CodingKeys: String, CodingKey {
        case inputRows = "input_rows", located, rejected, counted, matchRate = "match_rate", levels
        case rejectsByReason = "rejects_by_reason", methods, reached, coordinateSystems = "coordinate_systems"
        case asOf = "as_of", windowDays = "window_days", window, files, style, tiles, timingsS = "timings_s"
        case publishCRS = "publish_crs", tilesGCJ02 = "tiles_gcj02"
        case warnings, generatedAt = "generated_at", tool, toolVersion = "tool_version", geocode
        case addressWarnings = "address_warnings", shard, database, tileUpdates = "tile_updates"
        case casePoints = "case_points"
    }

    /// The days counted: (from_exclusive, to].
    public struct WindowRange: Codable, Sendable, Equatable {
        public var fromExclusive: String
        public var to: String
        enum CodingKeys: String, CodingKey { case fromExclusive = "from_exclusive", to }
    }

    /// `file`: the --style path, or "built-in" for the style the binary carries.
    public struct StyleUsed: Codable, Sendable, Equatable {
        public var file: String
        /// "fnv1a64:HEX" of the style's text.
        public var hash: String
    }

    public struct Geocode: Codable, Sendable, Equatable {
        /// The home district addresses are completed with.
        public var home: String
        /// The gazetteer file used (absolute), so that `riskmap locate --out` can find it again.
        public var gazetteer: String
        public var gazetteerEntries: Int
        public var gazetteerRowsSkipped: Int
        public var addressRows: Int
        public var located: Int
        /// Match kind → rows located by address.
        public var byMatch: [String: Int]
        /// Reject reason → rows.
        public var rejected: [String: Int]
        public var checkedRowsWithCoordinates: Int
        public var seconds: Double
        /// With the geocode cache (`run --db`): distinct normalised addresses found in it, and not.
        public var cache: Cache?

        public struct Cache: Codable, Sendable, Equatable {
            public var hits: Int
            public var misses: Int
            public init(hits: Int, misses: Int) { self.hits = hits; self.misses = misses }
        }

        enum CodingKeys: String, CodingKey {
            case home, gazetteer, gazetteerEntries = "gazetteer_entries", gazetteerRowsSkipped = "gazetteer_rows_skipped"
            case addressRows = "address_rows", located, byMatch = "by_match", rejected
            case checkedRowsWithCoordinates = "checked_rows_with_coordinates", seconds, cache
        }

        public init(home: String, gazetteer: String, gazetteerEntries: Int, gazetteerRowsSkipped: Int, addressRows: Int,
                    located: Int, byMatch: [String: Int], rejected: [String: Int], checkedRowsWithCoordinates: Int,
                    seconds: Double, cache: Cache?) {
            self.home = home; self.gazetteer = gazetteer; self.gazetteerEntries = gazetteerEntries
            self.gazetteerRowsSkipped = gazetteerRowsSkipped; self.addressRows = addressRows; self.located = located
            self.byMatch = byMatch; self.rejected = rejected; self.checkedRowsWithCoordinates = checkedRowsWithCoordinates
            self.seconds = seconds; self.cache = cache
        }
    }

    public struct Database: Codable, Sendable, Equatable {
        public var path: String
        public var casesStored: Int
        public var casesAdded: Int
        public var casesReplaced: Int
        public var casesRemoved: Int
        /// Stored cases located again because the boundaries or the gazetteer changed.
        public var casesRelocated: Int
        public var countedFrom = "database: every stored case of the window, this run's included"

        enum CodingKeys: String, CodingKey {
            case path, casesStored = "cases_stored", casesAdded = "cases_added", casesReplaced = "cases_replaced"
            case casesRemoved = "cases_removed", casesRelocated = "cases_relocated", countedFrom = "counted_from"
        }

        public init(path: String, casesStored: Int, casesAdded: Int, casesReplaced: Int, casesRemoved: Int, casesRelocated: Int) {
            self.path = path; self.casesStored = casesStored; self.casesAdded = casesAdded
            self.casesReplaced = casesReplaced; self.casesRemoved = casesRemoved; self.casesRelocated = casesRelocated
        }
    }

    /// Per layer: tiles drawn by this run, kept from the previous one, and deleted (drawn before, empty now).
    public struct TileUpdates: Codable, Sendable, Equatable {
        /// "incremental", or "full" with the reason.
        public var mode: String
        public var rendered: [String: Int]
        public var kept: [String: Int]
        public var deleted: [String: Int]
        /// The same for the GCJ-02 pyramid, when published.
        public var gcj02: PyramidUpdates?
        public init(mode: String, rendered: [String: Int], kept: [String: Int], deleted: [String: Int]) {
            self.mode = mode; self.rendered = rendered; self.kept = kept; self.deleted = deleted
        }

        /// The layers' counts of several shards added up.
        public static func summed(_ parts: [TileUpdates], mode: String) -> TileUpdates {
            var u = TileUpdates(mode: mode, rendered: sum(parts.map(\.rendered)), kept: sum(parts.map(\.kept)),
                                deleted: sum(parts.map(\.deleted)))
            let shifted = parts.compactMap(\.gcj02)
            if !shifted.isEmpty {
                u.gcj02 = PyramidUpdates(rendered: sum(shifted.map(\.rendered)), kept: sum(shifted.map(\.kept)),
                                         deleted: sum(shifted.map(\.deleted)))
            }
            return u
        }

        static func sum(_ counts: [[String: Int]]) -> [String: Int] { counts.reduce(into: [:]) { $0.merge($1, uniquingKeysWith: +) } }
    }

    /// Per layer of a pyramid beside the WGS-84 one: tiles drawn, kept and deleted.
    public struct PyramidUpdates: Codable, Sendable, Equatable {
        public var rendered: [String: Int]
        public var kept: [String: Int]
        public var deleted: [String: Int]
        public init(rendered: [String: Int], kept: [String: Int], deleted: [String: Int]) {
            self.rendered = rendered; self.kept = kept; self.deleted = deleted
        }
    }

    /// The report of a run, from what it read, located and drew; the parts of the later stages are
    /// given typed (geocode, shard, database, tile updates).
    public init(inputRows: Int, located: LocatedCounts, rejected: [RejectedRow], counted: Int,
                stats: [ZoneLevel: [ZoneStats]], style: Style, window: Window, files: [String],
                tiles: [String: Int], tilesGCJ02: [String: Int]? = nil, publishCRS: [String] = ["wgs84"],
                timings: [(String, Double)], warnings: [String],
                geocode: Geocode, addressWarnings: Int, shard: String?, database: Database?, tileUpdates: TileUpdates) {
        var levels: [String: [String: Int]] = [:]
        for level in ZoneLevel.mapLevels where level != .grid || stats[level] != nil {
            var n = Dictionary(uniqueKeysWithValues: RiskLevel.allCases.map { ($0.rawValue, 0) })
            for s in stats[level] ?? [] { n[s.level.rawValue, default: 0] += 1 }
            levels[level.rawValue] = n
        }
        var reasons: [String: Int] = [:]
        for r in rejected { reasons[r.reason.rawValue, default: 0] += 1 }
        self.inputRows = inputRows
        self.located = located.count
        self.rejected = rejected.count
        self.counted = counted
        matchRate = inputRows == 0 ? 0 : Double(located.count) / Double(inputRows)
        self.levels = levels
        rejectsByReason = reasons
        self.methods = located.methods
        self.reached = located.reached
        coordinateSystems = located.coordinateSystems
        asOf = window.asOf.description
        windowDays = window.days
        self.window = WindowRange(fromExclusive: (window.asOf - window.days).description, to: window.asOf.description)
        self.files = files
        self.style = StyleUsed(file: style.file, hash: "fnv1a64:" + style.contentHash)
        self.tiles = tiles
        self.tilesGCJ02 = tilesGCJ02
        self.publishCRS = publishCRS
        timingsS = Dictionary(timings.map { ($0.0, ($0.1 * 1000).rounded() / 1000) }, uniquingKeysWith: +)
        self.warnings = warnings
        generatedAt = ISO8601DateFormatter().string(from: Date())
        tool = "riskmap"
        toolVersion = ToolVersion.current
        self.geocode = geocode
        self.addressWarnings = addressWarnings
        self.shard = shard
        self.database = database
        self.tileUpdates = tileUpdates
    }

    /// The file's text: keys sorted, pretty-printed, `/` not escaped, a newline at the end.
    public func jsonText() -> String { DocumentJSON.text(self, pretty: true) + "\n" }

    /// The `geocode` part of a report.json, nil when the file is missing or has none. Read alone, so
    /// that a report of an older run (lacking later members) still gives it.
    public static func geocode(in folder: URL) -> Geocode? {
        struct GeocodeOnly: Decodable { var geocode: Geocode? }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("report.json")) else { return nil }
        return (try? DocumentJSON.decode(GeocodeOnly.self, from: data))?.geocode
    }

    /// `case_points` of a report.json's text, read alone (as `geocode(in:)`) so that a report of an
    /// older run still answers: nil when absent (exact points) or when `data` is not a report.
    public static func casePoints(in data: Data) -> String? {
        struct CasePointsOnly: Decodable {
            var casePoints: String?
            enum CodingKeys: String, CodingKey { case casePoints = "case_points" }
        }
        return (try? DocumentJSON.decode(CasePointsOnly.self, from: data))?.casePoints
    }

    /// Whether `data` is a report with the members every riskmap's report has had (input rows, located,
    /// rejected, levels): how the output of a riskmap from before the output marker is recognised.
    public static func hasCounts(_ data: Data) -> Bool {
        struct Counts: Decodable {
            var inputRows: Int, located: Int, rejected: Int, levels: [String: [String: Int]]
            enum CodingKeys: String, CodingKey { case inputRows = "input_rows", located, rejected, levels }
        }
        return (try? DocumentJSON.decode(Counts.self, from: data)) != nil
    }
}

/// What `report.json` says of the located cases, counted as soon as they are located: a run lets the
/// cases go before it draws the map (a gigabyte at ten million cases).
public struct LocatedCounts: Sendable {
    public private(set) var count = 0
    /// Cases by `LocationMethod`.
    public private(set) var methods: [String: Int] = [:]
    /// Cases that reached each level.
    public private(set) var reached = Dictionary(uniqueKeysWithValues: ZoneLevel.allCases.map { ($0.rawValue, 0) })
    /// Cases located by their coordinates, by the coordinate system of their row.
    public private(set) var coordinateSystems: [String: Int] = [:]

    public init(_ located: some Sequence<LocatedCase>) {
        for c in located {
            count += 1
            methods[c.method.rawValue, default: 0] += 1
            for level in ZoneLevel.allCases where c.zone(level) != nil { reached[level.rawValue, default: 0] += 1 }
            if c.method == .coordinates { coordinateSystems[c.record.crs?.description ?? "default", default: 0] += 1 }
        }
    }
}
