import Foundation
import Support
import Geocoding
import Geometry
import Input
import Model
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

    public func json() -> String {
        var d: [String: Any] = ["input": [input.x, input.y], "crs": crs.description, "method": method.rawValue,
                                "confidence": confidence]
        d["point"] = point.map { [$0.x, $0.y] } ?? NSNull()
        for level in ZoneLevel.allCases {
            d[level.rawValue] = zones[level]?.id ?? NSNull()
            d["\(level.rawValue)_name"] = zones[level]?.name ?? NSNull()
        }
        let data = (try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
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

    public func json(_ r: GeocodeResult) -> String {
        var d: [String: Any] = ["address": r.address, "normalized": r.normalized, "confidence": r.confidence,
                                "method": r.method?.rawValue ?? NSNull(), "match": r.match?.rawValue ?? NSNull(),
                                "matched": r.best?.name ?? NSNull(),
                                "rejected": r.rejectReason?.rawValue ?? NSNull(), "detail": r.detail]
        d["components"] = Dictionary(r.components.fields, uniquingKeysWith: { a, _ in a })
        d["point"] = r.point.map { [$0.x, $0.y] } ?? NSNull()
        for level in ZoneLevel.allCases { d[level.rawValue] = r.zones[level] ?? NSNull() }
        d["runners_up"] = r.runnersUp.map { c -> [String: Any] in
            ["name": c.name, "kind": c.kind.rawValue, "match": c.match.rawValue, "score": c.score,
             "street": c.zones.street ?? NSNull(), "community": c.zones.community ?? NSNull(),
             "post": c.zones.post ?? NSNull()]
        }
        let data = (try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
