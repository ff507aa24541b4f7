import Foundation
import Input
import Model
import Risk

/// The rows of repeat complaints (`RepeatFinder`) as `stats --repeats` prints them and as `run` writes
/// `repeats.csv` for the command centre: one row per address or place, the same columns in every format.
/// They carry addresses, so `repeats.csv` is never served (`RiskServer.private_`).
public enum RepeatsWriter {
    public static let header = ["kind", "address", "addresses", "lon", "lat", "street", "community", "post", "categories",
                                "first", "last", "cases", "trend"]

    /// Text cells, in `header`'s order; lon/lat with 6 decimals (about 10 cm), empty without a point.
    public static func cells(_ g: RepeatGroup) -> [String] {
        let point = g.center.map { [String(format: "%.6f", $0.x), String(format: "%.6f", $0.y)] } ?? ["", ""]
        return [g.kind.rawValue, g.address, "\(g.addresses)"] + point + [g.zones.street ?? "", g.zones.community ?? "", g.zones.post ?? "",
                categoryText(g.categories), g.first.description, g.last.description, "\(g.cases)", "\(g.trend)"]
    }

    /// "噪声 4, 油烟 1": by count, then by key.
    public static func categoryText(_ counts: [String: Int]) -> String {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// `repeats.csv` (RFC 4180, as every CSV of riskmap).
    public static func csv(_ groups: [RepeatGroup]) -> String {
        CSVWriter.document([header] + groups.map(cells))
    }

    /// The JSON array of `stats --repeats --format json`: one object per row, categories as an object.
    public static func json(_ groups: [RepeatGroup]) -> String {
        "[" + groups.map { DocumentJSON.text(RepeatEntry($0)) }.joined(separator: ",\n") + "]\n"
    }
}

/// One repeat complaint as a JSON object (keys as `RepeatsWriter.header`; lon/lat absent without a point).
public struct RepeatEntry: Codable, Sendable, Equatable {
    public var kind: String
    public var address: String
    public var addresses: Int
    public var lon: Double?
    public var lat: Double?
    public var street: String?
    public var community: String?
    public var post: String?
    public var categories: [String: Int]
    public var first: String
    public var last: String
    public var cases: Int
    public var trend: Int

    public init(_ g: RepeatGroup) {
        kind = g.kind.rawValue; address = g.address; addresses = g.addresses; lon = g.center?.x; lat = g.center?.y
        street = g.zones.street; community = g.zones.community; post = g.zones.post; categories = g.categories
        first = g.first.description; last = g.last.description; cases = g.cases; trend = g.trend
    }
}
