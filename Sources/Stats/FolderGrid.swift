import Foundation
import Geometry
import Model
import Output
import Risk
import Store

/// The grid level for `stats --db`: the database keeps each case's street, community and post but not
/// its grid cell (a cell follows from the style's cell size, which may change between runs), so the
/// cells come from the grid.geojson of --out and each stored case is placed in them by its point.
struct FolderGrid {
    var zones: [Zone]
    var areas: [String: Double]
    private var index: PolygonIndex

    /// `storedAreas`: the cells' areas as the database's last run stored them (exact, as the run scored
    /// with); the file's (rounded to 4 decimals) stand in for a cell the database lacks.
    init(out: URL, storedAreas: [String: Double]) throws {
        let features = try LevelNeighbours.features(out: out, level: .grid,
                                                     need: "the grid's cells come from the run's grid.geojson (a style with [grid])")
        zones = features.map { f in
            Zone(id: f.properties.id, name: f.properties.name, parent: nil, level: .grid, geometry: f.geometry.shape)
        }
        areas = Dictionary(features.map { ($0.properties.id, storedAreas[$0.properties.id] ?? $0.properties.areaKm2) },
                           uniquingKeysWith: { a, _ in a })
        index = PolygonIndex(zones.map(\.geometry))
    }

    /// The stored cases of days `first...last` as scoring reads them, each with the cell of its point.
    func scoringCases(_ store: CaseStore, first: Day, last: Day, table: inout CategoryTable) throws -> [ScoringCase] {
        let read = try store.readMapCases(first: first, last: last, table: &table, parts: 1, makePart: { [MapCase]() }) {
            $0.append($1)
        }.flatMap { $0 }
        let cells = try index.locateAll(read.map { $0.point ?? Coordinate(.nan, .nan) })
        return zip(read, cells).map { c, cell in
            var s = c.scoring
            s.zones.grid = c.point == nil ? nil : cell.map { zones[$0].id }
            return s
        }
    }

    /// Case counts per cell in `steps` steps of `stepDays` days ending at `last` (emerging hot spots).
    func series(_ store: CaseStore, last: Day, stepDays: Int, steps: Int) throws -> [String: [Int]] {
        try store.pointSeries(last: last, stepDays: stepDays, steps: steps) { points in
            try index.locateAll(points).map { $0.map { zones[$0].id } }
        }
    }
}
