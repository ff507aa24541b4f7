import Foundation
import Geometry
import Projection

/// A coordinate system `riskmap run --publish-crs` publishes the map in, beside WGS-84 (always written).
///
/// China's web maps do not draw the world in WGS-84: Amap (高德) and Tencent use GCJ-02, Baidu BD-09,
/// both deliberate offsets of a few hundred metres (`ChinaOffsets`). An overlay lines up with such a
/// basemap only when it is drawn in the basemap's system, so riskmap publishes copies in them:
/// - `gcj02`: the tile pyramid `tiles-gcj02/` (+ `tiles-gcj02.json`) and `*.gcj02.geojson`;
/// - `bd09`: `*.bd09.geojson` only (Baidu's own tile grid is not the XYZ Web Mercator grid).
/// The shifted GeoJSON keeps the RFC 7946 layout; its name says that its coordinates are not WGS-84.
public enum PublishedCRS: String, CaseIterable, Sendable, Comparable {
    case wgs84, gcj02, bd09

    /// The ones named in a `--publish-crs` list, WGS-84 always among them, in the order of `allCases`;
    /// nil and the first unknown name when one is not a coordinate system riskmap publishes.
    public static func parse(list: String) -> (crs: [PublishedCRS], unknown: String?) {
        var set: Set<PublishedCRS> = [.wgs84]
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let crs = PublishedCRS(rawValue: name.lowercased()) else { return ([], name) }
            set.insert(crs)
        }
        return (allCases.filter(set.contains), nil)
    }

    public static func < (a: PublishedCRS, b: PublishedCRS) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// A WGS-84 lon/lat in this system (per vertex: the offsets are smooth at the scale of a zone).
    public func fromWGS84(_ c: Coordinate) -> Coordinate {
        switch self {
        case .wgs84: c
        case .gcj02: ChinaOffsets.wgs84ToGCJ02(c)
        case .bd09: ChinaOffsets.wgs84ToBD09(c)
        }
    }

    /// A lon/lat of this system back in WGS-84.
    public func toWGS84(_ c: Coordinate) -> Coordinate {
        switch self {
        case .wgs84: c
        case .gcj02: ChinaOffsets.gcj02ToWGS84(c)
        case .bd09: ChinaOffsets.bd09ToWGS84(c)
        }
    }

    /// A zone shape in this system.
    public func fromWGS84(_ shape: MultiPolygon) -> MultiPolygon {
        self == .wgs84 ? shape : shape.mapCoordinates(fromWGS84)
    }

    /// The name of a published GeoJSON file in this system: `streets.geojson` → `streets.gcj02.geojson`.
    public func fileName(_ wgs84Name: String) -> String {
        guard self != .wgs84 else { return wgs84Name }
        let stem = wgs84Name.hasSuffix(".geojson") ? String(wgs84Name.dropLast(8)) : wgs84Name
        return "\(stem).\(rawValue).geojson"
    }

    /// Whether riskmap draws a tile pyramid in this system (BD-09 has no XYZ pyramid).
    public var hasTiles: Bool { self != .bd09 }

    /// The tile folder of the pyramid in this system: `tiles`, `tiles-gcj02`.
    public var tilesFolder: String { self == .wgs84 ? "tiles" : "tiles-\(rawValue)" }

    /// Its TileJSON: `tiles.json`, `tiles-gcj02.json`.
    public var tileJSONFile: String { "\(tilesFolder).json" }
}
