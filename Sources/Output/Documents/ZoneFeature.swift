import Foundation
import Model
import Geometry
import Input
import Risk

/// The properties of one zone in `streets.geojson`, `communities.geojson` and `posts.geojson`; also the
/// object `riskmap stats --format json` prints per zone. Written by `GeoJSONWriter.zones`, read by
/// `riskmap stats` (StatsRow) and `riskmap serve` (ZoneTable).
public struct ZoneProperties: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var parent: String?
    public var cases: Int
    public var score: Double
    /// The risk level's name (`RiskLevel`).
    public var level: String
    public var color: String
    /// Category key → cases in the window.
    public var categories: [String: Int]
    public var areaKm2: Double
    // The last five members came with the scoring rules: files of earlier runs lack them, and are
    // still read (and shown with what they have).
    /// Cases per km²; nil in older files (readers use cases / area).
    public var density: Double?
    public var previousCases: Int?
    /// Cases minus previous cases; nil in older files (readers use 0).
    public var trend: Int?
    /// Why the zone has its level, in one line.
    public var reason: String?
    /// Weighing category → its part of the score, to 2 decimals.
    public var scoreByCategory: [String: Double]?
    /// Local Getis-Ord Gi* of `density` among the level's zones (interface.md): z, two-sided p (full
    /// precision) and the class after the Benjamini–Hochberg cut; nil in older files.
    public var giZ: Double?
    public var giP: Double?
    public var giClass: String?
    /// The permutation pseudo p-value, when the style asks for permutations.
    public var giPSim: Double?
    /// The emerging hot spot category, in runs with `--db` history.
    public var emerging: String?

    /// In the order of the file's members.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, parent, cases, score, level, color, categories
        case areaKm2 = "area_km2", density, previousCases = "previous_cases", trend, reason
        case scoreByCategory = "score_by_category"
        case giZ = "gi_z", giP = "gi_p", giClass = "gi_class", giPSim = "gi_p_sim", emerging
    }

    public init(id: String, name: String, parent: String?, cases: Int, score: Double, level: String, color: String,
                categories: [String: Int], areaKm2: Double, density: Double?, previousCases: Int?, trend: Int?,
                reason: String?, scoreByCategory: [String: Double]?) {
        self.id = id; self.name = name; self.parent = parent; self.cases = cases; self.score = score
        self.level = level; self.color = color; self.categories = categories; self.areaKm2 = areaKm2
        self.density = density; self.previousCases = previousCases; self.trend = trend; self.reason = reason
        self.scoreByCategory = scoreByCategory
    }

    public init(_ s: ZoneStats, style: Style) {
        self.init(id: s.zone.id, name: s.zone.name, parent: s.zone.parent, cases: s.cases, score: s.score,
                  level: s.level.rawValue, color: style.colors[s.level] ?? "", categories: s.categories,
                  areaKm2: s.areaKm2, density: s.density, previousCases: s.previousCases, trend: s.trend,
                  reason: s.reason, scoreByCategory: s.parts.mapValues { ($0.score * 100).rounded() / 100 })
        giZ = s.gi?.z; giP = s.gi?.p; giClass = s.gi?.giClass.rawValue; giPSim = s.giPseudoP
        emerging = s.emerging?.rawValue
    }

    /// Cases per km² as the file says, or (older files) computed from cases and area.
    public var densityOrComputed: Double { density ?? (areaKm2 > 0 ? Double(cases) / areaKm2 : 0) }

    /// `parent` is written as null when the zone has none; the later members only when known.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(parent, forKey: .parent)
        try c.encode(cases, forKey: .cases)
        try c.encode(score, forKey: .score)
        try c.encode(level, forKey: .level)
        try c.encode(color, forKey: .color)
        try c.encode(categories, forKey: .categories)
        try c.encode(areaKm2, forKey: .areaKm2)
        try c.encodeIfPresent(density, forKey: .density)
        try c.encodeIfPresent(previousCases, forKey: .previousCases)
        try c.encodeIfPresent(trend, forKey: .trend)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(scoreByCategory, forKey: .scoreByCategory)
        try c.encodeIfPresent(giZ, forKey: .giZ)
        try c.encodeIfPresent(giP, forKey: .giP)
        try c.encodeIfPresent(giClass, forKey: .giClass)
        try c.encodeIfPresent(giPSim, forKey: .giPSim)
        try c.encodeIfPresent(emerging, forKey: .emerging)
    }

    /// The members as JSON texts in the file's order (`CodingKeys`), numbers to the file's decimals
    /// (score 2, area 4, density 2): the zone GeoJSON writer and `stats --format json` print these.
    public var members: [(String, String)] {
        CodingKeys.allCases.compactMap { key in
            let text: String? = switch key {
            case .id: JSONText.string(id)
            case .name: JSONText.string(name)
            case .parent: JSONText.optional(parent)
            case .cases: String(cases)
            case .score: JSONText.number(score, decimals: 2)
            case .level: JSONText.string(level)
            case .color: JSONText.string(color)
            // Empty for most cells of a fine grid: "{}" without a trip through JSONEncoder (a 100 m grid
            // of NYC has 80,000 cells; the encoder made its zone file take 4 s).
            case .categories: categories.isEmpty ? "{}" : DocumentJSON.text(categories)
            case .areaKm2: JSONText.number(areaKm2, decimals: 4)
            case .density: density.map { JSONText.number($0, decimals: 2) }
            case .previousCases: previousCases.map(String.init)
            case .trend: trend.map(String.init)
            case .reason: reason.map(JSONText.string)
            case .scoreByCategory: scoreByCategory.map { $0.isEmpty ? "{}" : DocumentJSON.text($0) }
            // Full precision: Gi* is checked against other implementations to 1e-9.
            case .giZ: giZ.map(JSONText.exact)
            case .giP: giP.map(JSONText.exact)
            case .giClass: giClass.map(JSONText.string)
            case .giPSim: giPSim.map(JSONText.exact)
            case .emerging: emerging.map(JSONText.string)
            }
            return text.map { (key.rawValue, $0) }
        }
    }

    /// One line, members in the file's order.
    public func jsonText() -> String { JSONText.object(members) }
}

/// A zone's outline in the zone GeoJSON: a Polygon, or a MultiPolygon for a zone in several parts.
/// Rings are lists of [lon, lat]; exteriors counter-clockwise, holes clockwise (RFC 7946).
public enum ZoneGeometry: Codable, Equatable, Sendable {
    case polygon([[[Double]]])
    case multiPolygon([[[[Double]]]])

    enum CodingKeys: String, CodingKey { case type, coordinates }

    /// The zone's outline, oriented as RFC 7946 asks.
    public init(_ mp: MultiPolygon) {
        let polygons = mp.polygons.map { p in
            ([Self.oriented(p.exterior, counterClockwise: true)] + p.holes.map { Self.oriented($0, counterClockwise: false) })
                .map { ring in ring.map { [$0.x, $0.y] } }
        }
        self = polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
    }

    /// The outline as a value (for readers that need the shape: `stats` finds neighbours with it).
    public var shape: MultiPolygon {
        func ring(_ r: [[Double]]) -> Ring { r.compactMap { $0.count >= 2 ? Coordinate($0[0], $0[1]) : nil } }
        func polygon(_ rings: [[[Double]]]) -> Polygon? {
            guard let first = rings.first else { return nil }
            return Polygon(exterior: ring(first), holes: rings.dropFirst().map(ring))
        }
        switch self {
        case .polygon(let rings): return MultiPolygon([polygon(rings)].compactMap { $0 })
        case .multiPolygon(let polygons): return MultiPolygon(polygons.compactMap(polygon))
        }
    }

    static func oriented(_ r: Ring, counterClockwise: Bool) -> Ring {
        (signedArea(r) > 0) == counterClockwise ? r : r.reversed()
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "Polygon": self = .polygon(try c.decode([[[Double]]].self, forKey: .coordinates))
        case "MultiPolygon": self = .multiPolygon(try c.decode([[[[Double]]]].self, forKey: .coordinates))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "a zone is a Polygon or MultiPolygon, not \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .polygon(let rings):
            try c.encode("Polygon", forKey: .type)
            try c.encode(rings, forKey: .coordinates)
        case .multiPolygon(let polygons):
            try c.encode("MultiPolygon", forKey: .type)
            try c.encode(polygons, forKey: .coordinates)
        }
    }

    /// The writer's text: `type` first, coordinates to 7 decimals (about 1 cm).
    /// One string grown in place: an outline of a million vertices is written without a string per vertex.
    public func jsonText() -> String {
        var text = ""
        func list<T>(_ items: [T], _ item: (T) -> Void) {
            text += "["
            for (i, x) in items.enumerated() {
                if i > 0 { text += "," }
                item(x)
            }
            text += "]"
        }
        func position(_ p: [Double]) { text += "["; JSONText.appendCoordinate(p, to: &text); text += "]" }
        func polygon(_ rings: [[[Double]]]) { list(rings) { list($0, position) } }
        switch self {
        case .polygon(let rings):
            text.reserveCapacity(40 + rings.reduce(0) { $0 + $1.count } * 24)
            text += "{\"type\":\"Polygon\",\"coordinates\":"
            polygon(rings)
        case .multiPolygon(let polygons):
            text.reserveCapacity(40 + polygons.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } * 24)
            text += "{\"type\":\"MultiPolygon\",\"coordinates\":"
            list(polygons, polygon)
        }
        return text + "}"
    }
}

/// One feature of a zone GeoJSON.
public struct ZoneFeature: Codable, Equatable, Sendable {
    public var type = "Feature"
    /// The feature id (`FeatureNumber`); nil in files of earlier versions.
    public var id: UInt64?
    public var geometry: ZoneGeometry
    public var properties: ZoneProperties

    public init(id: UInt64?, geometry: ZoneGeometry, properties: ZoneProperties) {
        self.id = id; self.geometry = geometry; self.properties = properties
    }

    /// The writer's text: type, id, geometry, properties.
    public func jsonText() -> String {
        let id = id.map { "\"id\":\($0)," } ?? ""
        return "{\"type\":\"Feature\",\(id)\"geometry\":\(geometry.jsonText()),\"properties\":\(properties.jsonText())}"
    }
}

/// A zone GeoJSON file.
public struct ZoneCollection: Codable, Sendable {
    public var type = "FeatureCollection"
    public var features: [ZoneFeature]

    public init(features: [ZoneFeature]) { self.features = features }

    /// The file: one feature per line.
    public func jsonText() -> String { GeoJSONWriter.collection(features.map { $0.jsonText() }) }
}
