import Foundation
import Model
import Input
import Risk

/// The properties of one density peak in `hotspots.geojson`. Written by `GeoJSONWriter.hotspots`, read
/// by `riskmap stats --hotspots` (HotspotRow).
public struct HotspotProperties: Codable, Equatable, Sendable {
    public var rank: Int
    public var cases: Int
    /// Half the side of the peak's 3 × 3 cells, to 1 decimal.
    public var radiusM: Double
    /// The zone of each level holding most of the peak's cases; null where none does.
    public var street: String?
    public var community: String?
    public var post: String?
    /// Level → zone id → cases of the peak in it.
    public var zones: [String: [String: Int]]

    /// In the order of the file's members.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case rank, cases, radiusM = "radius_m", street, community, post, zones
    }

    public init(_ h: Hotspot) {
        rank = h.rank; cases = h.cases; radiusM = h.radiusMetres
        street = h.mainZone(.street); community = h.mainZone(.community); post = h.mainZone(.post)
        zones = Dictionary(uniqueKeysWithValues: ZoneLevel.allCases.map { ($0.rawValue, h.zones[$0] ?? [:]) })
    }

    /// The main zone of `level`.
    public subscript(level: ZoneLevel) -> String? {
        switch level {
        case .street: street
        case .community: community
        case .post: post
        case .grid: nil   // hotspots name their nested zones only
        }
    }

    /// The main zones are written as null when there is none.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rank, forKey: .rank)
        try c.encode(cases, forKey: .cases)
        try c.encode(radiusM, forKey: .radiusM)
        try c.encode(street, forKey: .street)
        try c.encode(community, forKey: .community)
        try c.encode(post, forKey: .post)
        try c.encode(zones, forKey: .zones)
    }

    /// The members as JSON texts in the file's order; the radius to 1 decimal.
    public var members: [(String, String)] {
        CodingKeys.allCases.map { key in
            let text = switch key {
            case .rank: String(rank)
            case .cases: String(cases)
            case .radiusM: JSONText.number(radiusM, decimals: 1)
            case .street: JSONText.optional(street)
            case .community: JSONText.optional(community)
            case .post: JSONText.optional(post)
            case .zones: DocumentJSON.text(zones)
            }
            return (key.rawValue, text)
        }
    }
}

/// A GeoJSON Point.
public struct PointGeometry: Codable, Equatable, Sendable {
    public var type = "Point"
    /// [lon, lat].
    public var coordinates: [Double]
    public init(coordinates: [Double]) { self.coordinates = coordinates }

    /// The writer's text, coordinates to 7 decimals.
    public func jsonText() -> String { "{\"type\":\"Point\",\"coordinates\":[\(JSONText.coordinate(coordinates))]}" }
}

/// One feature of `hotspots.geojson`.
public struct HotspotFeature: Codable, Equatable, Sendable {
    public var type = "Feature"
    public var geometry: PointGeometry
    public var properties: HotspotProperties

    public init(_ h: Hotspot) {
        geometry = PointGeometry(coordinates: [h.center.x, h.center.y])
        properties = HotspotProperties(h)
    }

    public func jsonText() -> String {
        "{\"type\":\"Feature\",\"geometry\":\(geometry.jsonText()),\"properties\":\(JSONText.object(properties.members))}"
    }
}

/// `hotspots.geojson`: the peaks, strongest first.
public struct HotspotCollection: Codable, Sendable {
    public var type = "FeatureCollection"
    public var features: [HotspotFeature]
    public init(_ hotspots: [Hotspot]) { features = hotspots.map(HotspotFeature.init) }

    public func jsonText() -> String { GeoJSONWriter.collection(features.map { $0.jsonText() }) }
}
