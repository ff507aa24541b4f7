import Foundation
import Geometry
import Input
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
public struct PointLookup {
    let boundaries: Boundaries
    public init(boundaries: Boundaries) { self.boundaries = boundaries }

    public func locate(_ c: Coordinate, crs: CRS) throws -> PointLocation {
        let p = crs == .wgs84 ? c : try CoordinateTransformer(from: crs).transform(c)
        var zones: [ZoneLevel: Zone] = [:]
        if let p, let ids = try CaseLocator(boundaries: boundaries, defaultCRS: .wgs84).zoneIDs(of: [p])[0] {
            for level in ZoneLevel.allCases {
                let id: String? = level == .street ? ids.street : level == .community ? ids.community : ids.post
                if let id, let z = boundaries.zones(level).first(where: { $0.id == id }) { zones[level] = z }
            }
        }
        return PointLocation(input: c, crs: crs, point: p, zones: zones, confidence: zones.isEmpty ? 0 : 1)
    }
}
