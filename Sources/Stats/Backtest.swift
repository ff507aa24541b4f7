import Foundation
import Output

// The measures of `riskmap evaluate`: did the zones a map flagged on day D get the cases of the next
// period (D, D + horizon]? Summed over the days, per level, for the style's red zones and for a naive
// baseline. The standard measures of predictive crime mapping:
//
// - hit rate: Σ next-period cases in flagged zones / Σ next-period cases located at the level.
// - area share: Σ flagged area / Σ area of the level's zones.
// - PAI, the Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008): hit rate / area share. 1 is
//   what flagging zones at random would get; higher is better. 0 when nothing was flagged (area
//   share 0), where the ratio has no meaning.
// - PEI*, the Predictive Efficiency Index as Hunt (2016) revised it: hits / the most hits any choice
//   of the same area could have got. The best choice of a day takes the zones with the most
//   next-period cases per km² first until their area equals the flagged area (the last zone pro rata:
//   its cases count in proportion to the part of its area taken). So 0 ≤ PEI* ≤ 1, and 1 means no
//   map of that size could have done better. 0 when the best possible is 0 (nothing flagged, or no
//   next-period case).
//
// Every sum runs over all days before the ratios are taken (a day with many cases weighs more than a
// quiet one), in day order, so that the figures do not depend on how the days were spread over cores.

/// What one map flagged on one day, and what the next period brought.
public struct DayOutcome: Sendable, Equatable {
    /// Zones flagged.
    public var flagged = 0
    /// Next-period cases located in flagged zones.
    public var hits = 0
    /// Next-period cases located at the level.
    public var nextCases = 0
    public var flaggedArea = 0.0
    public var totalArea = 0.0
    /// The most next-period cases an area of `flaggedArea` km² could have held (see PEI* above).
    public var bestHits = 0.0
}

/// The sums of a map's day outcomes, and the measures taken from them.
public struct BacktestTally: Sendable, Equatable {
    public var days = 0
    public var flagged = 0
    public var hits = 0
    public var nextCases = 0
    public var flaggedArea = 0.0
    public var totalArea = 0.0
    public var bestHits = 0.0
    public init() {}

    public mutating func add(_ d: DayOutcome) {
        days += 1; flagged += d.flagged; hits += d.hits; nextCases += d.nextCases
        flaggedArea += d.flaggedArea; totalArea += d.totalArea; bestHits += d.bestHits
    }

    public var measures: BacktestDocument.Measures {
        let hitRate = nextCases > 0 ? Double(hits) / Double(nextCases) : 0
        let areaShare = totalArea > 0 ? flaggedArea / totalArea : 0
        // The best choice holds at least the flagged zones' hits; `min` only absorbs the rounding of the
        // two area sums, added in different orders.
        let pei = bestHits > 0 ? min(1, Double(hits) / bestHits) : 0
        return BacktestDocument.Measures(pai: areaShare > 0 ? hitRate / areaShare : 0, peiStar: pei, hitRate: hitRate,
                                         areaShare: areaShare, days: days, redZones: days > 0 ? Double(flagged) / Double(days) : 0,
                                         nextCases: nextCases, hits: hits)
    }
}

public enum Backtest {
    /// One day of one map: `flagged` zone indices, `next` the next-period cases per zone, `areas` in km².
    public static func outcome(flagged: [Int], next: [Int], areas: [Double]) -> DayOutcome {
        var d = DayOutcome()
        d.flagged = flagged.count
        d.hits = flagged.reduce(0) { $0 + next[$1] }
        d.nextCases = next.reduce(0, +)
        d.flaggedArea = flagged.reduce(0) { $0 + areas[$1] }
        d.totalArea = areas.reduce(0, +)
        d.bestHits = bestHits(area: d.flaggedArea, next: next, areas: areas)
        return d
    }

    /// The most next-period cases zones of `area` km² in all could hold: zones by cases per km², densest
    /// first, the last one pro rata. Zones without area but with cases cost nothing and come first.
    public static func bestHits(area capacity: Double, next: [Int], areas: [Double]) -> Double {
        guard capacity > 0 else { return Double(zip(next, areas).filter { $0.1 <= 0 }.reduce(0) { $0 + $1.0 }) }
        let order = next.indices.filter { next[$0] > 0 }.sorted { a, b in
            density(next[a], areas[a]) > density(next[b], areas[b])
        }
        var left = capacity, best = 0.0
        for z in order {
            let area = max(0, areas[z])
            // Relative slack: the flagged area was summed in another order than this one.
            if area <= left * (1 + 1e-12) {
                best += Double(next[z]); left -= area
            } else {
                best += Double(next[z]) * left / area
                break
            }
        }
        return best
    }

    static func density(_ cases: Int, _ area: Double) -> Double { area > 0 ? Double(cases) / area : .infinity }

    /// The naive baseline's zones of a day: the `count` zones with the most cases in the window that
    /// ends that day (ties: the smaller id).
    public static func baseline(count: Int, windowCases: [Int], ids: [String]) -> [Int] {
        Array(windowCases.indices.sorted { a, b in
            windowCases[a] != windowCases[b] ? windowCases[a] > windowCases[b] : ids[a] < ids[b]
        }.prefix(count))
    }
}
