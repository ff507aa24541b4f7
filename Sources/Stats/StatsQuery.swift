import Foundation
import Support
import Model

public enum StatsSort: String, CaseIterable, Sendable {
    /// `gi`: by the Gi* z-score, hottest first (the table then shows gi_z and the class).
    case cases, score, trend, density, gi
}

public enum StatsFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// What an analyst asks of the zone statistics: the options of `riskmap stats`, and the query
/// parameters of `/api/stats` and `/api/zones` (parsed in `Server`). One type for the command and
/// the server, so that both mean the same by every option.
public struct StatsQuery: Sendable, Hashable {
    public var level: ZoneLevel
    /// Only the zones of this zone one level up.
    public var parent: String?
    /// Only cases of this category (a style key or any word of its vocabulary).
    public var category: String?
    /// The days: `since`...`until` (both inclusive) or the window of `window` days ending `asOf`.
    public var since: Day?
    public var until: Day?
    public var asOf: Day?
    public var window: Int?
    /// nil: the answer's own order (by score for statistics, the file's for `/api/zones`).
    public var sort: StatsSort?
    public var top: Int?
    public var format: StatsFormat
    /// Show how one zone's score is made up instead of the table.
    public var explain: String?
    /// The density peaks instead of the zones.
    public var hotspots = false
    /// The emerging hot spot category of every zone instead of the statistics (needs the database).
    public var emerging = false
    /// With `emerging`: days per time step and the number of steps, overriding the style's `[emerging]`.
    public var stepDays: Int?
    public var steps: Int?

    public init(level: ZoneLevel, format: StatsFormat) {
        self.level = level
        self.format = format
    }

    /// The options that filter cases, which only the database can answer (as `riskmap stats` names them).
    public var caseFilters: [String] {
        [("--category", category != nil), ("--since", since != nil), ("--until", until != nil),
         ("--as-of", asOf != nil), ("--window", window != nil)].filter(\.1).map(\.0)
    }

    /// The days to count: since/until or asOf/window; what is not given comes from the last run
    /// recorded in the database, so that plain `stats` shows the map `run` made.
    public func days(defaultAsOf: Day, defaultDays: Int) throws -> Window {
        if since != nil || until != nil {
            if asOf != nil || window != nil {
                throw UsageError(asOf != nil ? "--as-of" : "--window", "give either --since/--until or --as-of/--window, not both")
            }
            let last = until ?? defaultAsOf
            let first = since ?? last - (defaultDays - 1)
            guard first <= last else {
                throw UsageError("--until", "\(last) is before --since \(first)")
            }
            return Window(asOf: last, days: last.ordinal - first.ordinal + 1)
        }
        if let window, window < 1 { throw UsageError("--window", "must be at least 1 day") }
        return Window(asOf: asOf ?? defaultAsOf, days: window ?? defaultDays)
    }

    /// What is wrong with `parent`, if anything: the level has none above it, or no zone of the level
    /// above has that id (`exists` answers for the data at hand: database, folder or served folder).
    public enum ParentProblem: Equatable { case levelHasNoParent, unknown(level: ZoneLevel, id: String) }

    public func parentProblem(exists: (ZoneLevel, String) throws -> Bool) rethrows -> ParentProblem? {
        guard let parent else { return nil }
        guard let up = level.parentLevel else { return .levelHasNoParent }
        return try exists(up, parent) ? nil : .unknown(level: up, id: parent)
    }

    /// `parentProblem` as the command line says it.
    public func checkParent(exists: (ZoneLevel, String) throws -> Bool) throws {
        switch try parentProblem(exists: exists) {
        case nil: return
        case .levelHasNoParent: throw UsageError("--parent", "streets have no parent; use --level community or post")
        case .unknown(let up, let id): throw UsageError("--parent", "unknown \(up.rawValue) id '\(id)'")
        }
    }
}
