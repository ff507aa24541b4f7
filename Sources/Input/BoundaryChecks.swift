import Foundation
import Geometry

/// Bounds on the work one boundaries folder may cause. A typo in a boundary file (a vertex at 1e308,
/// a street drawn around the world, a million-vertex zigzag) must stop the run with the feature named,
/// not keep it busy for an hour; each bound has a command-line flag to raise it for real data that
/// needs more.
public struct BoundaryLimits: Sendable, Equatable {
    /// Vertices of one zone, all rings counted (`--max-vertices`).
    public var maxVertices = 200_000
    /// Point posts of one community, whose zones are a Voronoi partition (`--max-posts`).
    public var maxPostsPerCommunity = 5_000
    /// Width or height of one zone's box, in degrees (`--max-zone-span`): a district's zones span a
    /// fraction of a degree; even a whole city spans a few.
    public var maxZoneSpanDegrees = 5.0
    /// A street's or community's box area over the median box area of its level (`--max-zone-ratio`):
    /// a zone a thousand times larger than its siblings is a mistake in the file, not a district.
    public var maxZoneAreaRatio = 1_000.0
    public init() {}

    /// No bounds: for reading back the zone files of riskmap's own output, which the run already
    /// checked with the limits it was given.
    public static let unlimited: BoundaryLimits = {
        var l = BoundaryLimits()
        l.maxVertices = .max; l.maxPostsPerCommunity = .max
        l.maxZoneSpanDegrees = .infinity; l.maxZoneAreaRatio = .infinity
        return l
    }()
}

/// Checks of one feature's geometry after parsing, on WGS84 coordinates.
enum GeometryChecks {
    /// Every vertex finite and on the globe, every ring closed, at most `maxVertices` vertices.
    /// Rings that do not end where they start are refused, not closed silently: RFC 7946 §3.1.6 says a
    /// ring's first and last positions are the same, and a file that breaks that has probably lost
    /// vertices on the way (a cut-off export); guessing the closing edge would draw a zone that nobody
    /// drew.
    static func validate(_ geometry: MultiPolygon, maxVertices: Int) throws(CheckFailure) {
        var vertices = 0
        for (p, polygon) in geometry.polygons.enumerated() {
            for (r, ring) in polygon.rings.enumerated() {
                let name = ringName(polygon: p, ring: r, polygons: geometry.polygons.count)
                for (v, c) in ring.enumerated() {
                    if let problem = rangeProblem(c) { throw CheckFailure("\(name), vertex \(v + 1): \(problem)") }
                }
                if let first = ring.first, let last = ring.last, first != last {
                    throw CheckFailure("\(name) is not closed: it starts at \(first.x), \(first.y) and ends at "
                                       + "\(last.x), \(last.y) (GeoJSON rings end where they start)")
                }
                vertices += ring.count
            }
        }
        if vertices > maxVertices {
            throw CheckFailure("\(vertices) vertices, more than the limit of \(maxVertices) per zone "
                               + "(simplify the geometry, or raise the limit with --max-vertices)")
        }
    }

    /// A point post's place.
    static func validate(point c: Coordinate) throws(CheckFailure) {
        if let problem = rangeProblem(c) { throw CheckFailure("the point: \(problem)") }
    }

    /// Why a WGS84 coordinate is not a place on the globe, or nil.
    static func rangeProblem(_ c: Coordinate) -> String? {
        guard c.isFinite else { return "coordinates \(c.x), \(c.y) are not finite numbers" }
        if !(-180...180).contains(c.x) { return "longitude \(c.x) is outside -180...180" }
        if !(-90...90).contains(c.y) { return "latitude \(c.y) is outside -90...90" }
        return nil
    }

    static func ringName(polygon p: Int, ring r: Int, polygons: Int) -> String {
        let ring = r == 0 ? "the exterior ring" : "hole \(r)"
        return polygons == 1 ? ring : "\(ring) of polygon \(p + 1)"
    }

    /// The zones of one level whose box is out of proportion: wider or higher than `maxZoneSpanDegrees`,
    /// or (when `relative`) more than `maxZoneAreaRatio` times the median box area of the level.
    /// Returns the index of the first such zone and why.
    static func extentProblem(_ geometries: [MultiPolygon], limits: BoundaryLimits, relative: Bool)
        -> (index: Int, message: String)? {
        let boxes = geometries.map(\.boundingBox)
        for (i, box) in boxes.enumerated() {
            guard let box else { continue }
            let width = box.maxX - box.minX, height = box.maxY - box.minY
            if max(width, height) > limits.maxZoneSpanDegrees {
                return (i, "its box spans \(degrees(width))° × \(degrees(height))°, more than the limit of "
                        + "\(degrees(limits.maxZoneSpanDegrees))° (a coordinate typo? raise the limit with --max-zone-span)")
            }
        }
        guard relative else { return nil }
        let areas = boxes.map { b in b.map { ($0.maxX - $0.minX) * ($0.maxY - $0.minY) } ?? 0 }
        let sorted = areas.filter { $0 > 0 }.sorted()
        guard sorted.count >= 2 else { return nil }
        // The lower median: with two zones, the smaller one is the yardstick.
        let median = sorted[(sorted.count - 1) / 2]
        for (i, area) in areas.enumerated() where area > limits.maxZoneAreaRatio * median {
            return (i, "its box is \(String(format: "%.3g", area / median))× the median box of its level, more than the limit "
                    + "of \(String(format: "%.3g", limits.maxZoneAreaRatio))× (a coordinate typo? raise the limit with --max-zone-ratio)")
        }
        return nil
    }

    static func degrees(_ d: Double) -> String { String(format: "%.3g", d) }
}

/// A failed geometry check; the reader adds the file and the feature.
struct CheckFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
