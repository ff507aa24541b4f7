import Foundation
import Geometry
import Input
import Model
import TestSupport
@testable import Risk

/// PySAL's answers (scripts/stats_oracle.py: esda, libpysal, pymannkendall) for the statistics tests.
enum PySAL {
    /// Runs the oracle on one JSON request; its JSON answer.
    static func ask(_ request: [String: Any]) throws -> [String: Any] {
        let folder = try Repo.temporaryFolder("pysal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: file)
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", Repo.root.appendingPathComponent("scripts/stats_oracle.py").path, file.path])
        guard result.status == 0, let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw OracleFailure(message: "stats_oracle.py failed (\(result.status)): \(result.stderr.suffix(2_000))")
        }
        return answer
    }

    /// The shapes as a GeoJSON FeatureCollection file, in order (Python reads them back in that order).
    static func writeGeoJSON(_ shapes: [MultiPolygon], to url: URL) throws {
        func ring(_ r: Ring) -> String { "[" + r.map { "[\($0.x),\($0.y)]" }.joined(separator: ",") + "]" }
        let features = shapes.enumerated().map { i, shape in
            let polygons = shape.polygons.map { "[" + $0.rings.map(ring).joined(separator: ",") + "]" }
            return #"{"type":"Feature","properties":{"n":\#(i)},"geometry":{"type":"MultiPolygon","coordinates":[\#(polygons.joined(separator: ","))]}}"#
        }
        try Data(#"{"type":"FeatureCollection","features":[\#(features.joined(separator: ",\n"))]}"#.utf8).write(to: url)
    }

    /// Gi* of `y` over the libpysal Queen weights of `shapes`: neighbours, z, p, classes (and p_sim).
    static func gi(_ shapes: [MultiPolygon], _ y: [Double], permutations: Int = 0) throws
        -> (neighbours: [[Int32]], z: [Double], p: [Double], classes: [String], pSim: [Double]?) {
        let folder = try Repo.temporaryFolder("pysalshapes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let geojson = folder.appendingPathComponent("shapes.geojson")
        try writeGeoJSON(shapes, to: geojson)
        var request: [String: Any] = ["task": "gi", "geojson": geojson.path, "y": y]
        if permutations > 0 { request["permutations"] = permutations; request["seed"] = 12345 }
        let a = try ask(request)
        return ((a["neighbours"] as? [[Int]] ?? []).map { $0.map(Int32.init) }, a["z"] as? [Double] ?? [],
                a["p"] as? [Double] ?? [], a["classes"] as? [String] ?? [], a["p_sim"] as? [Double])
    }
}

struct OracleFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// Shapes the statistics tests share.
enum StatShapes {
    /// The demo district's communities, in id order.
    static func demoCommunities() throws -> [MultiPolygon] {
        try BoundaryReader(folder: Repo.demo).read().communities.map(\.geometry)
    }

    /// A rows × columns grid of cells `dx` × `dy` degrees near Shenzhen, row by row from the south-west;
    /// neighbouring cells share their corner coordinates exactly.
    static func grid(rows: Int, columns: Int, dx: Double = 0.005, dy: Double = 0.0045) -> [MultiPolygon] {
        func x(_ c: Int) -> Double { 114.0 + Double(c) * dx }
        func y(_ r: Int) -> Double { 22.5 + Double(r) * dy }
        return (0..<rows).flatMap { r in
            (0..<columns).map { c in
                MultiPolygon([Polygon(exterior: [Coordinate(x(c), y(r)), Coordinate(x(c + 1), y(r)), Coordinate(x(c + 1), y(r + 1)),
                                                 Coordinate(x(c), y(r + 1)), Coordinate(x(c), y(r))])])
            }
        }
    }

    /// Counts 0...6 from a fixed linear congruential sequence, plus `boost` inside the planted square
    /// of rows/columns 10...14 (on a grid of `columns` columns).
    static func plantedCounts(rows: Int, columns: Int, boost: Int = 12, seed: UInt64 = 7) -> [Int] {
        var state = seed
        return (0..<(rows * columns)).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let base = Int((state >> 33) % 7)
            let (r, c) = (i / columns, i % columns)
            return base + ((10...14).contains(r) && (10...14).contains(c) ? boost : 0)
        }
    }
}
