import Foundation
import Geometry
import TestSupport
import Testing
@testable import Risk

/// Each ArcGIS Emerging Hot Spot category from a hand-built series that must produce it.
@Suite struct EmergingHotSpotsTests {
    /// A series from letters, oldest first: H hot bin (99 %), h hot at 90 %, C cold (99 %), c cold at
    /// 90 %, . not significant.
    func steps(_ pattern: String) -> [GiStar] {
        pattern.map { ch -> GiStar in
            switch ch {
            case "H": GiStar(z: 3, p: 0.001, giClass: .hot99)
            case "h": GiStar(z: 1.8, p: 0.07, giClass: .hot90)
            case "C": GiStar(z: -3, p: 0.001, giClass: .cold99)
            case "c": GiStar(z: -1.8, p: 0.07, giClass: .cold90)
            default: GiStar(z: 0.2, p: 0.8, giClass: .none)
            }
        }
    }
    let rising = MannKendallResult(s: 40, varS: 200, z: 2.8, p: 0.005, tau: 0.6, trend: .increasing)
    let falling = MannKendallResult(s: -40, varS: 200, z: -2.8, p: 0.005, tau: -0.6, trend: .decreasing)
    let flat = MannKendallResult(s: 2, varS: 200, z: 0.07, p: 0.94, tau: 0.03, trend: .noTrend)

    func category(_ pattern: String, _ trend: MannKendallResult? = nil) -> EmergingCategory {
        EmergingHotSpots.classify(steps(pattern), trend: trend ?? flat)
    }

    @Test func hotCategories() {
        #expect(category("...........H") == .newHot)
        #expect(category(".........hHH") == .consecutiveHot)
        #expect(category("HHHHhHHHHHHH", rising) == .intensifyingHot)
        #expect(category("HHHHHHHHHHHH", flat) == .persistentHot)
        #expect(category(".HHHHHHHHHHH", flat) == .persistentHot)      // 11 of 12 ≥ 90 %
        #expect(category("HHHHHHHHHHHh", falling) == .diminishingHot)
        #expect(category("..H..H...H.H") == .sporadicHot)
        #expect(category("HH.......HHH") == .sporadicHot)              // a run, but hot before it
        #expect(category("..C......H.H") == .oscillatingHot)
        #expect(category("C..........H") == .oscillatingHot)           // a cold past makes a new hot oscillating
        #expect(category("HHHHHHHHHHH.") == .historicalHot)
        #expect(category("HHHHHHHHHHHC") == .oscillatingCold)          // the last step is cold: cold rules
        #expect(category("..HHHHHHHHHH") == .consecutiveHot)           // 10 of 12 < 90 %, one final run
    }

    @Test func coldCategories() {
        #expect(category("...........C") == .newCold)
        #expect(category("........ccCC") == .consecutiveCold)
        #expect(category("CCCCCCCCCCCC", falling) == .intensifyingCold)   // colder and colder
        #expect(category("CCCCCCCCCCCC", flat) == .persistentCold)
        #expect(category("CCCCCCCCCCCC", rising) == .diminishingCold)
        #expect(category("C...C..C...C") == .sporadicCold)
        #expect(category("H...C..C...C") == .oscillatingCold)
        #expect(category("CCCCCCCCCCC.") == .historicalCold)
    }

    @Test func noPattern() {
        #expect(category("............") == EmergingCategory.none)
        #expect(category("HHHHH.......") == EmergingCategory.none)       // hot once, but not at the end nor 90 %
        #expect(category("HHHHHHHHHHHH.", rising) == .historicalHot)
        #expect(EmergingHotSpots.classify([], trend: flat) == EmergingCategory.none)
        #expect(EmergingCategory.allCases.count == 17)
        #expect(EmergingCategory.allCases.map(\.rawValue).contains("persistent-cold"))
    }

    /// End to end on a 10 × 10 grid over 8 steps: the Gi* z-series and their trends as esda and
    /// pymannkendall compute them step by step; a cluster that grows step after step is intensifying.
    @Test func analyseMatchesAPySALLoop() throws {
        let shapes = StatShapes.grid(rows: 10, columns: 10)
        let weights = try SpatialWeights.queen(shapes)
        let steps = 8
        let base = StatShapes.plantedCounts(rows: 10, columns: 10, boost: 0)
        let counts: [[Int]] = (0..<100).map { i in
            let (r, c) = (i / 10, i % 10)
            let inCluster = (3...5).contains(r) && (3...5).contains(c)
            return (0..<steps).map { t in (base[(i + t * 13) % 100]) + (inCluster ? 4 + 3 * t : 0) }
        }
        let areas = [Double](repeating: 0.25, count: 100)
        let results = EmergingHotSpots.details(counts: counts, areasKm2: areas, weights: weights)
        #expect(EmergingHotSpots.analyse(counts: counts, areasKm2: areas, weights: weights) == results.map(\.category))
        #expect(results[4 * 10 + 4].category == .intensifyingHot)
        #expect(results[4 * 10 + 4].hotSteps == steps)

        let folder = try Repo.temporaryFolder("emerging")
        defer { try? FileManager.default.removeItem(at: folder) }
        let geojson = folder.appendingPathComponent("grid.geojson")
        try PySAL.writeGeoJSON(shapes, to: geojson)
        let densities = counts.map { $0.map { Double($0) / 0.25 } }
        let theirs = try PySAL.ask(["task": "emerging", "geojson": geojson.path, "y": densities])
        let trends = theirs["trend"] as? [[String: Any]] ?? []
        #expect(trends.count == 100)
        for (i, t) in trends.enumerated() {
            #expect(abs(results[i].trend.z - (t["z"] as? Double ?? .nan)) <= 1e-9, "trend z of \(i)")
            #expect(abs(results[i].trend.p - (t["p"] as? Double ?? .nan)) <= 1e-9, "trend p of \(i)")
        }
    }
}
