import Foundation
import Support
import Geometry
import Model
import Output
import Risk

/// One zone as `stats` shows it; `json` is the object `--format json` prints, with the properties of
/// the zone GeoJSON feature in the same order.
struct StatsRow {
    var id: String
    var name: String
    var parent: String?
    var cases: Int
    var score: Double
    var level: String
    var trend: Int
    var density: Double
    var categories: [String: Int]
    var reason: String
    var scoreByCategory: [String: Double]
    var json: String

    init(_ s: ZoneStats, style: Style) {
        id = s.zone.id; name = s.zone.name; parent = s.zone.parent; cases = s.cases; score = s.score
        level = s.level.rawValue; trend = s.trend; density = s.density; categories = s.categories; reason = s.reason
        scoreByCategory = s.parts.mapValues(\.score)
        json = GeoJSONWriter.object(GeoJSONWriter.zoneProperties(s, style: style))
    }

    /// From a feature of a zone GeoJSON a run wrote (older runs may lack trend and density).
    init(properties feature: [String: Any]) {
        let p = feature["properties"] as? [String: Any] ?? [:]
        id = p["id"].map { "\($0)" } ?? ""
        name = p["name"] as? String ?? ""
        parent = p["parent"] as? String
        cases = p["cases"] as? Int ?? 0
        score = p["score"] as? Double ?? 0
        level = p["level"] as? String ?? ""
        trend = p["trend"] as? Int ?? 0
        let area = p["area_km2"] as? Double ?? 0
        density = p["density"] as? Double ?? (area > 0 ? Double(cases) / area : 0)
        categories = p["categories"] as? [String: Int] ?? [:]
        reason = p["reason"] as? String ?? ""
        scoreByCategory = p["score_by_category"] as? [String: Double] ?? [:]
        json = StatsRow.orderedObject(p)
    }

    static let propertyOrder = ["id", "name", "parent", "cases", "score", "level", "color", "categories", "area_km2",
                                "density", "previous_cases", "trend", "reason", "score_by_category"]

    /// The properties in GeoJSONWriter's order, any others after them by name.
    static func orderedObject(_ p: [String: Any]) -> String {
        let keys = propertyOrder.filter { p[$0] != nil } + p.keys.filter { !propertyOrder.contains($0) }.sorted()
        return GeoJSONWriter.object(keys.map { ($0, GeoJSONWriter.json(p[$0]!)) })
    }

    func sortValue(_ sort: StatsSort) -> Double {
        switch sort {
        case .cases: Double(cases)
        case .score: score
        case .trend: Double(trend)
        case .density: density
        }
    }

    /// "噪声 9, 油烟 3": the categories by count.
    var topCategories: String {
        categories.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

/// One density peak as `stats --hotspots` shows it.
struct HotspotRow {
    var rank: Int
    var lon: Double
    var lat: Double
    var cases: Int
    var zones: [String?]
    var json: String

    init(_ h: Hotspot) {
        rank = h.rank; lon = h.center.x; lat = h.center.y; cases = h.cases
        zones = ZoneLevel.allCases.map { h.mainZone($0) }
        json = GeoJSONWriter.object([("lon", GeoJSONWriter.json(lon)), ("lat", GeoJSONWriter.json(lat))]
                                    + GeoJSONWriter.hotspotProperties(h))
    }

    /// From a feature of `hotspots.geojson`.
    init(feature: [String: Any]) {
        let p = feature["properties"] as? [String: Any] ?? [:]
        let c = (feature["geometry"] as? [String: Any])?["coordinates"] as? [Double] ?? [0, 0]
        rank = p["rank"] as? Int ?? 0; lon = c[0]; lat = c[1]; cases = p["cases"] as? Int ?? 0
        zones = ZoneLevel.allCases.map { p[$0.rawValue] as? String }
        var withPoint = p
        withPoint["lon"] = lon
        withPoint["lat"] = lat
        json = GeoJSONWriter.object((["lon", "lat", "rank", "cases", "radius_m"] + ZoneLevel.allCases.map(\.rawValue) + ["zones"])
            .filter { withPoint[$0] != nil }.map { ($0, GeoJSONWriter.json(withPoint[$0]!)) })
    }
}
