import Foundation
import Geometry
import Model
import Projection
import Support

/// The grid level (`[grid] cell_m` in the style): square cells of `cellMetres` in a Lambert
/// equal-area plane centred on the map, clipped to the map's outline (the union of its streets), each
/// a zone of level `grid` scored like any other. Shandong's 热点网格 practice: fixed cells compare
/// places fairly where administrative zones differ a hundredfold in size.
///
/// Cell ids are `C{column}R{row}`, counted from the grid's south-west corner; the grid's lines lie on
/// multiples of the cell size from the plane's centre, so the same boundaries and cell size always
/// give the same cells (daily runs and shards agree).
public struct ZoneGrid: Sendable {
    /// More cells than this is a mistake in the style (a cell size in km written as metres), not a
    /// map: 2,000,000 cells are already 4,000 km² at 50 m.
    public static let maxCells = 2_000_000

    public let cellMetres: Double
    /// The plane's centre (lon/lat).
    public let centre: Coordinate
    public let squares: SquareGrid
    /// The cells inside the outline, as zones of level `grid`, in row-major order from the south-west.
    public let zones: [Zone]
    /// Each cell's area in km² (planar in the equal-area plane).
    public let areasKm2: [String: Double]
    /// `row · columns + column` → index in `zones`.
    private let present: [Int: Int]

    /// Builds the cells over the streets' outline. `styleFile` names the style in errors.
    public init(streets: [Zone], cellMetres: Double, styleFile: String) throws {
        let setting = (file: styleFile, key: "key 'grid.cell_m'")
        guard let box = streets.compactMap({ $0.geometry.boundingBox }).reduce(nil, { $0?.union($1) ?? $1 }) else {
            throw InputError(file: setting.file, location: setting.key, "a grid needs streets to cover, and the boundaries have none")
        }
        self.cellMetres = cellMetres
        centre = box.center
        let plane = try EqualAreaPlane(centre: centre)
        let outline = try MultiPolygon.union(streets.map { plane.project($0.geometry) })
        guard let planeBox = outline.boundingBox else {
            throw InputError(file: setting.file, location: setting.key, "the streets' outline is empty: there is nothing to lay a grid on")
        }
        let count = SquareGrid.cellCount(covering: planeBox, size: cellMetres)
        guard count <= Double(Self.maxCells) else {
            throw InputError(file: setting.file, location: setting.key, String(format: "a cell size of %g m lays %.0f cells over the map's %.0f × %.0f km, more than the limit of %d: use a larger cell_m",
                                                   cellMetres, count, planeBox.width / 1000, planeBox.height / 1000, Self.maxCells))
        }
        squares = SquareGrid(covering: planeBox, size: cellMetres)
        let cells = try squares.cells(inside: outline)
        // Back to lon/lat on all cores, each worker its own PROJ context.
        let parts = chunks(of: cells.count, parts: ProcessInfo.processInfo.activeProcessorCount * 4)
        let shapes = try parallelMap(parts.count) { p -> [MultiPolygon] in
            let worker = try EqualAreaPlane(centre: box.center)
            return parts[p].map { worker.unproject(cells[$0].shape) }
        }.flatMap { $0 }
        var zones: [Zone] = [], areas: [String: Double] = [:], present: [Int: Int] = [:]
        zones.reserveCapacity(cells.count)
        for (cell, shape) in zip(cells, shapes) {
            let id = Self.id(column: cell.column, row: cell.row)
            present[cell.row * squares.columns + cell.column] = zones.count
            zones.append(Zone(id: id, name: id, parent: nil, level: .grid, geometry: shape))
            areas[id] = cell.isWhole ? cellMetres * cellMetres / 1e6 : ((try? cell.shape.planarArea()) ?? 0) / 1e6
        }
        self.zones = zones
        self.areasKm2 = areas
        self.present = present
    }

    public static func id(column: Int, row: Int) -> String { "C\(column)R\(row)" }

    /// The cell id of each point (lon/lat), nil where the point lies in no cell of the map (outside
    /// the outline). One batch through PROJ: call it with many points at once, from one thread.
    public func cellIDs(of points: [Coordinate]) throws -> [String?] {
        let plane = try EqualAreaPlane(centre: centre)
        var projected = points
        plane.project(&projected)
        return projected.map { p in
            guard p.isFinite, let (column, row) = squares.cell(of: p),
                  let i = present[row * squares.columns + column] else { return nil }
            return zones[i].id
        }
    }
}
