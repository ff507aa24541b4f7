import Foundation
import Support

/// An Emerging Hot Spot category (ArcGIS Pro's Emerging Hot Spot Analysis); README "Emerging hot spots"
/// states each rule.
public enum EmergingCategory: String, Codable, CaseIterable, Sendable {
    case newHot = "new-hot", consecutiveHot = "consecutive-hot", intensifyingHot = "intensifying-hot"
    case persistentHot = "persistent-hot", diminishingHot = "diminishing-hot", sporadicHot = "sporadic-hot"
    case oscillatingHot = "oscillating-hot", historicalHot = "historical-hot"
    case newCold = "new-cold", consecutiveCold = "consecutive-cold", intensifyingCold = "intensifying-cold"
    case persistentCold = "persistent-cold", diminishingCold = "diminishing-cold", sporadicCold = "sporadic-cold"
    case oscillatingCold = "oscillating-cold", historicalCold = "historical-cold"
    case none
}

/// One location's emerging hot spot analysis: its category and what it was decided from.
public struct EmergingResult: Sendable, Equatable {
    public var category: EmergingCategory
    /// Steps that were significant hot (cold) bins.
    public var hotSteps: Int
    public var coldSteps: Int
    /// Mann–Kendall trend of the Gi* z-scores, oldest first.
    public var trend: MannKendallResult
}

/// Emerging hot spots: Gi* per time step, a Mann–Kendall trend of each location's z-scores, and ArcGIS's
/// categories. A step is a significant hot (cold) bin when its Gi* class is hot (cold) at 90 % or more
/// after the Benjamini–Hochberg cut of that step (`GetisOrd.giStar`); a trend is significant at
/// p < 0.05 (`MannKendall.test`'s default).
public enum EmergingHotSpots {
    /// ArcGIS's "90 percent of the time-step intervals".
    static func mostly(_ count: Int, of n: Int) -> Bool { 10 * count >= 9 * n }

    /// The category of one location from its Gi* per step (oldest first) and the trend of their z-scores.
    /// Hot rules are tried when the last step is hot, cold rules when it is cold (the same rules with hot
    /// and cold swapped, "increasing" meaning colder); when the last step is neither, only the
    /// historical categories can apply.
    public static func classify(_ steps: [GiStar], trend: MannKendallResult) -> EmergingCategory {
        guard let last = steps.last else { return .none }
        let hot = steps.map { $0.giClass.isHot }, cold = steps.map { $0.giClass.isCold }
        if last.giClass.isHot { return rules(hot, opposite: cold, stronger: trend.trend == .increasing,
                                             weaker: trend.trend == .decreasing, hot: true) }
        if last.giClass.isCold { return rules(cold, opposite: hot, stronger: trend.trend == .decreasing,
                                              weaker: trend.trend == .increasing, hot: false) }
        let n = steps.count
        if mostly(hot.filter { $0 }.count, of: n) { return .historicalHot }
        if mostly(cold.filter { $0 }.count, of: n) { return .historicalCold }
        return .none
    }

    /// The rules for a location whose last step is a significant bin of the kind `same` marks (hot or
    /// cold); `stronger`/`weaker`: the trend is significant towards/away from that kind.
    static func rules(_ same: [Bool], opposite: [Bool], stronger: Bool, weaker: Bool, hot: Bool) -> EmergingCategory {
        let n = same.count
        let count = same.filter { $0 }.count
        if mostly(count, of: n) {
            if stronger { return hot ? .intensifyingHot : .intensifyingCold }
            if weaker { return hot ? .diminishingHot : .diminishingCold }
            return hot ? .persistentHot : .persistentCold
        }
        // A significant bin of the other kind in the past: oscillating, whatever else.
        if opposite.contains(true) { return hot ? .oscillatingHot : .oscillatingCold }
        // The final run of bins of this kind, and whether any came before it.
        let run = same.reversed().prefix { $0 }.count
        let before = same.dropLast(run).contains(true)
        if !before && run == 1 { return hot ? .newHot : .newCold }
        if !before && run >= 2 { return hot ? .consecutiveHot : .consecutiveCold }
        return hot ? .sporadicHot : .sporadicCold
    }

    /// Categories of every location from case counts per step: density (count ÷ area; 0 where the area
    /// is not positive) → Gi* per step over `weights` → Mann–Kendall of each location's z-series →
    /// `classify`.
    public static func analyse(counts: [[Int]], areasKm2: [Double], weights: SpatialWeights) -> [EmergingCategory] {
        details(counts: counts, areasKm2: areasKm2, weights: weights).map(\.category)
    }

    /// `analyse` with the counts of hot and cold steps and the trend of each location.
    public static func details(counts: [[Int]], areasKm2: [Double], weights: SpatialWeights) -> [EmergingResult] {
        let n = counts.count
        precondition(areasKm2.count == n && weights.count == n, "one count series, area and weights row per location")
        let steps = counts.map(\.count).max() ?? 0
        guard n > 0, steps > 0 else { return Array(repeating: EmergingResult(category: .none, hotSteps: 0, coldSteps: 0,
                                                                            trend: MannKendall.test([])), count: n) }
        // Gi* of each step (a time slice) on all cores: [step][location].
        let slices = parallelMap(steps) { t in
            GetisOrd.giStar((0..<n).map { i in
                let count = t < counts[i].count ? counts[i][t] : 0
                return areasKm2[i] > 0 && areasKm2[i].isFinite ? Double(count) / areasKm2[i] : 0
            }, weights: weights)
        }
        return (try? parallelFill(n, parts: GetisOrd.parts(n * steps / 16),
                                  initial: EmergingResult(category: .none, hotSteps: 0, coldSteps: 0, trend: MannKendall.test([]))) { range, out in
            for i in range {
                let series = slices.map { $0[i] }
                let trend = MannKendall.test(series.map(\.z))
                out[i] = EmergingResult(category: classify(series, trend: trend),
                                        hotSteps: series.filter { $0.giClass.isHot }.count,
                                        coldSteps: series.filter { $0.giClass.isCold }.count, trend: trend)
            }
        }) ?? []
    }
}
