import Foundation
import Support
import Model

/// A mistake on the command line found only once the style or database is read (an unknown zone or
/// category): the command exits 2 with the option named, like ArgumentParser's own errors.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var option: String
    public var message: String
    public init(_ option: String, _ message: String) { self.option = option; self.message = message }
    public var description: String { "\(option): \(message)" }
}

/// Everything `riskmap stats` needs to know: where the statistics come from, and the query.
public struct StatsOptions: Sendable {
    /// The case database; nil: read the zone GeoJSON of `out` instead.
    public var db: URL?
    /// Read every page of the database first (`PRAGMA quick_check`) and refuse a damaged one. `serve --db`
    /// checks once at start-up and turns it off for the queries it answers.
    public var verifyDatabase = true
    public var out: URL
    /// `--style FILE`; nil: the style built into the binary.
    public var style: URL?
    public var query: StatsQuery
    /// `--repeats`: list the repeat complaints instead of the zones (needs --db).
    public var repeats: RepeatsQuery?
    /// The command line's defaults: communities, sorted by score, as a table.
    public init(db: URL?, out: URL, style: URL? = nil,
                query: StatsQuery = StatsQuery(level: .community, format: .table)) {
        self.db = db; self.out = out; self.style = style; self.query = query
    }
}

/// `stats --repeats [--min-cases K] [--within METRES]`: what is not given comes from the style's `[repeats]`.
public struct RepeatsQuery: Sendable, Hashable {
    public var minCases: Int?
    public var withinMetres: Double?
    public init(minCases: Int? = nil, withinMetres: Double? = nil) { self.minCases = minCases; self.withinMetres = withinMetres }
}
