import Foundation
import Geometry
import Projection

/// One feature of a boundary file, its coordinates already in WGS84.
struct GeoJSONFeature {
    var index: Int
    var id: String
    var name: String
    var parent: String?
    var aliases: [String]
    var geometryType: String
    var coordinates: Any
    var transform: (Coordinate) throws -> Coordinate

    /// "feature 3 (id 'FT01')" for messages; features count from 1.
    var label: String { "feature \(index + 1) (id '\(id)')" }

    var point: Coordinate? {
        guard geometryType == "Point", let c = coordinates as? [Any], let p = try? position(c) else { return nil }
        return try? transform(p)
    }

    /// The Polygon or MultiPolygon, or nil for a Point when `allowPoints`.
    func polygons(allowPoints: Bool) throws -> MultiPolygon? {
        switch geometryType {
        case "Polygon":
            return MultiPolygon([try polygon(coordinates)])
        case "MultiPolygon":
            guard let parts = coordinates as? [Any] else { throw bad("MultiPolygon coordinates are not an array") }
            return MultiPolygon(try parts.map(polygon))
        case "Point" where allowPoints:
            return nil
        default:
            throw bad("geometry type '\(geometryType)' (expected Polygon or MultiPolygon\(allowPoints ? " or Point" : ""))")
        }
    }

    private func polygon(_ value: Any) throws -> Polygon {
        guard let rings = value as? [Any], !rings.isEmpty else { throw bad("a polygon without rings") }
        let parsed = try rings.map { r -> Ring in
            guard let positions = r as? [Any] else { throw bad("a ring is not an array of positions") }
            let ring = try positions.map { try transform(position($0)) }
            guard ring.count >= 4 else { throw bad("a ring with fewer than 4 positions") }
            return ring
        }
        return Polygon(exterior: parsed[0], holes: Array(parsed.dropFirst()))
    }

    private func position(_ value: Any) throws -> Coordinate {
        guard let p = value as? [Any], p.count >= 2, let x = number(p[0]), let y = number(p[1]),
              x.isFinite, y.isFinite else { throw bad("a position that is not [x, y]") }
        return Coordinate(x, y)
    }

    func bad(_ message: String) -> InputError {
        InputError(file: "", location: label, message)
    }
}

func number(_ v: Any) -> Double? {
    if let n = v as? NSNumber, !(v is Bool) { return n.doubleValue }
    return nil
}

/// A GeoJSON FeatureCollection read from a file, with its coordinate system resolved:
/// a legacy `crs` member wins over the default.
struct GeoJSONFeatureFile {
    var features: [GeoJSONFeature]

    init(url: URL, defaultCRS: CRS) throws {
        let file = url.path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputError(file: file, "cannot read the file (missing or unreadable)")
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(file: file, "not valid JSON (\(Self.describe(error)))")
        }
        guard let object = root as? [String: Any], object["type"] as? String == "FeatureCollection",
              let list = object["features"] as? [Any] else {
            throw InputError(file: file, "not a GeoJSON FeatureCollection")
        }
        let crs = try Self.crs(of: object, file: file) ?? defaultCRS
        let transform = try Self.transformToWGS84(crs, file: file)
        features = []
        for (i, item) in list.enumerated() {
            do { features.append(try Self.feature(item, index: i, transform: transform)) } catch var e as InputError {
                e.file = file
                throw e
            }
        }
    }

    private static func feature(_ item: Any, index i: Int, transform: @escaping (Coordinate) throws -> Coordinate)
        throws -> GeoJSONFeature {
        let where_ = "feature \(i + 1)"
        guard let f = item as? [String: Any] else { throw InputError(file: "", location: where_, "not an object") }
        let props = f["properties"] as? [String: Any] ?? [:]
        guard let id = identifier(props["id"] ?? f["id"]) else {
            throw InputError(file: "", location: where_, "no 'id' property")
        }
        guard let geometry = f["geometry"] as? [String: Any], let type = geometry["type"] as? String,
              let coordinates = geometry["coordinates"] else {
            throw InputError(file: "", location: "\(where_) (id '\(id)')", "no geometry")
        }
        let name = (props["name"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? id
        let aliases = (props["aliases"] as? [Any])?.compactMap { $0 as? String } ?? []
        return GeoJSONFeature(index: i, id: id, name: name, parent: identifier(props["parent"]), aliases: aliases,
                              geometryType: type, coordinates: coordinates, transform: transform)
    }

    /// Ids may be strings or numbers; 12 and "12" are the same id.
    static func identifier(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s.isEmpty ? nil : s
        case let n as NSNumber where !(value is Bool):
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    private static func crs(of object: [String: Any], file: String) throws -> CRS? {
        guard let member = object["crs"] as? [String: Any],
              let name = (member["properties"] as? [String: Any])?["name"] as? String else { return nil }
        do { return try CRS(parsing: name) } catch {
            throw InputError(file: file, location: "crs member", error.description)
        }
    }

    private static func transformToWGS84(_ crs: CRS, file: String) throws -> (Coordinate) throws -> Coordinate {
        if crs == .wgs84 { return { $0 } }
        let transformer: CoordinateTransformer
        do { transformer = try CoordinateTransformer(from: crs) } catch {
            throw InputError(file: file, "\(error)")
        }
        return { c in
            guard let out = transformer.transform(c) else {
                throw InputError(file: file, "coordinate \(c.x), \(c.y) cannot be converted from \(crs) to WGS84")
            }
            return out
        }
    }

    private static func describe(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}
