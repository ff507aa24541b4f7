import Foundation

/// A grid over a set of polygons that answers most point queries without touching GEOS.
///
/// Why own code next to GEOS's STRtree: locating a point through the STRtree and a prepared
/// predicate costs about a microsecond (a GEOS point is made and freed, the tree is walked through
/// a callback). But a point's answer can only change where it crosses a polygon edge, so every grid
/// cell that no edge passes through has one answer for all its points, found once. With ~500×500
/// cells over a district nearly all points fall in such cells; `riskmap bench` measured it several
/// times faster than the STRtree path, which remains the exact answer for cells that edges cross.
public struct CellGrid: Sendable {
    /// Per cell: the polygon index + 1 for a settled cell, 0 for a settled cell outside every
    /// polygon, -1 for a cell an edge passes through (ask GEOS).
    private var cells: [Int32]
    private let minX: Double, minY: Double, maxX: Double, maxY: Double
    private let cellWidth: Double, cellHeight: Double
    private let columns: Int, rows: Int

    public static let edgeCell: Int32 = -1

    /// - Parameters:
    ///   - exact: the exact answer for a point (the STRtree/prepared path), used once per run of
    ///     settled cells.
    init?(_ polygons: [MultiPolygon], targetCells: Int = 262_144, exact: (Coordinate) -> Int?) {
        guard let box = polygons.compactMap(\.boundingBox).reduce(nil, { $0?.union($1) ?? $1 }),
              box.width > 0, box.height > 0 else { return nil }
        let aspect = box.width / box.height
        // Clamped as a Double: a box a billion times wider than high must not overflow Int().
        columns = Int(min(max((Double(targetCells) * aspect).squareRoot(), 1), Double(targetCells)))
        rows = max(1, targetCells / columns)
        minX = box.minX
        minY = box.minY
        maxX = box.maxX
        maxY = box.maxY
        cellWidth = box.width / Double(columns)
        cellHeight = box.height / Double(rows)
        cells = [Int32](repeating: 0, count: columns * rows)
        markEdgeCells(polygons)
        settle(exact)
    }

    /// The cell of a point, or nil outside the grid.
    /// Points on the grid's far edges (a vertex at the bounding box's maximum) belong to the last
    /// column or row, which are edge cells there.
    @inline(__always)
    func cellIndex(_ p: Coordinate) -> Int? {
        guard p.x >= minX, p.y >= minY, p.x <= maxX, p.y <= maxY else { return nil }
        let cx = min(columns - 1, Int(((p.x - minX) / cellWidth).rounded(.down)))
        let cy = min(rows - 1, Int(((p.y - minY) / cellHeight).rounded(.down)))
        return cy * columns + cx
    }

    /// The settled answer: `.some(index or nil)`, or nil when the cell needs the exact test.
    @inline(__always)
    public func lookup(_ p: Coordinate) -> Int?? {
        guard p.isFinite else { return .some(nil) }
        guard let i = cellIndex(p) else { return .some(nil) }  // outside the grid: outside every polygon
        let v = cells[i]
        if v == Self.edgeCell { return nil }
        return .some(v == 0 ? nil : Int(v - 1))
    }

    /// Every cell within the cell range of some edge's bounding box is an edge cell. The same floor
    /// formula places edge endpoints and query points, so a cell holding any point of an edge is
    /// always marked (conservative).
    private mutating func markEdgeCells(_ polygons: [MultiPolygon]) {
        for mp in polygons {
            for polygon in mp.polygons {
                for ring in polygon.rings where ring.count > 1 {
                    for k in 0..<(ring.count - 1) { markSegment(ring[k], ring[k + 1]) }
                    if ring.first != ring.last, let a = ring.last, let b = ring.first { markSegment(a, b) }
                }
            }
        }
    }

    private mutating func markSegment(_ a: Coordinate, _ b: Coordinate) {
        let x0 = clampColumn(min(a.x, b.x)), x1 = clampColumn(max(a.x, b.x))
        let y0 = clampRow(min(a.y, b.y)), y1 = clampRow(max(a.y, b.y))
        for y in y0...y1 {
            for x in x0...x1 { cells[y * columns + x] = Self.edgeCell }
        }
    }

    private func clampColumn(_ x: Double) -> Int {
        min(columns - 1, max(0, Int(((x - minX) / cellWidth).rounded(.down))))
    }
    private func clampRow(_ y: Double) -> Int {
        min(rows - 1, max(0, Int(((y - minY) / cellHeight).rounded(.down))))
    }

    /// Along each row, a run of cells without edges lies in one polygon (or none): ask the exact
    /// path once, at the centre of the run's first cell.
    private mutating func settle(_ exact: (Coordinate) -> Int?) {
        for y in 0..<rows {
            var x = 0
            while x < columns {
                if cells[y * columns + x] == Self.edgeCell { x += 1; continue }
                let centre = Coordinate(minX + (Double(x) + 0.5) * cellWidth, minY + (Double(y) + 0.5) * cellHeight)
                let value = Int32((exact(centre) ?? -1) + 1)
                while x < columns, cells[y * columns + x] != Self.edgeCell {
                    cells[y * columns + x] = value
                    x += 1
                }
            }
        }
    }
}
