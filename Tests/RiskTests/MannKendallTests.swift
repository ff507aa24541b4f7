import Foundation
import Testing
@testable import Risk

/// Mann–Kendall against `pymannkendall.original_test` (S, Var S with ties, z, p, tau, trend).
@Suite struct MannKendallTests {
    @Test func matchesPymannkendall() throws {
        var state: UInt64 = 5
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let series: [[Double]] = [
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],                      // increasing, no ties
            [5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1, 0],                          // decreasing, many ties
            [2, 2, 2, 2, 2, 2],                                            // all tied: S = 0, Var S = 0
            [1, 3, 2, 3, 1, 2, 3, 1, 2],                                   // no trend, ties
            [0.5, -1.25, 3.75, 3.75, 2, 8, 8, 8, 9.5, 12, 11, 14.25],     // rising with ties
            [3, 1],
            (0..<52).map { Double($0) * 0.02 + noise() },                  // a weak trend in noise
            (0..<52).map { _ in (noise() * 4).rounded() },                 // integers: ties everywhere
        ]
        let theirs = try PySAL.ask(["task": "mk", "series": series])["results"] as? [[String: Any]] ?? []
        #expect(theirs.count == series.count)
        for (x, t) in zip(series, theirs) {
            let r = MannKendall.test(x)
            #expect(r.s == t["s"] as? Double, "S of \(x)")
            #expect(abs(r.varS - (t["var_s"] as? Double ?? .nan)) <= 1e-9, "Var S of \(x)")
            #expect(abs(r.z - (t["z"] as? Double ?? .nan)) <= 1e-9, "z of \(x)")
            #expect(abs(r.p - (t["p"] as? Double ?? .nan)) <= 1e-9, "p of \(x)")
            #expect(abs(r.tau - (t["tau"] as? Double ?? .nan)) <= 1e-9, "tau of \(x)")
            #expect(r.trend.rawValue == t["trend"] as? String, "trend of \(x)")
        }
        #expect(MannKendall.test(series[0]).trend == .increasing && MannKendall.test(series[1]).trend == .decreasing)
    }

    @Test func shortSeries() {
        #expect(MannKendall.test([]) == MannKendallResult(s: 0, varS: 0, z: 0, p: 1, tau: 0, trend: .noTrend))
        #expect(MannKendall.test([4]).p == 1)
        #expect(MannKendall.test([1, .nan, 2, 3]).s == 3)
    }
}
