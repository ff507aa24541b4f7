import Foundation
import Testing
@testable import Geometry

/// `PolygonIndex` is built once and asked many times (a run's levels, the gazetteer, relocation,
/// every `serve` request): batch after batch, small and large (through the cell grid), on all cores,
/// its answers are the exact locator's — which PointLocatorTests checks against shapely.
@Suite struct PolygonIndexTests {
    let polygons: [MultiPolygon]
    let points: [Coordinate]

    init() throws {
        let f = try Fixture.json("pip.json")
        polygons = (f["polygons"] as! [[String: Any]]).map(Fixture.multiPolygon)
        let fixture = (f["points"] as! [[String: Any]]).map { Coordinate(Double($0["x"] as! String)!, Double($0["y"] as! String)!) }
        // Enough points to cross the grid threshold, spread over the polygons' box and beyond it.
        let box = polygons.compactMap(\.boundingBox).reduce(nil) { $0?.union($1) ?? $1 }!
        var rng = SplitMix(seed: 13)
        let random = (0..<(PolygonIndex.gridThreshold + 5_000)).map { _ in
            Coordinate(box.minX - 0.1 * box.width + 1.2 * box.width * rng.unit(),
                       box.minY - 0.1 * box.height + 1.2 * box.height * rng.unit())
        }
        points = fixture + random
    }

    @Test func batchesAgreeWithTheExactLocator() throws {
        let exact = try PointLocator(polygons)
        let expected = points.map { exact.locate($0) }
        let index = PolygonIndex(polygons)
        // A large batch (grid), small ones (no grid) and a large one again (the cached grid), twice over.
        for _ in 0..<2 {
            #expect(try index.locateAll(points) == expected)
            for start in stride(from: 0, to: 3_000, by: 500) {
                #expect(try index.locateAll(Array(points[start..<start + 500])) == Array(expected[start..<start + 500]))
            }
            #expect(try index.locate(points[7]) == expected[7])
        }
        #expect(expected.contains(nil) && expected.contains { $0 != nil }, "the points must fall both inside and outside")
    }

    /// Eight batches at once on one index: its pool lends each locator to one thread at a time.
    @Test func manyThreadsShareOneIndex() throws {
        let index = PolygonIndex(polygons)
        let expected = try PointLocator.locateAll(points, in: polygons)
        let lock = NSLock()
        nonisolated(unsafe) var answers: [[Int?]] = []
        nonisolated(unsafe) var failures: [Error] = []
        let points = self.points
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let a = try index.locateAll(points, workers: 4)
                lock.withLock { answers.append(a) }
            } catch { lock.withLock { failures.append(error) } }
        }
        #expect(failures.isEmpty)
        #expect(answers.count == 8 && answers.allSatisfy { $0 == expected })
    }
}

/// A small seeded generator, so that the points are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
