import Foundation
import Projection
import Testing
@testable import Input

/// A measurement, not a timed test: it runs only when RISKMAP_BENCH_BOUNDARIES names boundary folders
/// (colon-separated), e.g.
///   RISKMAP_BENCH_BOUNDARIES=boundaries/demo:boundaries/nyc swift test -c release --filter BoundaryReadingBenchmark
/// It times reading each level's GeoJSON into features and polygons (WGS84), best of five.
@Suite struct BoundaryReadingBenchmark {
    static let folders = ProcessInfo.processInfo.environment["RISKMAP_BENCH_BOUNDARIES"]

    @Test(.enabled(if: folders != nil)) func readBoundaryFiles() throws {
        for folder in Self.folders!.split(separator: ":").map(String.init) {
            for name in ["streets.geojson", "communities.geojson", "posts.geojson"] {
                let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
                var best = Double.infinity
                var features = 0
                for _ in 0..<5 {
                    let start = Date()
                    let file = try GeoJSONFeatureFile(url: url, defaultCRS: .wgs84)
                    for f in file.features { _ = try f.polygons(allowPoints: true) }
                    best = min(best, Date().timeIntervalSince(start))
                    features = file.features.count
                }
                let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                print("benchmark: \(folder)/\(name): \(features) features, \(size / 1024) KiB, "
                      + "\(String(format: "%.1f", best * 1000)) ms")
                #expect(features > 0)
            }
        }
    }
}
