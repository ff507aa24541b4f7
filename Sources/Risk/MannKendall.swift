import Foundation

/// The direction a Mann–Kendall test finds, at its significance level.
public enum MannKendallTrend: String, Sendable, Codable, CaseIterable {
    case increasing, decreasing
    case noTrend = "no trend"
}

/// The Mann–Kendall trend test of one series, as `pymannkendall.original_test` reports it.
public struct MannKendallResult: Sendable, Equatable {
    /// Σ_{k<j} sign(x_j − x_k).
    public var s: Double
    /// Var(S) with the ties correction.
    public var varS: Double
    /// (S − sign S) / sqrt(Var S) (continuity-corrected); 0 when S = 0.
    public var z: Double
    /// Two-sided p-value of z.
    public var p: Double
    /// Kendall's tau: S / (n(n − 1)/2).
    public var tau: Double
    public var trend: MannKendallTrend

    public init(s: Double, varS: Double, z: Double, p: Double, tau: Double, trend: MannKendallTrend) {
        self.s = s; self.varS = varS; self.z = z; self.p = p; self.tau = tau; self.trend = trend
    }

    /// Whether the trend is significant (`trend` is not "no trend").
    public var isSignificant: Bool { trend != .noTrend }
}

public enum MannKendall {
    /// The test at significance `alpha` (two-sided; pymannkendall's default 0.05): a trend is reported
    /// when p < alpha (pymannkendall's |z| > Φ⁻¹(1 − alpha/2), the same condition). NaNs are dropped first,
    /// as pymannkendall does; fewer than two values give S = 0, p = 1, no trend.
    public static func test(_ series: [Double], alpha: Double = 0.05) -> MannKendallResult {
        let x = series.filter { !$0.isNaN }
        let n = x.count
        guard n > 1 else { return MannKendallResult(s: 0, varS: 0, z: 0, p: 1, tau: 0, trend: .noTrend) }
        var s = 0
        for k in 0..<(n - 1) {
            let xk = x[k]
            for j in (k + 1)..<n {
                if x[j] > xk { s += 1 } else if x[j] < xk { s -= 1 }
            }
        }
        let varS = variance(x)
        let sd = varS.squareRoot()
        let z: Double
        if s > 0, sd > 0 { z = Double(s - 1) / sd } else if s < 0, sd > 0 { z = Double(s + 1) / sd } else { z = 0 }
        let p = erfc(abs(z) / 2.0.squareRoot())
        let trend: MannKendallTrend = p < alpha ? (z > 0 ? .increasing : .decreasing) : .noTrend
        let nd = Double(n)
        return MannKendallResult(s: Double(s), varS: varS, z: z, p: p, tau: Double(s) / (nd * (nd - 1) / 2), trend: trend)
    }

    /// Var(S) = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18 over the groups of t equal values.
    static func variance(_ x: [Double]) -> Double {
        let n = Double(x.count)
        var ties = 0.0
        let sorted = x.sorted()
        var i = 0
        while i < sorted.count {
            var j = i + 1
            while j < sorted.count, sorted[j] == sorted[i] { j += 1 }
            let t = Double(j - i)
            ties += t * (t - 1) * (2 * t + 5)
            i = j
        }
        return (n * (n - 1) * (2 * n + 5) - ties) / 18
    }
}
