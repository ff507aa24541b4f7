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
    /// Gi* z and class; nil where not computed (a database query without `--sort gi`, older files).
    var giZ: Double?
    var giClass: String?
    var json: String

    init(_ s: ZoneStats, style: Style) {
        id = s.zone.id; name = s.zone.name; parent = s.zone.parent; cases = s.cases; score = s.score
        level = s.level.rawValue; trend = s.trend; density = s.density; categories = s.categories; reason = s.reason
        scoreByCategory = s.parts.mapValues(\.score)
        giZ = s.gi?.z; giClass = s.gi?.giClass.rawValue
        json = ZoneProperties(s, style: style).jsonText()
    }

    /// From a feature of a zone GeoJSON a run wrote (older runs lack density, trend, reason ...).
    init(properties p: ZoneProperties) {
        id = p.id; name = p.name; parent = p.parent; cases = p.cases; score = p.score; level = p.level
        trend = p.trend ?? 0
        density = p.densityOrComputed
        categories = p.categories; reason = p.reason ?? ""; scoreByCategory = p.scoreByCategory ?? [:]
        giZ = p.giZ; giClass = p.giClass
        json = p.jsonText()
    }

    func sortValue(_ sort: StatsSort) -> Double {
        switch sort {
        case .cases: Double(cases)
        case .score: score
        case .trend: Double(trend)
        case .density: density
        case .gi: giZ ?? 0
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
        json = Self.json(lon: lon, lat: lat, HotspotProperties(h))
    }

    /// From a feature of `hotspots.geojson`.
    init(feature: HotspotFeature) {
        let p = feature.properties, c = feature.geometry.coordinates
        rank = p.rank; lon = c.first ?? 0; lat = c.dropFirst().first ?? 0; cases = p.cases
        zones = ZoneLevel.allCases.map { p[$0] }
        json = Self.json(lon: lon, lat: lat, p)
    }

    /// The point, then the properties in the file's order.
    static func json(lon: Double, lat: Double, _ p: HotspotProperties) -> String {
        JSONText.object([("lon", DocumentJSON.text(lon)), ("lat", DocumentJSON.text(lat))] + p.members)
    }
}
