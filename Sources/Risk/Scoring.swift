import Foundation
import Input

/// The statistics of one zone over the window.
public struct ZoneStats: Sendable {
    public var zone: Zone
    public var cases: Int
    public var score: Double
    public var level: RiskLevel
    /// Category key → cases in the window.
    public var categories: [String: Int]
    public var areaKm2: Double
}

/// The days that count: (asOf − days, asOf].
public struct Window: Sendable, Equatable {
    public var asOf: Day
    public var days: Int
    public init(asOf: Day, days: Int) { self.asOf = asOf; self.days = days }
    public func contains(_ day: Day) -> Bool { day <= asOf && day > asOf - days }
}

/// Scores every zone of every level from the located cases.
public struct Scorer {
    public var style: Style
    public var window: Window
    public init(style: Style, window: Window) { self.style = style; self.window = window }

    /// - Parameter areas: zone id → area in km², per level.
    public func score(cases: [LocatedCase], boundaries: Boundaries,
                      areas: [ZoneLevel: [String: Double]]) -> [ZoneLevel: [ZoneStats]] {
        var tallies: [ZoneLevel: [String: Tally]] = [:]
        for c in cases where window.contains(c.record.day) {
            let keys = style.categoryKeys(of: c.record.category)
            let weight = style.weight(ofCategories: keys)
            for level in ZoneLevel.allCases {
                guard let id = c.zone(level) else { continue }
                tallies[level, default: [:]][id, default: Tally()].add(keys: keys, weight: weight)
            }
        }
        var result: [ZoneLevel: [ZoneStats]] = [:]
        for level in ZoneLevel.allCases {
            result[level] = boundaries.zones(level).map { zone in
                let t = tallies[level]?[zone.id] ?? Tally()
                return ZoneStats(zone: zone, cases: t.cases, score: t.score,
                                 level: riskLevel(score: t.score, cases: t.cases, level: level),
                                 categories: t.categories, areaKm2: areas[level]?[zone.id] ?? 0)
            }
        }
        return result
    }

    public func riskLevel(score: Double, cases: Int, level: ZoneLevel) -> RiskLevel {
        let t = style.thresholds[level]!
        if score >= t.red && cases >= style.minCasesRed && cases > 0 { return .red }
        if score >= t.yellow && cases > 0 { return .yellow }
        return .green
    }
}

private struct Tally {
    var cases = 0
    var score = 0.0
    var categories: [String: Int] = [:]
    mutating func add(keys: [String], weight: Double) {
        cases += 1
        score += weight
        for k in keys { categories[k, default: 0] += 1 }
    }
}
