import Support
import Foundation
import Geometry
import Model
import Risk

/// Writes RFC 7946 GeoJSON: WGS84 lon/lat, counter-clockwise exterior rings and clockwise holes,
/// 7 decimals (about 1 cm), no `crs` member.
public enum GeoJSONWriter {
    public static func zones(_ stats: [ZoneStats], style: Style) -> String {
        collection(stats.map { feature(geometry: multiPolygon($0.zone.geometry), properties: zoneProperties($0, style: style)) })
    }

    /// A zone's properties, as JSON texts in a fixed order; `riskmap stats --format json` prints the same.
    public static func zoneProperties(_ s: ZoneStats, style: Style) -> [(String, String)] {
        let z = s.zone
        return [
            ("id", JSONText.string(z.id)),
            ("name", JSONText.string(z.name)),
            ("parent", JSONText.optional(z.parent)),
            ("cases", String(s.cases)),
            ("score", JSONText.number(s.score, decimals: 2)),
            ("level", JSONText.string(s.level.rawValue)),
            ("color", JSONText.string(style.colors[s.level]!)),
            ("categories", JSONText.value(s.categories)),
            ("area_km2", JSONText.number(s.areaKm2, decimals: 4)),
            ("density", JSONText.number(s.density, decimals: 2)),
            ("previous_cases", String(s.previousCases)),
            ("trend", String(s.trend)),
            ("reason", JSONText.string(s.reason)),
            ("score_by_category", JSONText.value(s.parts.mapValues { ($0.score * 100).rounded() / 100 })),
        ]
    }

    /// The density peaks of the cases as points, strongest first.
    public static func hotspots(_ hotspots: [Hotspot]) -> String {
        collection(hotspots.map { h in
            feature(geometry: "{\"type\":\"Point\",\"coordinates\":[\(coord(h.center))]}",
                    properties: hotspotProperties(h))
        })
    }

    public static func hotspotProperties(_ h: Hotspot) -> [(String, String)] {
        [("rank", String(h.rank)), ("cases", String(h.cases)),
         ("radius_m", JSONText.number(h.radiusMetres, decimals: 1))]
            + ZoneLevel.allCases.map { ($0.rawValue, JSONText.optional(h.mainZone($0))) }
            + [("zones", JSONText.value(Dictionary(uniqueKeysWithValues: ZoneLevel.allCases.map { ($0.rawValue, h.zones[$0] ?? [:]) })))]
    }

    /// Located cases as points; no address text (it can identify the person who complained).
    /// `warnings`: case id → why its address disagrees with its coordinates (a `warning` property).
    /// A million cases take tens of seconds to format on one core: the features are formatted in
    /// chunks on all cores, then joined in order (the text is the same as one core's).
    public static func cases(_ cases: [LocatedCase], window: Window, warnings: [String: String] = [:]) -> String {
        let chunk = 8192, chunks = (cases.count + chunk - 1) / chunk
        let parts = parallelMap(chunks) { k in
            cases[(k * chunk)..<min(cases.count, (k + 1) * chunk)]
                .map { caseFeature($0, window: window, warnings: warnings) }.joined(separator: ",\n")
        }
        let body = parts.joined(separator: ",\n")
        return "{\"type\":\"FeatureCollection\",\"features\":[\n" + body + "\n]}\n"
    }

    static func caseFeature(_ c: LocatedCase, window: Window, warnings: [String: String]) -> String {
        let geometry = c.point.map { "{\"type\":\"Point\",\"coordinates\":[\(coord($0))]}" } ?? "null"
        let warning = warnings[c.record.id].map { [("warning", JSONText.string($0))] } ?? []
        return feature(geometry: geometry, properties: [
            ("id", JSONText.string(c.record.id)),
            ("street", JSONText.optional(c.street)),
            ("community", JSONText.optional(c.community)),
            ("post", JSONText.optional(c.post)),
            ("method", JSONText.string(c.method.rawValue)),
            ("confidence", JSONText.number(c.confidence, decimals: 3)),
            ("date", JSONText.string(c.record.day.description)),
            ("category", JSONText.string(c.record.category)),
            ("counted", window.contains(c.record.day) ? "true" : "false"),
        ] + warning)
    }

    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    static func feature(geometry: String, properties: [(String, String)]) -> String {
        "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":\(JSONText.object(properties))}"
    }

    static func multiPolygon(_ mp: MultiPolygon) -> String {
        let polygons = mp.polygons.map { p -> String in
            let rings = [oriented(p.exterior, counterClockwise: true)]
                + p.holes.map { oriented($0, counterClockwise: false) }
            return "[" + rings.map(ring).joined(separator: ",") + "]"
        }
        if polygons.count == 1 { return "{\"type\":\"Polygon\",\"coordinates\":\(polygons[0])}" }
        return "{\"type\":\"MultiPolygon\",\"coordinates\":[\(polygons.joined(separator: ","))]}"
    }

    static func oriented(_ r: Ring, counterClockwise: Bool) -> Ring {
        (signedArea(r) > 0) == counterClockwise ? r : r.reversed()
    }

    static func ring(_ r: Ring) -> String {
        "[" + r.map { "[\(coord($0))]" }.joined(separator: ",") + "]"
    }

    static func coord(_ c: Coordinate) -> String {
        JSONText.number(c.x, decimals: 7) + "," + JSONText.number(c.y, decimals: 7)
    }
}

extension GeoJSONWriter {
    /// A JSON object from ordered pairs of key and JSON text (for `riskmap stats --format json`).
    public static func object(_ pairs: [(String, String)]) -> String { JSONText.object(pairs) }
    /// Any JSON-compatible value as JSON text.
    public static func json(_ value: Any) -> String { JSONText.value(value) }
}
