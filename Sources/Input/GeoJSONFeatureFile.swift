import Foundation
import Geometry
import Model
import Projection

/// One feature of a boundary file, its coordinates already in WGS84.
struct GeoJSONFeature {
    var index: Int
    var id: String
    /// Whether the file wrote the id as a number: `1` and `"1"` are the same id, and a duplicate
    /// message says so when the two kinds meet.
    var idIsNumber = false
    var name: String
    var parent: String?
    var aliases: [String]
    var geometryType: String
    var coordinates: JSONValue
    var transform: (Coordinate) throws -> Coordinate

    /// "feature 3 (id 'FT01')", or "feature 3 (id '3', name 'Brooklyn')" when the name says more;
    /// features count from 1.
    var label: String { name == id ? "feature \(index + 1) (id '\(id)')" : "feature \(index + 1) (id '\(id)', name '\(name)')" }

    var point: Coordinate? {
        guard geometryType == "Point", let p = try? position(coordinates) else { return nil }
        return try? transform(p)
    }

    /// The Polygon or MultiPolygon, or nil for a Point when `allowPoints`.
    func polygons(allowPoints: Bool) throws -> MultiPolygon? {
        switch geometryType {
        case "Polygon":
            return MultiPolygon([try polygon(coordinates)])
        case "MultiPolygon":
            guard let parts = coordinates.arrayValue else { throw bad("MultiPolygon coordinates are not an array") }
            return MultiPolygon(try parts.map(polygon))
        case "Point" where allowPoints:
            return nil
        default:
            throw bad("geometry type '\(geometryType)' (expected Polygon or MultiPolygon\(allowPoints ? " or Point" : ""))")
        }
    }

    private func polygon(_ value: JSONValue) throws -> Polygon {
        guard let rings = value.arrayValue, !rings.isEmpty else { throw bad("a polygon without rings") }
        let parsed = try rings.map { r -> Ring in
            guard let positions = r.arrayValue else { throw bad("a ring is not an array of positions") }
            let ring = try positions.map { try transform(position($0)) }
            guard ring.count >= 4 else { throw bad("a ring with fewer than 4 positions") }
            return ring
        }
        return Polygon(exterior: parsed[0], holes: Array(parsed.dropFirst()))
    }

    private func position(_ value: JSONValue) throws -> Coordinate {
        guard let p = value.arrayValue, p.count >= 2, let x = p[0].doubleValue, let y = p[1].doubleValue,
              x.isFinite, y.isFinite else { throw bad("a position that is not [x, y]") }
        return Coordinate(x, y)
    }

    func bad(_ message: String) -> InputError {
        InputError(file: "", location: label, message)
    }
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
        let root: JSONValue
        do { root = try JSONParser.parse(data) } catch {
            // FILE:LINE:COLUMN, the form editors and compilers use.
            throw InputError(file: "\(file):\(error.line):\(error.column)", "not valid JSON: \(error.message)")
        }
        guard root["type"]?.stringValue == "FeatureCollection", let list = root["features"]?.arrayValue else {
            throw InputError(file: file, "not a GeoJSON FeatureCollection")
        }
        let crs = try Self.crs(of: root, file: file) ?? defaultCRS
        let transform = try Self.transformToWGS84(crs, file: file)
        features = []
        for (i, item) in list.enumerated() {
            do { features.append(try Self.feature(item, index: i, transform: transform)) } catch var e as InputError {
                e.file = file
                throw e
            }
        }
    }

    private static func feature(_ item: JSONValue, index i: Int, transform: @escaping (Coordinate) throws -> Coordinate)
        throws -> GeoJSONFeature {
        guard case .object = item else { throw InputError(file: "", location: "feature \(i + 1)", "not an object") }
        let props = item["properties"] ?? .null
        let name = try text(props["name"], member: "name", feature: "feature \(i + 1)")
        // Until the id is known, the name is what tells the feature apart. Labels are made only for
        // an error: a file of thousands of features needs none.
        func where_() -> String { name.map { "feature \(i + 1) (name '\($0)')" } ?? "feature \(i + 1)" }
        // The id is a property (desktop GIS) or the feature's own member (RFC 7946); a null property
        // leaves the member to speak.
        let idValue = props["id"].flatMap { $0 == .null ? nil : $0 } ?? item["id"] ?? props["id"]
        guard let idValue else { throw InputError(file: "", location: where_(), "no 'id' property") }
        let id = try identifier(idValue, member: "id", feature: where_())
        func label() -> String { name.map { "feature \(i + 1) (id '\(id)', name '\($0)')" } ?? "feature \(i + 1) (id '\(id)')" }
        guard let geometry = item["geometry"], let type = geometry["type"]?.stringValue,
              let coordinates = geometry["coordinates"] else {
            throw InputError(file: "", location: label(), "no geometry")
        }
        // A null parent is no parent (top-level rows of a GIS table with a parent column).
        let parent = try props["parent"].flatMap { $0 == .null ? nil : $0 }
            .map { try identifier($0, member: "parent", feature: label()) }
        var f = GeoJSONFeature(index: i, id: id, name: name ?? id, parent: parent,
                               aliases: try aliases(props["aliases"], feature: label()),
                               geometryType: type, coordinates: coordinates, transform: transform)
        if case .number = idValue { f.idIsNumber = true }
        return f
    }

    /// The text of an `id` or `parent`: a string as written, a number in canonical form (`4.0` and `4`
    /// are "4"; integer codes keep every digit). 12 and "12" are the same id. Anything else is an error.
    static func identifier(_ value: JSONValue, member: String, feature: @autoclosure () -> String) throws -> String {
        switch value {
        case .string(let s) where !s.isEmpty: return s
        case .number(let n): return n.text
        case .string: throw InputError(file: "", location: feature(), "'\(member)' is an empty string")
        default:
            throw InputError(file: "", location: feature(),
                             "'\(member)' is \(value.kindDescription): ids must be strings or numbers")
        }
    }

    /// A name or alias: text, or a number written as its text; nil when absent, null or empty.
    private static func text(_ value: JSONValue?, member: String, feature: @autoclosure () -> String) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s.isEmpty ? nil : s
        case .number(let n)?: return n.text
        case let other?:
            throw InputError(file: "", location: feature(), "'\(member)' is \(other.kindDescription): expected text")
        }
    }

    /// `aliases`: an array of names (a single string is one alias).
    private static func aliases(_ value: JSONValue?, feature: @autoclosure () -> String) throws -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return try items.compactMap { try text($0, member: "aliases", feature: feature()) }
        case let single?: return try text(single, member: "aliases", feature: feature()).map { [$0] } ?? []
        }
    }

    private static func crs(of root: JSONValue, file: String) throws -> CRS? {
        guard let name = root["crs"]?["properties"]?["name"]?.stringValue else { return nil }
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
}
