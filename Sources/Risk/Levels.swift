import Foundation
import Model

/// Turns the zones' scores of one level into green / yellow / red, with the reason in words.
public struct LevelRule {
    public var style: Style
    public var level: ZoneLevel
    public init(style: Style, level: ZoneLevel) { self.style = style; self.level = level }

    var thresholds: Thresholds { style.thresholds[level]! }

    /// Sets `level` and `reason` of every zone. Quantiles need all zones of the level at once.
    public func assign(_ zones: [ZoneStats]) -> [ZoneStats] {
        let sorted = zones.map(\.score).sorted()
        return zones.map { z in
            var z = z
            let m = measure(z, sortedScores: sorted)
            z.level = riskLevel(measure: m, cases: z.cases)
            z.reason = reason(z, measure: m)
            return z
        }
    }

    /// The number the thresholds are compared with.
    func measure(_ z: ZoneStats, sortedScores: [Double]) -> Double {
        switch thresholds.measure {
        case .score: return z.score
        case .density: return z.areaKm2 > 0 ? z.score / z.areaKm2 : 0
        case .quantile:
            // The share of zones scoring strictly less: tied zones share one rank, the lowest, so a
            // tie never lifts a zone above the others with the same score.
            return sortedScores.isEmpty ? 0 : Double(lowerBound(sortedScores, z.score)) / Double(sortedScores.count)
        }
    }

    /// A zone without cases is green whatever the thresholds say (a quantile of 0 included), and a
    /// zone needs `min_cases_red` cases to be red.
    public func riskLevel(measure m: Double, cases: Int) -> RiskLevel {
        guard cases > 0 else { return .green }
        if m >= thresholds.red && cases >= style.minCasesRed { return .red }
        if m >= thresholds.yellow { return .yellow }
        return .green
    }

    /// "score 23.5 ≥ red 20: 14 cases, 9 噪声".
    func reason(_ z: ZoneStats, measure m: Double) -> String {
        guard z.cases > 0 else { return "no cases in the window" }
        let t = thresholds
        let what = describe(z, measure: m)
        let comparison: String
        switch z.level {
        case .red: comparison = "\(what) ≥ red \(limit(t.red))"
        case .yellow where m >= t.red:
            comparison = "\(what) ≥ red \(limit(t.red)) but \(z.cases) cases < \(style.minCasesRed) needed for red"
        case .yellow: comparison = "\(what) ≥ yellow \(limit(t.yellow))"
        case .green: comparison = "\(what) < yellow \(limit(t.yellow))"
        }
        return comparison + ": " + caseSummary(z)
    }

    /// "score 23.5", "score 23.5 = 4.1/km²", "score 23.5 above 96% of community zones".
    func describe(_ z: ZoneStats, measure m: Double) -> String {
        switch thresholds.measure {
        case .score: "score " + shortNumber(m)
        case .density: "score \(shortNumber(z.score)) = \(shortNumber(m))/km²"
        case .quantile: "score \(shortNumber(z.score)) above \(shortNumber(m * 100))% of \(level.rawValue) zones"
        }
    }

    func limit(_ value: Double) -> String {
        switch thresholds.measure {
        case .score: shortNumber(value)
        case .density: shortNumber(value) + "/km²"
        case .quantile: shortNumber(value * 100) + "%"
        }
    }

    /// "14 cases, 9 噪声": the count and the most frequent category.
    func caseSummary(_ z: ZoneStats) -> String {
        let top = z.categories.max { ($0.value, $1.key) < ($1.value, $0.key) }
        return "\(z.cases) case\(z.cases == 1 ? "" : "s")" + (top.map { ", \($0.value) \($0.key)" } ?? "")
    }
}

/// At most one decimal, none when whole: "23.5", "20".
public func shortNumber(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
}

/// The index of the first element not less than `x`.
func lowerBound(_ sorted: [Double], _ x: Double) -> Int {
    var lo = 0, hi = sorted.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
