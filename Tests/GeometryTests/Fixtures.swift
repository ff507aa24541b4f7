import Foundation
import Geometry

/// Test fixtures written by the committed oracle scripts in scripts/oracles/.
enum Fixture {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)")
    }
    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as! [String: Any]
    }

    /// A GeoJSON Polygon/MultiPolygon geometry object as a value.
    static func multiPolygon(_ geometry: [String: Any]) -> MultiPolygon {
        // Numbers are stored as strings: Double(String) is correctly rounded, so a point exactly on a
        // border stays on it.
        func ring(_ r: Any) -> Ring { (r as! [[String]]).map { Coordinate(Double($0[0])!, Double($0[1])!) } }
        func polygon(_ p: Any) -> Polygon {
            let rings = (p as! [Any]).map(ring)
            return Polygon(exterior: rings[0], holes: Array(rings.dropFirst()))
        }
        if geometry["type"] as! String == "Polygon" { return MultiPolygon([polygon(geometry["coordinates"]!)]) }
        return MultiPolygon((geometry["coordinates"] as! [Any]).map(polygon))
    }
}
