import Foundation
import Testing
import Geometry
import Model
@testable import Rendering
import TestSupport

/// The zone renderer leaves out the vertices that move a ring by less than a tolerance
/// (`ChoroplethRenderer.thinningPixels`): Douglas–Peucker, run once per ring to the end, its
/// significance per vertex read at every zoom's tolerance. The vertices kept must be the ones
/// shapely's (GEOS's) Douglas–Peucker keeps, scripts/oracles/douglas_peucker.py.
@Suite struct ThinningTests {
    /// A wavy ring of 3,000 vertices around Futian (seeded), with straight runs cut into pieces.
    static func ring() -> [Coordinate] {
        var seed: UInt64 = 42
        func unit() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var points: [Coordinate] = []
        for i in 0..<3_000 {
            let t = Double(i) / 3_000 * 2 * .pi
            // Every fifth stretch is a circle's arc alone; the rest wobbles at random.
            let r = 0.02 * (1 + ((i / 50) % 5 == 0 ? 0 : 0.01 * (unit() - 0.5) + 0.02 * sin(t * 40)))
            points.append(Coordinate(114.05 + r * cos(t), 22.54 + r * sin(t)))
        }
        return points + [points[0]]
    }

    @Test func keptVerticesAreShapelysDouglasPeucker() throws {
        let feature = ChoroplethFeature(geometry: MultiPolygon([Polygon(exterior: Self.ring(), holes: [])]),
                                        fill: RGBA8(r: 200, g: 0, b: 0, a: 100), stroke: RGBA8(r: 0, g: 0, b: 0))
        let zoom = 14, options = TileOptions(minZoom: zoom, maxZoom: zoom)
        let every = try #require(ProjectedFeature(feature, options: options, thinning: 0))
        let pixels = [0.001, 0.05, 0.5, 4.0]
        let k = 256 * pow(2.0, Double(zoom))
        let folder = try Repo.temporaryFolder("thinning")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("ring.json")
        struct Ring: Encodable { var xs: [Double], ys: [Double], tolerances: [Double] }
        try JSONEncoder().encode(Ring(xs: every.xs, ys: every.ys, tolerances: pixels.map { $0 / k })).write(to: input)
        let result = try python([Repo.root.appendingPathComponent("scripts/oracles/douglas_peucker.py").path, input.path])
        try #require(result.status == 0, "\(result.stderr)")
        struct Kept: Decodable { var kept: [[Int]] }
        let expected = try JSONDecoder().decode(Kept.self, from: Data(result.stdout.utf8)).kept

        var index: [[UInt64]: Int] = [:]
        for i in every.xs.indices { index[[every.xs[i].bitPattern, every.ys[i].bitPattern]] = i }
        var counts: [Int] = []
        for (j, tolerance) in pixels.enumerated() {
            let thin = try #require(ProjectedFeature(feature, options: options, thinning: tolerance))
            let kept = thin.xs.indices.map { index[[thin.xs[$0].bitPattern, thin.ys[$0].bitPattern]] ?? -1 }.sorted()
            #expect(kept == expected[j], "at \(tolerance) px: \(kept.count) vertices kept, shapely \(expected[j].count)")
            // At the deepest zoom the fill keeps every vertex left.
            #expect(thin.fillKeep.allSatisfy { $0 & (1 << UInt32(zoom)) != 0 })
            counts.append(kept.count)
        }
        // The tolerances thin the ring more and more (the comparison is not of 3,000 against 3,000).
        #expect(counts == counts.sorted(by: >) && counts.last! < 100 && counts.first! < 3_000, "\(counts)")
    }
}
