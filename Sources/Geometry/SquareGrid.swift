import CGEOS
import Support

/// A regular grid of square cells on a plane (metres of a local projection): cell (column, row)
/// covers [originX + column·size, originX + (column+1)·size) × [originY + row·size, …), rows counted
/// from the south. Half-open cells: a point on a shared cell edge belongs to exactly one cell.
public struct SquareGrid: Sendable, Hashable {
    public var originX: Double
    public var originY: Double
    public var size: Double
    public var columns: Int
    public var rows: Int
    public init(originX: Double, originY: Double, size: Double, columns: Int, rows: Int) {
        self.originX = originX; self.originY = originY; self.size = size; self.columns = columns; self.rows = rows
    }

    /// The grid of `size` cells covering `box`, its lines on multiples of `size` from the plane's origin
    /// (so that the same box and size always give the same cells).
    public init(covering box: BoundingBox, size: Double) {
        let x0 = (box.minX / size).rounded(.down) * size, y0 = (box.minY / size).rounded(.down) * size
        self.init(originX: x0, originY: y0, size: size,
                  columns: max(1, Int(((box.maxX - x0) / size).rounded(.down)) + 1),
                  rows: max(1, Int(((box.maxY - y0) / size).rounded(.down)) + 1))
    }

    /// How many cells a grid of `size` over `box` would have, without making it (for limits; may
    /// exceed `Int`, hence a Double).
    public static func cellCount(covering box: BoundingBox, size: Double) -> Double {
        ((box.width / size).rounded(.down) + 1) * ((box.height / size).rounded(.down) + 1)
    }

    /// The cell holding `p`, nil outside the grid.
    @inlinable public func cell(of p: Coordinate) -> (column: Int, row: Int)? {
        let fx = ((p.x - originX) / size).rounded(.down), fy = ((p.y - originY) / size).rounded(.down)
        guard fx >= 0, fy >= 0, fx < Double(columns), fy < Double(rows) else { return nil }
        return (Int(fx), Int(fy))
    }

    public func box(column: Int, row: Int) -> BoundingBox {
        BoundingBox(minX: originX + Double(column) * size, minY: originY + Double(row) * size,
                    maxX: originX + Double(column + 1) * size, maxY: originY + Double(row + 1) * size)
    }
}

/// One cell of a `SquareGrid` that meets an outline: its part inside the outline.
public struct GridCell: Sendable, Hashable {
    public var column: Int
    public var row: Int
    /// The whole square when the cell lies inside the outline, else the intersection.
    public var shape: MultiPolygon
    public var isWhole: Bool
}

extension SquareGrid {
    /// Every cell whose inside meets `outline` (same plane as the grid), clipped to it; cells that only
    /// touch the outline along an edge or at a corner are left out (nothing of them is inside). Row by
    /// row on all cores: each row first cuts the outline down to its strip, so a cell's test does not
    /// cost the vertex count of the whole outline. In row-major order from the south-west.
    public func cells(inside outline: MultiPolygon) throws -> [GridCell] {
        try parallelMap(rows) { row in try cells(inRow: row, of: outline) }.flatMap { $0 }
    }

    private func cells(inRow row: Int, of outline: MultiPolygon) throws -> [GridCell] {
        let geos = GEOSContext()
        let strip = BoundingBox(minX: originX, minY: originY + Double(row) * size,
                                maxX: originX + Double(columns) * size, maxY: originY + Double(row + 1) * size)
        // GEOS's rectangle clipping: far faster than a general intersection with a detailed outline.
        let part = try geos.geometry(outline).clipped(to: strip)
        guard !part.isEmpty else { return [] }
        guard let prepared = GEOSPrepare_r(geos.handle, part.pointer) else { throw geos.error("prepare") }
        defer { GEOSPreparedGeom_destroy_r(geos.handle, prepared) }
        var out: [GridCell] = []
        for column in 0..<columns {
            let square = try geos.rectangle(box(column: column, row: row))
            switch GEOSPreparedContains_r(geos.handle, prepared, square.pointer) {
            case 1:
                out.append(GridCell(column: column, row: row, shape: square.polygons(), isWhole: true))
                continue
            case 0: break
            default: throw geos.error("contains")
            }
            switch GEOSPreparedIntersects_r(geos.handle, prepared, square.pointer) {
            case 1: break
            case 0: continue
            default: throw geos.error("intersects")
            }
            let clipped = try part.clipped(to: box(column: column, row: row)).polygons()
            guard !clipped.isEmpty, try clipped.planarArea() > 0 else { continue }
            out.append(GridCell(column: column, row: row, shape: clipped, isWhole: false))
        }
        return out
    }
}
