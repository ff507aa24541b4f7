import Foundation
import Input

/// A mistake on the command line found only once the style or database is read (an unknown zone or
/// category): the command exits 2 with the option named, like ArgumentParser's own errors.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var option: String
    public var message: String
    public init(_ option: String, _ message: String) { self.option = option; self.message = message }
    public var description: String { "\(option): \(message)" }
}

public enum StatsSort: String, CaseIterable, Sendable {
    case cases, score, trend, density
}

public enum StatsFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// Everything `riskmap stats` needs to know.
public struct StatsOptions: Sendable {
    /// The case database; nil: read the zone GeoJSON of `out` instead.
    public var db: URL?
    /// Read every page of the database first (`PRAGMA quick_check`) and refuse a damaged one. `serve --db`
    /// checks once at start-up and turns it off for the queries it answers.
    public var verifyDatabase = true
    public var out: URL
    /// `--style FILE`; nil: the style built into the binary.
    public var style: URL?
    public var level: ZoneLevel = .community
    public var parent: String?
    public var category: String?
    public var since: Day?
    public var until: Day?
    public var asOf: Day?
    public var window: Int?
    public var sort: StatsSort = .score
    public var top: Int?
    public var format: StatsFormat = .table
    public var explain: String?
    public var hotspots = false
    public init(db: URL?, out: URL, style: URL? = nil) { self.db = db; self.out = out; self.style = style }

    /// The options that filter cases, which only the database can answer.
    var caseFilters: [String] {
        [("--category", category != nil), ("--since", since != nil), ("--until", until != nil),
         ("--as-of", asOf != nil), ("--window", window != nil)].filter(\.1).map(\.0)
    }

    /// The days to count: --since/--until (both inclusive) or --as-of/--window; what is not given comes
    /// from the last run recorded in the database, so that plain `stats` shows the map `run` made.
    func window(defaultAsOf: Day, defaultDays: Int) throws -> (asOf: Day, days: Int) {
        if since != nil || until != nil {
            if asOf != nil || window != nil {
                throw UsageError(asOf != nil ? "--as-of" : "--window", "give either --since/--until or --as-of/--window, not both")
            }
            let last = until ?? defaultAsOf
            let first = since ?? last - (defaultDays - 1)
            guard first <= last else {
                throw UsageError("--until", "\(last) is before --since \(first)")
            }
            return (last, last.ordinal - first.ordinal + 1)
        }
        if let window, window < 1 { throw UsageError("--window", "must be at least 1 day") }
        return (asOf ?? defaultAsOf, window ?? defaultDays)
    }
}
