import ArgumentParser
import Foundation
import Geometry
import Input
import Jobs
import Projection

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure locating speed: cases with coordinates → zones, on all cores.",
        discussion: """
        Reads the cases, converts their coordinates to WGS84, then times only the point-in-polygon step
        (the part geopandas.sjoin is compared with by scripts/bench.sh). Prints one JSON line.

        Example:
          riskmap bench --boundaries boundaries/demo --cases bench-data/demo1m/cases.csv --export-points bench-data/points.csv
        """)

    @Option(help: ArgumentHelp("Boundaries folder.", valueName: "dir"))
    var boundaries: String

    @Option(help: ArgumentHelp("Cases CSV.", valueName: "file"))
    var cases: String

    @Option(name: .customLong("export-points"), help: ArgumentHelp("Write the WGS84 points (lon,lat) here for a peer to locate the same points.", valueName: "file"))
    var exportPoints: String?

    @Option(help: "How many times to repeat the timed step (the best is reported).")
    var repeats = 3

    func run() throws {
        let b = try BoundaryReader(folder: URL(fileURLWithPath: boundaries)).read()
        let file = try CaseFileReader.read(url: URL(fileURLWithPath: cases), displayName: cases)
        let locator = CaseLocator(boundaries: b, defaultCRS: .wgs84)
        let started = Date()
        let points = try locator.wgs84Points(file.records)
        let convertSeconds = Date().timeIntervalSince(started)
        if let exportPoints {
            var text = "lon,lat\n"
            for p in points { text += "\(p.x),\(p.y)\n" }
            try text.write(toFile: exportPoints, atomically: true, encoding: .utf8)
        }
        var best = Double.infinity
        var located = 0
        for _ in 0..<max(1, repeats) {
            let t0 = Date()
            let refs = try locator.zoneRefs(of: points)
            best = min(best, Date().timeIntervalSince(t0))
            located = refs.filter { $0 >= 0 }.count
        }
        // The finest level alone, without the parent-id bookkeeping, to see where time goes.
        let posts = b.posts.filter { !$0.geometry.isEmpty }.map(\.geometry)
        var pipBest = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = Date()
            _ = try PointLocator.locateAll(points, in: posts)
            pipBest = min(pipBest, Date().timeIntervalSince(t0))
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("{\"points\":\(points.count),\"located\":\(located),\"seconds\":\(String(format: "%.4f", best)),"
              + "\"points_per_s\":\(Int(Double(points.count) / best)),\"posts_only_seconds\":\(String(format: "%.4f", pipBest)),\"convert_seconds\":\(String(format: "%.4f", convertSeconds)),\"cores\":\(cores)}")
    }
}
