import Foundation
import Geometry
import Testing
@testable import Risk

/// Local Gi* against PySAL: `esda.G_Local(y, w, transform='B', star=True)` over libpysal Queen weights,
/// two-sided p, and the classes after `esda.fdr` at q = 0.01/0.05/0.10.
@Suite struct GetisOrdTests {
    func expectSameAsPySAL(_ shapes: [MultiPolygon], _ y: [Double], _ label: String) throws {
        let weights = try SpatialWeights.queen(shapes)
        let ours = GetisOrd.giStar(y, weights: weights)
        let theirs = try PySAL.gi(shapes, y)
        #expect(weights.neighbours == theirs.neighbours, "\(label): queen neighbours differ from libpysal's")
        #expect(ours.count == theirs.z.count)
        for i in ours.indices where i < theirs.z.count {
            #expect(abs(ours[i].z - theirs.z[i]) <= 1e-9, "\(label) \(i): z \(ours[i].z) vs esda \(theirs.z[i])")
            #expect(abs(ours[i].p - theirs.p[i]) <= 1e-9, "\(label) \(i): p \(ours[i].p) vs esda \(theirs.p[i])")
            #expect(ours[i].giClass.rawValue == theirs.classes[i], "\(label) \(i): \(ours[i].giClass) vs \(theirs.classes[i])")
        }
    }

    /// The demo's 92 communities, densities from a fixed synthetic count vector over their areas.
    @Test func demoCommunitiesMatchPySAL() throws {
        let shapes = try StatShapes.demoCommunities()
        #expect(shapes.count == 92)
        let frame = LocalMetricFrame(around: shapes)
        // The first street's communities (ids FT01-…, side by side) get many more: a cluster to find.
        let counts = (0..<shapes.count).map { ($0 * 37 + 11) % 23 + ($0 < 9 ? 150 : 0) }
        let areas = try shapes.map { try frame.project($0).planarArea() / 1e6 }
        let densities = zip(counts, areas).map { Double($0) / $1 }
        try expectSameAsPySAL(shapes, densities, "demo communities")
        // Something is significant, so that the classes are tested, not only "none".
        #expect(GetisOrd.giStar(densities, weights: try SpatialWeights.queen(shapes)).contains { $0.giClass != .none })
    }

    /// A 30 × 30 grid with a planted hot cluster: the cluster comes out hot at 99 %.
    @Test func plantedClusterOnAGridMatchesPySAL() throws {
        let shapes = StatShapes.grid(rows: 30, columns: 30)
        let y = StatShapes.plantedCounts(rows: 30, columns: 30).map { Double($0) * 4 }
        try expectSameAsPySAL(shapes, y, "30×30 grid")
        let gi = GetisOrd.giStar(y, weights: try SpatialWeights.queen(shapes))
        #expect(gi[12 * 30 + 12].giClass == .hot99)
        #expect(gi.filter { $0.giClass.isHot }.count >= 25)
    }

    @Test func benjaminiHochbergMatchesEsdaFDR() throws {
        var state: UInt64 = 99
        var p = (0..<500).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return pow(Double(state >> 11) / Double(1 << 53), 3)
        }
        p += [0.0001, 0.0001, 0.0001, 0.5, 1, 1]   // ties
        for q in [0.01, 0.05, 0.10, 0.2] {
            let theirs = try PySAL.ask(["task": "fdr", "p": p, "q": q])["significant"] as? [Bool]
            let ours = GetisOrd.benjaminiHochberg(p, q: q)
            #expect(ours == theirs, "q \(q)")
            #expect(ours.contains(true) && ours.contains(false), "q \(q) should cut somewhere")
        }
        #expect(GetisOrd.benjaminiHochberg([0.5, 0.9], q: 0.05) == [false, false])
        #expect(GetisOrd.benjaminiHochberg([], q: 0.05) == [])
    }

    /// Undefined z: all values equal, or a neighbourhood that holds every location → 0, 1, none.
    @Test func undefinedZ() throws {
        let row = StatShapes.grid(rows: 1, columns: 4)
        let weights = try SpatialWeights.queen(row)
        #expect(GetisOrd.giStar([3, 3, 3, 3], weights: weights) == Array(repeating: GiStar(z: 0, p: 1, giClass: .none), count: 4))
        #expect(GetisOrd.giStar([0, 0, 0, 0], weights: weights).allSatisfy { $0 == .undefined })
        #expect(GetisOrd.giStar([1, .infinity, 2, 3], weights: weights).allSatisfy { $0 == .undefined })
        #expect(GetisOrd.giStar([1, .nan, 2, 3], weights: weights).allSatisfy { $0 == .undefined })
        // A star: location 0 neighbours every other; the others only 0.
        let star = SpatialWeights(neighbours: [[1, 2, 3, 4], [0], [0], [0], [0]])
        let gi = GetisOrd.giStar([9, 1, 2, 3, 4], weights: star)
        #expect(gi[0] == .undefined)
        #expect(gi[1...].allSatisfy { $0.z != 0 && $0.p < 1 })
        // A 2 × 2 block: every neighbourhood is the whole block.
        let block = try SpatialWeights.queen(StatShapes.grid(rows: 2, columns: 2))
        #expect(GetisOrd.giStar([1, 5, 2, 8], weights: block).allSatisfy { $0 == .undefined })
        #expect(GetisOrd.giStar([], weights: SpatialWeights(neighbours: [])).isEmpty)
        #expect(GetisOrd.giStar([4], weights: SpatialWeights(neighbours: [[]])) == [.undefined])
    }

    @Test func tailPValuesDoNotRoundToZero() {
        #expect(GetisOrd.twoSidedP(10) > 0 && GetisOrd.twoSidedP(10) < 1e-22)
        #expect(abs(GetisOrd.twoSidedP(1.959963984540054) - 0.05) < 1e-12)
        #expect(GetisOrd.twoSidedP(0) == 1)
    }

    /// Permutation pseudo p-values: seeded (equal seeds, equal answers), and close to esda's p_sim,
    /// which draws other random numbers: both estimate the same conditional-randomisation p.
    @Test func permutationPseudoP() throws {
        let shapes = StatShapes.grid(rows: 20, columns: 20)
        let y = StatShapes.plantedCounts(rows: 20, columns: 20).map(Double.init)
        let weights = try SpatialWeights.queen(shapes)
        let ours = GetisOrd.permutationP(y, weights: weights, permutations: 999, seed: 42)
        #expect(ours == GetisOrd.permutationP(y, weights: weights, permutations: 999, seed: 42))
        #expect(ours != GetisOrd.permutationP(y, weights: weights, permutations: 999, seed: 43))
        #expect(ours[12 * 20 + 12] == 0.001)
        #expect(ours.allSatisfy { $0 > 0 && $0 <= 0.5 + 1e-12 })
        let theirs = try PySAL.gi(shapes, y, permutations: 999).pSim ?? []
        #expect(theirs.count == ours.count)
        let differences = zip(ours, theirs).map { abs($0 - $1) }
        let mean = differences.reduce(0, +) / Double(max(1, differences.count))
        #expect(mean < 0.02, "mean |p − p_sim| = \(mean)")
        #expect((differences.max() ?? 1) < 0.12)
        #expect(GetisOrd.permutationP(y, weights: weights, permutations: 0, seed: 1).allSatisfy { $0 == 1 })
    }

    /// 100,000 locations: the planted cluster's centre is hot (the time is scripts/bench_gi.sh's to
    /// measure, against esda, not a test's).
    @Test func hundredThousandLocations() {
        let side = 316
        let neighbours: [[Int32]] = (0..<(side * side)).map { i in
            let (r, c) = (i / side, i % side)
            var list: [Int32] = []
            for dr in -1...1 { for dc in -1...1 where (dr, dc) != (0, 0) {
                let (rr, cc) = (r + dr, c + dc)
                if rr >= 0, rr < side, cc >= 0, cc < side { list.append(Int32(rr * side + cc)) }
            } }
            return list.sorted()
        }
        let y = StatShapes.plantedCounts(rows: side, columns: side).map(Double.init)
        let gi = GetisOrd.giStar(y, weights: SpatialWeights(neighbours: neighbours))
        #expect(gi.count == side * side && gi[12 * side + 12].giClass.isHot)
    }
}
