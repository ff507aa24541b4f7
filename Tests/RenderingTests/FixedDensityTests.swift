import Foundation
import Model
import Testing
@testable import Rendering

/// The heat field in fixed point: a field updated from an earlier one equals the field drawn from
/// scratch, bit for bit (what lets a daily run draw only the kernels of the cases that changed).
@Suite struct FixedDensityTests {
    /// Seeded points around Futian, weights 0.5...3, sorted canonically.
    func points(_ n: Int, seed: UInt64) -> [HeatPoint] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<n).map { _ in
            HeatPoint(lon: 114.0 + 0.1 * next(), lat: 22.5 + 0.08 * next(), weight: [0.5, 1, 1.5, 3][Int(next() * 4)])
        }.sorted(by: HeatPoint.canonicalOrder)
    }

    @Test(arguments: [(10, 16), (10, 12)]) func anUpdatedFieldEqualsOneDrawnFromScratch(zooms: (Int, Int)) {
        let day1 = points(4000, seed: 1)
        // Day 2: 10% of the points leave, 5% arrive, one moves.
        var day2 = Array(day1.enumerated().filter { $0.offset % 10 != 3 }.map(\.element)) + points(200, seed: 2)
        day2[17].lon += 0.001
        day2.sort(by: HeatPoint.canonicalOrder)
        let first = DensityField(points: day1, bandwidthMetres: 150, coarsestLevel: zooms.0, finestLevel: zooms.1)
        let scratch = DensityField(points: day2, bandwidthMetres: 150, coarsestLevel: zooms.0, finestLevel: zooms.1)
        let updated = DensityField(points: day2, bandwidthMetres: 150, coarsestLevel: zooms.0, finestLevel: zooms.1,
                                   updating: (day1, first.fixed))
        #expect(updated.fixed == scratch.fixed)
        #expect(updated.fixed != first.fixed)
        #expect(scratch.fixed.blocks.count > 1)
        for level in updated.bottomLevel...updated.storeLevel {
            #expect(updated.blockKeys(level: level) == scratch.blockKeys(level: level))
            for key in scratch.blockKeys(level: level) {
                #expect(window(updated, level, key) == window(scratch, level, key), "level \(level) block \(key)")
            }
        }
    }

    @Test func removingEveryPointLeavesNoBlock() {
        let day1 = points(500, seed: 3)
        let first = DensityField(points: day1, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16)
        let empty = DensityField(points: [], bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16,
                                 updating: (day1, first.fixed))
        #expect(first.fixed.blocks.count > 0)
        // The empty field's scale differs (no weights): drawn from scratch, no blocks either way.
        #expect(empty.fixed.blocks.isEmpty)
        let sameScale = [HeatPoint(lon: 100, lat: 10, weight: 3)]
        let start = DensityField(points: day1 + sameScale, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16)
        let only = DensityField(points: sameScale, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16,
                                updating: ((day1 + sameScale).sorted(by: HeatPoint.canonicalOrder), start.fixed))
        #expect(only.fixed == DensityField(points: sameScale, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16).fixed)
    }

    @Test func fixedUnitsRoundToTheNearestInteger() {
        for v: Float in [0, 0.49, 0.5, 0.51, 1.5, 2.5, 1234.4999, 1234.5001, 4_194_303.5, 4_194_304] {
            #expect(fixedUnits(v) == Int64(v.rounded(.toNearestOrEven)), "\(v)")
        }
    }

    @Test func theScaleKeepsTheHeaviestSampleWithinRange() {
        let pts = [HeatPoint(lon: 114.05, lat: 22.55, weight: 3)]
        let field = DensityField(points: pts, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16)
        let peak = field.fixed.blocks.values.map { $0.max()! }.max()!
        #expect(peak <= 1 << 22 && peak > 1 << 20, "\(peak)")
    }

    func window(_ f: DensityField, _ level: Int, _ key: BlockKey) -> [Float] {
        var out = [Float](repeating: 0, count: 256 * 256)
        out.withUnsafeMutableBufferPointer { f.window(level: level, x0: key.x * 256, y0: key.y * 256, width: 256, height: 256, into: $0.baseAddress!) }
        return out
    }
}
