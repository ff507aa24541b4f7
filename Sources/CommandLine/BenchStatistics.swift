import Foundation
import Geometry
import Input
import Model
import Risk

/// `riskmap bench --statistics DIR`: the hot spot statistics timed on the data scripts/bench_gi.sh
/// wrote into DIR (its peer, PySAL, times the same data in the same run):
///   spec.json    {"rows", "columns", "lon0", "lat0", "dx", "dy", "er_rows", "er_columns", "steps"}: two grids
///   values.txt   one value per cell of the big grid (rows × columns), row by row from the south-west
///   counts.txt   one line per cell of the emerging grid (er_rows × er_columns): `steps` counts
/// It writes riskmap_gi.txt (z, p, class per cell) and riskmap_emerging.txt (category, trend z per cell)
/// beside them for the script to compare with PySAL's, and prints one JSON line of timings.
extension BenchCommand {
    struct StatisticsSpec: Decodable {
        var rows: Int, columns: Int, lon0: Double, lat0: Double, dx: Double, dy: Double
        var er_rows: Int, er_columns: Int, steps: Int
    }

    func benchStatistics(_ folder: String) throws {
        let dir = URL(fileURLWithPath: folder)
        let spec = try JSONDecoder().decode(StatisticsSpec.self, from: Data(contentsOf: dir.appendingPathComponent("spec.json")))
        let values = try numbers(dir.appendingPathComponent("values.txt")).map { $0.first ?? 0 }
        let counts = try numbers(dir.appendingPathComponent("counts.txt")).map { $0.map { Int($0) } }
        let cells = grid(spec, rows: spec.rows, columns: spec.columns)
        guard values.count == cells.count, counts.count == spec.er_rows * spec.er_columns else {
            throw InputError(file: folder, "values.txt or counts.txt do not match the grids of spec.json")
        }
        var weights = SpatialWeights(neighbours: [])
        let queenSeconds = try best { weights = try SpatialWeights.queen(cells) }
        var gi: [GiStar] = []
        let giSeconds = try best { gi = GetisOrd.giStar(values, weights: weights) }
        let small = try SpatialWeights.queen(grid(spec, rows: spec.er_rows, columns: spec.er_columns))
        let areas = [Double](repeating: 0.25, count: counts.count)
        var emerging: [EmergingResult] = []
        let emergingSeconds = try best { emerging = EmergingHotSpots.details(counts: counts, areasKm2: areas, weights: small) }
        try gi.map { "\($0.z) \($0.p) \($0.giClass.rawValue)" }.joined(separator: "\n")
            .write(to: dir.appendingPathComponent("riskmap_gi.txt"), atomically: true, encoding: .utf8)
        try emerging.map { "\($0.category.rawValue) \($0.trend.z)" }.joined(separator: "\n")
            .write(to: dir.appendingPathComponent("riskmap_emerging.txt"), atomically: true, encoding: .utf8)
        func f(_ s: Double) -> String { String(format: "%.4f", s) }
        print("{\"cells\":\(cells.count),\"links\":\(weights.neighbours.reduce(0) { $0 + $1.count }),"
              + "\"queen_seconds\":\(f(queenSeconds)),\"gi_fdr_seconds\":\(f(giSeconds)),"
              + "\"emerging_cells\":\(counts.count),\"emerging_steps\":\(spec.steps),\"emerging_seconds\":\(f(emergingSeconds)),"
              + "\"cores\":\(ProcessInfo.processInfo.activeProcessorCount)}")
    }

    /// The grid the script describes, cell by cell as shapely's boxes (same corner arithmetic).
    func grid(_ spec: StatisticsSpec, rows: Int, columns: Int) -> [MultiPolygon] {
        func x(_ c: Int) -> Double { spec.lon0 + Double(c) * spec.dx }
        func y(_ r: Int) -> Double { spec.lat0 + Double(r) * spec.dy }
        return (0..<rows).flatMap { r in
            (0..<columns).map { c in
                MultiPolygon([Polygon(exterior: [Coordinate(x(c), y(r)), Coordinate(x(c + 1), y(r)), Coordinate(x(c + 1), y(r + 1)),
                                                 Coordinate(x(c), y(r + 1)), Coordinate(x(c), y(r))])])
            }
        }
    }

    /// Whitespace-separated numbers, one list per line.
    func numbers(_ url: URL) throws -> [[Double]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            try line.split(separator: " ").map { field in
                guard let d = Double(field) else { throw InputError(file: url.path, "not a number: '\(field)'") }
                return d
            }
        }
    }

    /// The best wall time of `repeats` runs of `body`.
    func best(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t = Date()
            try body()
            best = min(best, Date().timeIntervalSince(t))
        }
        return best
    }
}
