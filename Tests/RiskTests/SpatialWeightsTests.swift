import Foundation
import Geometry
import Testing
@testable import Risk

/// Queen contiguity (touch or within 1 m, GEOS in a local metric frame) and distance bands.
@Suite struct SpatialWeightsTests {
    /// The same neighbour sets as libpysal's Queen, on the demo's communities (holes, an enclave, an
    /// exclave) and on a grid.
    @Test func queenMatchesLibpysal() throws {
        for (label, shapes) in [("demo communities", try StatShapes.demoCommunities()),
                                ("12×9 grid", StatShapes.grid(rows: 12, columns: 9))] {
            let ours = try SpatialWeights.queen(shapes)
            let theirs = try PySAL.gi(shapes, shapes.indices.map(Double.init)).neighbours
            #expect(ours.neighbours == theirs, "\(label)")
        }
        let grid = try SpatialWeights.queen(StatShapes.grid(rows: 3, columns: 3))
        #expect(grid.neighbours[4] == [0, 1, 2, 3, 5, 6, 7, 8] && grid.neighbours[0] == [1, 3, 4])
    }

    /// A square of 100 m and another 0.5 m (neighbours) or 2 m (not) east of it; empty shapes none.
    @Test func oneMetreTolerance() throws {
        let frame = LocalMetricFrame(centre: Coordinate(114.05, 22.54))
        func square(east: Double) -> MultiPolygon {
            let corners = [(0.0, 0.0), (100, 0), (100, 100), (0, 100), (0, 0)].map { x, y in
                Coordinate(114.05 + (x + east) / frame.metresPerDegree.x, 22.54 + y / frame.metresPerDegree.y)
            }
            return MultiPolygon([Polygon(exterior: corners)])
        }
        #expect(try SpatialWeights.queen([square(east: 0), square(east: 100.5)]).neighbours == [[1], [0]])
        #expect(try SpatialWeights.queen([square(east: 0), square(east: 102)]).neighbours == [[], []])
        #expect(try SpatialWeights.queen([square(east: 0), square(east: 102)], toleranceMetres: 3).neighbours == [[1], [0]])
        #expect(try SpatialWeights.queen([square(east: 0), MultiPolygon([]), square(east: 100)]).neighbours == [[2], [], [0]])
        // Overlapping shapes are neighbours too.
        #expect(try SpatialWeights.queen([square(east: 0), square(east: 50)]).neighbours == [[1], [0]])
        #expect(try SpatialWeights.queen([]).neighbours.isEmpty)
    }

    /// Centroids of 500 m cells: 500 m apart east-west, 707 m diagonally.
    @Test func distanceBand() throws {
        let frame = LocalMetricFrame(centre: Coordinate(114.0, 22.5))
        let cells = StatShapes.grid(rows: 3, columns: 3, dx: 500 / frame.metresPerDegree.x, dy: 500 / frame.metresPerDegree.y)
        let rook = try SpatialWeights.distanceBand(cells, metres: 510)
        #expect(rook.neighbours[4] == [1, 3, 5, 7] && rook.neighbours[0] == [1, 3])
        let queen = try SpatialWeights.distanceBand(cells, metres: 720)
        #expect(queen.neighbours[4] == [0, 1, 2, 3, 5, 6, 7, 8])
        #expect(try SpatialWeights.distanceBand(cells + [MultiPolygon([])], metres: 1e6).neighbours[9] == [])
    }

    /// Queen weights of 100,000 grid cells: every link of the lattice, none more (the time is
    /// scripts/bench_gi.sh's to measure, against libpysal, not a test's).
    @Test func hundredThousandCells() throws {
        let cells = StatShapes.grid(rows: 316, columns: 317)   // 100,172 cells
        let w = try SpatialWeights.queen(cells)
        #expect(w.count == 316 * 317 && w.neighbours[317 + 1].count == 8 && w.neighbours[0].count == 3)
        let links = w.neighbours.reduce(0) { $0 + $1.count }
        let expected: Int = 2 * (316 * 316 + 315 * 317 + 2 * 315 * 316)   // each of →, ↑, ↗, ↖ twice
        #expect(links == expected)
    }
}
