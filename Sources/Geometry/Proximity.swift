import CGEOS
import Foundation
import Support

// Which shapes lie near which: the candidates of spatial weights (queen contiguity, distance bands).
// Envelopes are bucketed in a uniform grid (plain data, shared by all workers), each shape asks the
// buckets its grown envelope covers, and the candidate pairs are then tested exactly by GEOS, one
// context per worker. Coordinates are planar: callers project lon/lat into a metric frame first.

/// For each box i, the boxes j > i whose boxes, each grown by `distance`/2 on every side (so that two
/// boxes `distance` apart meet), intersect: ascending, no duplicates. nil boxes (empty shapes) have
/// and are no candidates.
public func candidatePairs(_ boxes: [BoundingBox?], within distance: Double) -> [[Int32]] {
    guard let grid = EnvelopeGrid(boxes, margin: distance / 2) else { return boxes.map { _ in [] } }
    let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, boxes.count / 4_096 + 1))
    let ranges = chunks(of: boxes.count, parts: parts)
    let lists = parallelMap(ranges.count) { c in grid.candidates(in: ranges[c]) }
    return Array(lists.joined())
}

/// A uniform grid of buckets over grown envelopes. The bucket side is about twice the median envelope
/// side, so that a typical shape falls in one to four buckets whatever the units.
struct EnvelopeGrid: Sendable {
    let boxes: [BoundingBox?]
    let origin: Coordinate
    let side: Double
    let columns: Int, rows: Int
    /// Bucket b's members: `members[start[b]..<start[b + 1]]`.
    let start: [Int32]
    let members: [Int32]

    init?(_ raw: [BoundingBox?], margin: Double) {
        boxes = raw.map { $0?.expanded(by: margin) }
        let present = boxes.compactMap { $0 }
        guard let first = present.first, raw.count < Int(Int32.max) else { return nil }
        let extent = present.dropFirst().reduce(first) { $0.union($1) }
        let sides = present.map { max($0.width, $0.height) }.sorted()
        // At most about 4n buckets, however small the typical shape is against the whole extent.
        let cap = max(extent.width, extent.height) / (2 * Double(present.count).squareRoot() + 1)
        let typical = max(sides[sides.count / 2] * 2, cap, .leastNormalMagnitude)
        origin = Coordinate(extent.minX, extent.minY)
        side = typical
        columns = Int((extent.width / typical).rounded(.down)) + 1
        rows = Int((extent.height / typical).rounded(.down)) + 1
        // Counting sort of (bucket, shape) entries: two passes over the boxes, no per-bucket arrays.
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        var cellRanges: [(Int, ClosedRange<Int>, ClosedRange<Int>)] = []
        cellRanges.reserveCapacity(present.count)
        for (i, box) in boxes.enumerated() {
            guard let box else { continue }
            let (xs, ys) = EnvelopeGrid.cells(box, origin: origin, side: typical, columns: columns, rows: rows)
            cellRanges.append((i, xs, ys))
            for y in ys { for x in xs { counts[y * columns + x + 1] += 1 } }
        }
        for b in 1..<counts.count { counts[b] += counts[b - 1] }
        start = counts
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for (i, xs, ys) in cellRanges {
            for y in ys { for x in xs { members[Int(fill[y * columns + x])] = Int32(i); fill[y * columns + x] += 1 } }
        }
        self.members = members
    }

    static func cells(_ box: BoundingBox, origin: Coordinate, side: Double, columns: Int, rows: Int)
        -> (ClosedRange<Int>, ClosedRange<Int>) {
        func index(_ v: Double, _ o: Double, _ n: Int) -> Int { min(n - 1, max(0, Int(((v - o) / side).rounded(.down)))) }
        return (index(box.minX, origin.x, columns)...index(box.maxX, origin.x, columns),
                index(box.minY, origin.y, rows)...index(box.maxY, origin.y, rows))
    }

    /// The candidates j > i of each i in `range`.
    func candidates(in range: Range<Int>) -> [[Int32]] {
        // A stamp per shape instead of a set per query: shape j was already taken for i when seen[j] == i.
        var seen = [Int32](repeating: -1, count: boxes.count)
        return range.map { i in
            guard let box = boxes[i] else { return [] }
            var out: [Int32] = []
            let (xs, ys) = EnvelopeGrid.cells(box, origin: origin, side: side, columns: columns, rows: rows)
            for y in ys {
                for x in xs {
                    let b = y * columns + x
                    for m in Int(start[b])..<Int(start[b + 1]) {
                        let j = members[m]
                        guard Int(j) > i, seen[Int(j)] != Int32(i), let other = boxes[Int(j)], other.intersects(box) else { continue }
                        seen[Int(j)] = Int32(i)
                        out.append(j)
                    }
                }
            }
            out.sort()
            return out
        }
    }
}

extension MultiPolygon {
    /// For each shape i, the shapes j > i within `distance` of it (0: they touch or overlap), in the
    /// shapes' planar units, ascending. Candidates come from their envelopes (`candidatePairs`); each
    /// candidate pair is then decided by GEOS's exact distance (`GEOSDistanceWithin`), on all cores.
    /// Empty shapes are near nothing.
    public static func pairsWithin(_ distance: Double, _ shapes: [MultiPolygon]) throws -> [[Int32]] {
        let candidates = candidatePairs(shapes.map { $0.isEmpty ? nil : $0.boundingBox }, within: distance)
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, shapes.count / 2_048 + 1))
        let ranges = chunks(of: shapes.count, parts: parts)
        let lists = try parallelMap(ranges.count) { c in
            try NearShapes(shapes).decide(candidates, in: ranges[c], distance: distance)
        }
        return Array(lists.joined())
    }
}

/// One worker's GEOS context and the geometries it has converted so far: a range of shapes and their
/// candidates, each converted once (for a grid ordered by rows, a range's candidates are mostly its own
/// shapes and the next row's).
private final class NearShapes {
    let shapes: [MultiPolygon]
    let geos = GEOSContext()
    var converted: [Int32: GEOSGeometry] = [:]
    init(_ shapes: [MultiPolygon]) { self.shapes = shapes }

    func geometry(_ i: Int32) throws -> GEOSGeometry {
        if let g = converted[i] { return g }
        let g = try geos.geometry(shapes[Int(i)])
        converted[i] = g
        return g
    }

    /// Whether two small shapes have a vertex in common (so they touch: distance 0), compared
    /// directly: in a tiling (a grid, a coverage of zones) nearly every candidate pair does, and GEOS is
    /// then asked only about the rest. Shapes of many vertices go to GEOS (the test is quadratic).
    func sharesVertex(_ i: Int, _ j: Int) -> Bool {
        let a = shapes[i].polygons, b = shapes[j].polygons
        guard a.count == 1, b.count == 1, a[0].holes.isEmpty, b[0].holes.isEmpty,
              a[0].exterior.count * b[0].exterior.count <= 1_024 else { return false }
        let ring = b[0].exterior
        return a[0].exterior.contains { ring.contains($0) }
    }

    func decide(_ candidates: [[Int32]], in range: Range<Int>, distance: Double) throws -> [[Int32]] {
        try range.map { i in
            guard !candidates[i].isEmpty else { return [] }
            return try candidates[i].filter { j in
                if sharesVertex(i, Int(j)) { return true }
                let a = try geometry(Int32(i)), b = try geometry(j)
                switch GEOSDistanceWithin_r(geos.handle, a.pointer, b.pointer, distance) {
                case 1: return true
                case 0: return false
                default: throw geos.error("distance within")
                }
            }
        }
    }
}
