import Foundation
import Model

/// How one category's cases made up a zone's score (`riskmap stats --explain`).
public struct CategoryPart: Sendable, Equatable {
    /// Cases that weigh as this category (their heaviest).
    public var cases = 0
    /// The weight of one case of the category.
    public var weight = 0.0
    /// Σ weight × decay, before the repeat rule.
    public var decayed = 0.0
    /// Cases at an address seen `repeat.min_cases` or more times in the window.
    public var repeatCases = 0
    /// What the repeat rule added.
    public var repeatExtra = 0.0
    public var score: Double { decayed + repeatExtra }
}

/// The statistics of one zone over the window.
public struct ZoneStats: Sendable {
    public var zone: Zone
    public var cases: Int
    public var score: Double
    public var level: RiskLevel
    /// Category key → cases in the window (a case naming two categories counts in both).
    public var categories: [String: Int]
    public var areaKm2: Double
    /// Cases in the previous window of the same length; `trend` = cases − previousCases.
    public var previousCases = 0
    /// Weighing category → its part of the score.
    public var parts: [String: CategoryPart] = [:]
    /// Why the zone has its level, in one line.
    public var reason = ""
    /// Local Gi* of the zone's density among its level's zones (`ZoneSignificance`); nil until computed.
    public var gi: GiStar?
    /// The permutation pseudo p-value of Gi*, when the style asks for permutations (`[gi] permutations`).
    public var giPseudoP: Double?
    /// The emerging hot spot category, when a database's history was analysed.
    public var emerging: EmergingCategory?

    public var trend: Int { cases - previousCases }
    /// Cases per km²; 0 for a zone without area.
    public var density: Double { areaKm2 > 0 ? Double(cases) / areaKm2 : 0 }
}

/// Scores the zones from the cases: each case in the window adds its category weight, decayed by its
/// age, times (1 + extra) when its address repeats; the level follows from the style's thresholds.
public struct Scorer: Sendable {
    public var style: Style
    public var window: Window
    /// When set, only cases that carry this category key count (`stats --category`); repeats are still
    /// counted over every case, since an address's complaints are a fact whatever their category.
    public var only: String?
    public init(style: Style, window: Window, only: String? = nil) {
        self.style = style; self.window = window; self.only = only
    }

    /// One level's zones. Cases outside the window and the previous window are ignored.
    /// `repeats`: `repeatedAddresses(cases)` when the caller has it already.
    public func score(level: ZoneLevel, zones: [Zone], cases: [ScoringCase], categories: [ResolvedCategory],
                      areas: [String: Double], repeats known: Set<UInt64>? = nil,
                      previous previousCounts: [String: Int]? = nil) -> [ZoneStats] {
        let repeats = known ?? repeatedAddresses(cases)
        let (rank, ranked) = canonicalRanks(categories)
        var tallies: [String: Tally] = [:]
        let previous = window.previous
        for c in cases {
            guard let id = c.zone(level) else { continue }
            if let only, !categories[c.category].keys.contains(only) { continue }
            if window.contains(c.day) {
                tallies[id, default: Tally()].counts[TallyKey(category: rank[c.category], day: c.day.ordinal,
                                                              repeated: repeats.contains(c.address)), default: 0] += 1
            } else if previous.contains(c.day) {
                tallies[id, default: Tally()].previousCases += 1
            }
        }
        let stats = zones.map { zone in
            var t = (tallies[zone.id] ?? Tally()).summed(categories: ranked, decay: decay, extra: style.repeatRule.extra)
            if let previousCounts { t.previousCases = previousCounts[zone.id] ?? 0 }
            return ZoneStats(zone: zone, cases: t.cases, score: t.score, level: .green, categories: t.categories,
                             areaKm2: areas[zone.id] ?? 0, previousCases: t.previousCases, parts: t.parts)
        }
        return LevelRule(style: style, level: level).assign(stats)
    }

    /// Each category table index's rank among the distinct resolutions, in one order that does not
    /// depend on the order texts were first seen (a table built from a file or from the database), and
    /// the resolution of each rank. Texts that resolve alike share a rank: they score alike.
    func canonicalRanks(_ categories: [ResolvedCategory]) -> (rank: [Int], ranked: [ResolvedCategory]) {
        func sortKey(_ c: ResolvedCategory) -> String { "\(c.weighing)\u{1}\(c.keys.joined(separator: "\u{2}"))\u{1}\(c.weight)" }
        let distinct = Dictionary(categories.map { (sortKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let order = distinct.keys.sorted()
        let rankOf = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return (categories.map { rankOf[sortKey($0)]! }, order.map { distinct[$0]! })
    }

    /// 0.5^(age / half-life), age in days before as-of; 1 without a half-life.
    public func decay(_ day: Day) -> Double {
        guard style.halfLifeDays > 0 else { return 1 }
        return pow(0.5, Double(window.asOf.ordinal - day.ordinal) / style.halfLifeDays)
    }

    /// The addresses with `repeat.min_cases` or more cases in the window.
    public func repeatedAddresses(_ cases: [ScoringCase]) -> Set<UInt64> {
        var counts: [UInt64: Int] = [:]
        for c in cases where c.address != 0 && window.contains(c.day) { counts[c.address, default: 0] += 1 }
        return Set(counts.filter { $0.value >= style.repeatRule.minCases }.keys)
    }
}

/// The cases of one zone in the window, counted by (category, day, repeated).
///
/// Why counts and not running sums: Float sums depend on the order of their terms, and a run sees its
/// cases in file order while a run on `--db` reads them from the database in another. Counting first
/// and summing in one fixed order (`summed`) gives every zone the same score to the last bit either way,
/// so a daily run on the database publishes exactly the map a full run would.
private struct TallyKey: Hashable, Comparable {
    var category: Int, day: Int, repeated: Bool
    static func < (a: TallyKey, b: TallyKey) -> Bool {
        (a.category, a.day, a.repeated ? 1 : 0) < (b.category, b.day, b.repeated ? 1 : 0)
    }
}

private struct Tally {
    var counts: [TallyKey: Int] = [:]
    var previousCases = 0
    // Filled by `summed`.
    var cases = 0
    var score = 0.0
    var categories: [String: Int] = [:]
    var parts: [String: CategoryPart] = [:]

    func summed(categories table: [ResolvedCategory], decay: (Day) -> Double, extra: Double) -> Tally {
        var t = Tally(previousCases: previousCases)
        for key in counts.keys.sorted() {
            let n = counts[key]!, category = table[key.category]
            t.cases += n
            for k in category.keys { t.categories[k, default: 0] += n }
            var part = t.parts[category.weighing] ?? CategoryPart()
            let decayed = category.weight * decay(Day(ordinal: key.day)) * Double(n)
            part.cases += n
            part.weight = category.weight
            part.decayed += decayed
            if key.repeated {
                part.repeatCases += n
                part.repeatExtra += decayed * extra
            }
            t.parts[category.weighing] = part
            t.score += decayed * (key.repeated ? 1 + extra : 1)
        }
        return t
    }
}
