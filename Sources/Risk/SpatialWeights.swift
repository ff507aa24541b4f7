import Foundation
import Geometry
import Support

/// Binary spatial weights: for each location i, its neighbours (indices, ascending, never i itself).
/// Symmetric: j is a neighbour of i exactly when i is one of j.
public struct SpatialWeights: Sendable, Equatable {
    public var neighbours: [[Int32]]
    public init(neighbours: [[Int32]]) { self.neighbours = neighbours }
    public var count: Int { neighbours.count }

    /// Queen contiguity as interface.md defines it: two shapes are neighbours when they touch (or
    /// overlap) or come within `toleranceMetres` (default 1 m) of each other. Shapes are WGS84 lon/lat
    /// MultiPolygons; the distance is GEOS's exact planar distance in a local metric frame (see
    /// `LocalMetricFrame`). Empty shapes have no neighbours.
    public static func queen(_ shapes: [MultiPolygon], toleranceMetres: Double = 1) throws -> SpatialWeights {
        let frame = LocalMetricFrame(around: shapes)
        let projected = shapes.map { frame.project($0) }
        return SpatialWeights(upperPairs: try MultiPolygon.pairsWithin(max(0, toleranceMetres), projected))
    }

    /// Distance band: two shapes are neighbours when their centroids (area-weighted, in the local metric
    /// frame of `LocalMetricFrame`) are at most `metres` apart. Empty shapes have no neighbours.
    public static func distanceBand(_ shapes: [MultiPolygon], metres: Double) throws -> SpatialWeights {
        let frame = LocalMetricFrame(around: shapes)
        let centres = shapes.map { frame.project($0).centroid }
        let boxes = centres.map { c in c.map { BoundingBox(minX: $0.x, minY: $0.y, maxX: $0.x, maxY: $0.y) } }
        let candidates = candidatePairs(boxes, within: metres)
        let pairs = candidates.enumerated().map { i, js in
            js.filter { j in
                guard let a = centres[i], let b = centres[Int(j)] else { return false }
                return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() <= metres
            }
        }
        return SpatialWeights(upperPairs: pairs)
    }

    /// Symmetric weights from, for each i, its neighbours j > i (ascending).
    init(upperPairs: [[Int32]]) {
        var degree = upperPairs.map(\.count)
        for js in upperPairs { for j in js { degree[Int(j)] += 1 } }
        var lists = degree.map { d -> [Int32] in
            var l: [Int32] = []
            l.reserveCapacity(d)
            return l
        }
        // i ascending: every j < i reaches list i before i's own j > i, so each list comes out sorted.
        for (i, js) in upperPairs.enumerated() {
            for j in js { lists[Int(j)].append(Int32(i)) }
            lists[i].append(contentsOf: js)
        }
        neighbours = lists
    }

    /// The neighbour lists in one flat array (compressed sparse rows) for the statistics' inner loops.
    var flattened: (offsets: [Int], indices: [Int32]) {
        var offsets = [0]
        offsets.reserveCapacity(count + 1)
        var indices: [Int32] = []
        indices.reserveCapacity(neighbours.reduce(0) { $0 + $1.count })
        for list in neighbours {
            indices.append(contentsOf: list)
            offsets.append(indices.count)
        }
        return (offsets, indices)
    }
}

/// A local metric frame: lon/lat to metres east and north of the centre of the shapes' bounding box,
/// scaled by the WGS84 ellipsoid's radii of curvature at the centre's latitude (an equirectangular
/// projection fitted there). Distances within a city (±50 km of the centre latitude) are true to
/// better than 0.1 %, so a 1 m tolerance is a 1 m tolerance to the millimetre.
public struct LocalMetricFrame: Sendable {
    public var centre: Coordinate
    /// Metres per degree of longitude and of latitude at the centre.
    public var metresPerDegree: (x: Double, y: Double)

    public init(around shapes: [MultiPolygon]) {
        let boxes = shapes.compactMap(\.boundingBox)
        let box = boxes.dropFirst().reduce(boxes.first ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)) { $0.union($1) }
        self.init(centre: box.center)
    }

    public init(centre: Coordinate) {
        self.centre = centre
        let a = 6_378_137.0, e2 = 0.006_694_379_990_14
        let phi = centre.y * .pi / 180
        let w = 1 - e2 * sin(phi) * sin(phi)
        let meridional = a * (1 - e2) / (w * w.squareRoot())
        let primeVertical = a / w.squareRoot()
        metresPerDegree = (primeVertical * cos(phi) * .pi / 180, meridional * .pi / 180)
    }

    public func project(_ c: Coordinate) -> Coordinate {
        Coordinate((c.x - centre.x) * metresPerDegree.x, (c.y - centre.y) * metresPerDegree.y)
    }

    public func project(_ shape: MultiPolygon) -> MultiPolygon { shape.mapCoordinates { project($0) } }
}

extension MultiPolygon {
    /// The area-weighted centroid (holes subtracted), or nil for an empty or zero-area shape.
    var centroid: Coordinate? {
        var area = 0.0, mx = 0.0, my = 0.0
        for polygon in polygons {
            for (k, open) in polygon.rings.enumerated() where open.count > 2 {
                let ring = open.first == open.last ? open : open + [open[0]]
                var a = 0.0, x = 0.0, y = 0.0
                for i in 0..<(ring.count - 1) {
                    let p = ring[i], q = ring[i + 1]
                    let cross = p.x * q.y - q.x * p.y
                    a += cross / 2
                    x += (p.x + q.x) * cross / 6
                    y += (p.y + q.y) * cross / 6
                }
                // Exterior positive, holes negative, whichever way the file wound them.
                let sign: Double = (k == 0 ? 1 : -1) * (a >= 0 ? 1 : -1)
                area += sign * a; mx += sign * x; my += sign * y
            }
        }
        guard area != 0, area.isFinite else { return nil }
        return Coordinate(mx / area, my / area)
    }
}
