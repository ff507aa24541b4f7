import CGEOS
import Foundation

/// Finds, for each point, the one polygon of a set that holds it.
///
/// A point on the shared border of two polygons is covered by both; the rule that gives exactly one
/// answer, the same on every run: a polygon whose interior contains the point wins; otherwise the
/// covering polygon that comes first in the input order. Callers sort their polygons by id.
///
/// Not thread-safe (GEOS 3.11 prepared geometries must not be shared: libgeos/geos#825):
/// build one per worker, or call `locateAll`, which does.
public final class PointLocator {
    private let geos = GEOSContext()
    private let geometries: [GEOSGeometry]
    private let prepared: [OpaquePointer]
    private let tree: OpaquePointer
    private let hits = HitBox()

    /// - Parameter polygons: WGS84 (or any planar) polygons; their index is the answer of `locate`.
    public init(_ polygons: [MultiPolygon]) throws {
        let context = geos
        geometries = try polygons.map { try context.geometry($0) }
        let h = context.handle
        prepared = geometries.map { GEOSPrepare_r(h, $0.pointer)! }
        tree = GEOSSTRtree_create_r(h, 10)!
        for (i, g) in geometries.enumerated() where !g.isEmpty {
            // Items are void*: store index + 1 so that item 0 is not NULL.
            GEOSSTRtree_insert_r(h, tree, g.pointer, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
        // GEOS 3.11 builds the tree on the first query.
        _ = locate(Coordinate(0, 0))
    }

    deinit {
        let h = geos.handle
        GEOSSTRtree_destroy_r(h, tree)
        for p in prepared { GEOSPreparedGeom_destroy_r(h, p) }
    }

    /// The index of the polygon holding `point`, or nil when none does: the grid's settled answer
    /// when there is one, else the exact test.
    public func locate(_ point: Coordinate, grid: CellGrid?) -> Int? {
        if let settled = grid?.lookup(point) { return settled }
        return locate(point)
    }

    /// A grid for these polygons (plain data: share it between workers).
    public func makeGrid(_ polygons: [MultiPolygon]) -> CellGrid? {
        CellGrid(polygons) { self.locate($0) }
    }

    /// The index of the polygon holding `point`, or nil when none does (STRtree + prepared predicates).
    public func locate(_ point: Coordinate) -> Int? {
        guard point.isFinite, let p = GEOSGeom_createPointFromXY_r(geos.handle, point.x, point.y) else { return nil }
        defer { GEOSGeom_destroy_r(geos.handle, p) }
        hits.items.removeAll(keepingCapacity: true)
        let box = Unmanaged.passUnretained(hits)
        GEOSSTRtree_query_r(geos.handle, tree, p, { item, userData in
            guard let item, let userData else { return }
            Unmanaged<HitBox>.fromOpaque(userData).takeUnretainedValue().items.append(Int(bitPattern: item) - 1)
        }, box.toOpaque())
        if hits.items.isEmpty { return nil }
        hits.items.sort()
        for i in hits.items where GEOSPreparedContains_r(geos.handle, prepared[i], p) == 1 { return i }
        for i in hits.items where GEOSPreparedIntersects_r(geos.handle, prepared[i], p) == 1 { return i }
        return nil
    }

    /// Locates every point on all cores (a `PolygonIndex` made for this one batch: keep an index to
    /// locate many batches in the same polygons).
    public static func locateAll(_ points: [Coordinate], in polygons: [MultiPolygon],
                                 workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [Int?] {
        try PolygonIndex(polygons).locateAll(points, workers: workers)
    }
}

private final class HitBox { var items: [Int] = [] }
