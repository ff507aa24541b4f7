import Foundation
import Model
import Stats

/// `/api/stats` and `/api/zones` take the options of `riskmap stats` (`StatsQuery`) as query
/// parameters. Parsed and checked for form here (400 on anything malformed); what they mean is up to
/// the stats service.
extension StatsQuery {
    public static let parameters = ["level", "parent", "category", "since", "until", "as-of", "window",
                                    "sort", "top", "format"]

    /// Streets and JSON unless the query says otherwise.
    public init(_ q: QueryString) throws(APIError) {
        self.init(level: .street, format: .json)
        if let l = try q.choice("level", ZoneLevel.mapLevels.map(\.rawValue)) { level = ZoneLevel(rawValue: l)! }
        parent = try Self.nonEmpty(q, "parent")
        category = try Self.nonEmpty(q, "category")
        since = try Self.day(q, "since")
        until = try Self.day(q, "until")
        asOf = try Self.day(q, "as-of")
        window = try q.int("window", in: 1...36500)
        sort = try q.choice("sort", StatsSort.allCases.map(\.rawValue)).flatMap(StatsSort.init(rawValue:))
        top = try q.int("top", in: 1...1_000_000)
        format = try q.choice("format", ["json", "csv", "table"]).flatMap(StatsFormat.init(rawValue:)) ?? .json
        if let since, let until, until < since { throw .badRequest("until (\(until)) is before since (\(since))") }
        if (since != nil || until != nil) && (asOf != nil || window != nil) {
            throw .badRequest("give since/until or as-of/window, not both")
        }
    }

    /// The endpoints that answer a `StatsQuery`.
    public enum Endpoint: Sendable { case zones, stats }

    /// The query with the endpoint's defaults applied and what it ignores cleared: two requests get the
    /// same answer exactly when their normalised queries are equal (the answer cache's key).
    public func normalised(for endpoint: Endpoint) -> StatsQuery {
        var q = self
        switch endpoint {
        // GeoJSON whatever `format` says; file order unless sorted.
        case .zones: q.format = .json
        // Sorted by score unless told otherwise (the folder's stats and `riskmap stats` alike).
        case .stats: q.sort = q.sort ?? .score
        }
        return q
    }

    static func nonEmpty(_ q: QueryString, _ key: String) throws(APIError) -> String? {
        guard let v = q[key] else { return nil }
        guard !v.trimmingCharacters(in: .whitespaces).isEmpty else { throw .badRequest("\(key) is empty") }
        return v
    }

    static func day(_ q: QueryString, _ key: String) throws(APIError) -> Day? {
        guard let v = q[key] else { return nil }
        guard let d = Day(iso: v) else { throw .badRequest("\(key) must be a date YYYY-MM-DD, got '\(v)'") }
        return d
    }
}

/// `/api/locate?q=ADDRESS[&crs=C]`.
public struct LocateQuery: Sendable, Hashable {
    public static let parameters = ["q", "crs"]
    public var q: String
    public var crs: String

    public init(q: String, crs: String = "wgs84") {
        self.q = q
        self.crs = crs
    }

    public init(_ query: QueryString) throws(APIError) {
        guard let text = query["q"]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw .badRequest("q is required: an address, or a point as LON,LAT")
        }
        guard text.count <= 500 else { throw .badRequest("q is longer than 500 characters") }
        self.init(q: text, crs: query["crs"] ?? "wgs84")
    }
}
