import Foundation
import Support
import Geocoding
import Geometry
import Input
import Model
import Output
import Projection

/// How one point is located, for `riskmap locate --at`.
public struct PointLocation: Sendable {
    public var input: Coordinate
    public var crs: CRS
    public var point: Coordinate?
    public var zones: [ZoneLevel: Zone]
    public var method = LocationMethod.coordinates
    public var confidence: Double

    public func text() -> String {
        var lines = ["input:      \(input.x),\(input.y) (\(crs))"]
        if let p = point { lines.append(String(format: "point:      %.7f,%.7f (wgs84)", p.x, p.y)) }
        for level in ZoneLevel.allCases {
            let z = zones[level]
            lines.append("\(level.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(z.map { "\($0.id) \($0.name)" } ?? "-")")
        }
        lines.append("method:     \(method.rawValue)")
        lines.append("confidence: \(confidence)")
        return lines.joined(separator: "\n")
    }

    /// `locate --at … --json` and `/api/locate?q=LON,LAT`: one line, keys sorted.
    public func json() -> String { DocumentJSON.text(PointAnswer(self), escapingSlashes: true) }
}

/// The JSON of a located point: what was given, the WGS84 point and the zone of each level (null
/// where there is none).
struct PointAnswer: Encodable {
    var location: PointLocation

    init(_ location: PointLocation) { self.location = location }

    enum CodingKeys: String, CodingKey {
        case input, crs, method, confidence, point
        case street, community, post, streetName = "street_name", communityName = "community_name", postName = "post_name"
    }

    func encode(to encoder: Encoder) throws {
        let l = location
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([l.input.x, l.input.y], forKey: .input)
        try c.encode(l.crs.description, forKey: .crs)
        try c.encode(l.method.rawValue, forKey: .method)
        try c.encode(l.confidence, forKey: .confidence)
        try c.encode(l.point.map { [$0.x, $0.y] }, forKey: .point)
        for (level, id, name) in [(ZoneLevel.street, CodingKeys.street, CodingKeys.streetName),
                                  (.community, .community, .communityName), (.post, .post, .postName)] {
            try c.encode(l.zones[level]?.id, forKey: id)
            try c.encode(l.zones[level]?.name, forKey: name)
        }
    }
}

/// Locates single points with the same rules as `run` (finest level first, ancestors by parent id).
public struct PointLookup: Sendable {
    let index: ZoneIndex
    public init(index: ZoneIndex) { self.index = index }
    public init(boundaries: Boundaries) { self.init(index: ZoneIndex(boundaries: boundaries)) }

    public func locate(_ c: Coordinate, crs: CRS) throws -> PointLocation {
        let p: Coordinate? = crs == .wgs84 ? c : try TransformerCache.shared.withTransformer(from: crs) { $0.transform(c) }
        var zones: [ZoneLevel: Zone] = [:]
        if let p, let ref = try index.zones(of: [p])[0] {
            for level in ZoneLevel.allCases {
                if let id = ref[level], let z = index.zone(level, id: id) { zones[level] = z }
            }
        }
        return PointLocation(input: c, crs: crs, point: p, zones: zones, confidence: zones.isEmpty ? 0 : 1)
    }
}

/// Geocodes single addresses with the same rules as `run`, for `riskmap locate ADDRESS`.
public struct AddressLookup: Sendable {
    let index: ZoneIndex
    public let geocoder: Geocoder
    /// Gazetteer rows that were skipped.
    public let warnings: [String]

    public init(index: ZoneIndex, gazetteer: URL?, home: HomeArea) throws {
        var locator = CaseLocator(index: index, defaultCRS: .wgs84)
        try locator.enableGeocoding(home: home, gazetteer: gazetteer)
        guard let geocoder = locator.geocoder else { preconditionFailure("enableGeocoding makes the geocoder") }
        self.index = index
        self.geocoder = geocoder
        warnings = locator.gazetteerWarnings
    }

    public init(boundaries: Boundaries, gazetteer: URL?, home: HomeArea) throws {
        try self.init(index: ZoneIndex(boundaries: boundaries), gazetteer: gazetteer, home: home)
    }

    public func locate(_ address: String) -> GeocodeResult { geocoder.geocode(address) }

    func zoneName(_ level: ZoneLevel, _ id: String?) -> String {
        guard let id else { return "-" }
        let name = index.zone(level, id: id)?.name ?? ""
        return "\(id) \(name)"
    }

    public func text(_ r: GeocodeResult) -> String {
        var lines = ["address:    \(r.address)", "normalized: \(r.normalized)"]
        lines.append("components: " + r.components.fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        if let reason = r.rejectReason {
            lines.append("rejected:   \(reason.rawValue): \(r.detail)")
        } else {
            lines.append("point:      " + (r.point.map { String(format: "%.7f,%.7f (wgs84)", $0.x, $0.y) } ?? "- (zone names only)"))
            for level in ZoneLevel.allCases {
                lines.append("\(level.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(zoneName(level, r.zones[level]))")
            }
            lines.append("method:     \(r.method?.rawValue ?? "-") (\(r.match?.rawValue ?? "-") match: \(r.best?.name ?? "-"))")
            lines.append("confidence: \(r.confidence)")
        }
        for c in r.runnersUp { lines.append("runner-up:  \(c.label) score \(c.score)") }
        return lines.joined(separator: "\n")
    }

    /// `locate ADDRESS --json` and `/api/locate?q=ADDRESS`: one line, keys sorted.
    public func json(_ r: GeocodeResult) -> String { DocumentJSON.text(AddressAnswer(r)) }
}

/// The JSON of a geocoded address: its parts, the match (null members where there is none), the
/// zones and the runners-up.
struct AddressAnswer: Encodable {
    var address: String
    var normalized: String
    var confidence: Double
    var method: String?
    var match: String?
    var matched: String?
    var rejected: String?
    var detail: String
    /// Component → text; a component named twice keeps its first text.
    var components: [String: String]
    var point: [Double]?
    var street: String?
    var community: String?
    var post: String?
    var runnersUp: [RunnerUp]

    struct RunnerUp: Encodable {
        var name: String
        var kind: String
        var match: String
        var score: Double
        var street: String?
        var community: String?
        var post: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(match, forKey: .match)
            try c.encode(score, forKey: .score)
            try c.encode(street, forKey: .street)
            try c.encode(community, forKey: .community)
            try c.encode(post, forKey: .post)
        }
        enum CodingKeys: String, CodingKey { case name, kind, match, score, street, community, post }
    }

    init(_ r: GeocodeResult) {
        address = r.address; normalized = r.normalized; confidence = r.confidence
        method = r.method?.rawValue; match = r.match?.rawValue; matched = r.best?.name
        rejected = r.rejectReason?.rawValue; detail = r.detail
        components = Dictionary(r.components.fields, uniquingKeysWith: { a, _ in a })
        point = r.point.map { [$0.x, $0.y] }
        street = r.zones.street; community = r.zones.community; post = r.zones.post
        runnersUp = r.runnersUp.map { c in
            RunnerUp(name: c.name, kind: c.kind.rawValue, match: c.match.rawValue, score: c.score,
                     street: c.zones.street, community: c.zones.community, post: c.zones.post)
        }
    }

    enum CodingKeys: String, CodingKey {
        case address, normalized, confidence, method, match, matched, rejected, detail, components, point
        case street, community, post, runnersUp = "runners_up"
    }

    /// Every member is written; the missing ones as null.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(address, forKey: .address)
        try c.encode(normalized, forKey: .normalized)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(method, forKey: .method)
        try c.encode(match, forKey: .match)
        try c.encode(matched, forKey: .matched)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(detail, forKey: .detail)
        try c.encode(components, forKey: .components)
        try c.encode(point, forKey: .point)
        try c.encode(street, forKey: .street)
        try c.encode(community, forKey: .community)
        try c.encode(post, forKey: .post)
        try c.encode(runnersUp, forKey: .runnersUp)
    }
}
