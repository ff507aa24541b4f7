import Foundation
import Geometry
import Input
import Model
import Testing
@testable import Risk

/// A district of 5 communities and 40 cases whose statistics were worked out by hand
/// (as-of 2026-11-22, window 10 days, half-life 10 days, weights 噪声 1 / 污水 2 / other 0.5,
/// repeats 3+ at one address × 1.5):
///
/// - Z1: 6 噪声 today at six addresses → 6; 4 污水 5 days old at one address written four ways
///   → 4 × 2 × 0.5^(5/10) × 1.5 = 12√½. Score 6 + 12√½ ≈ 14.485, red.
/// - Z2: 10 "噪声;污水" today → each weighs as 污水: 20, red. Nothing in the previous window: trend +10.
/// - Z3: 8 噪声 10 to 17 days old: all in the previous window. 0 cases, green, trend −8.
/// - Z4: 2 污水 today at 共享路8号 (a third case there in Z5 makes it a repeat) → 2 × 2 × 1.5 = 6 ≥ red 5,
///   but 2 cases < 3: yellow.
/// - Z5: 4 未知 today → 4 × 0.5 = 2; 1 未知 today at 共享路8号 → 0.5 × 1.5 = 0.75; score 2.75 ≥ yellow 2.5;
///   5 cases dated after as-of do not count.
@Suite struct HandComputedDistrictTests {
    static let asOf = Day(year: 2026, month: 11, day: 22)!
    static let half = 0.5.squareRoot()

    static func cases(_ table: inout CategoryTable) -> [ScoringCase] {
        var cases: [ScoringCase] = []
        func add(_ zone: String, _ n: Int, _ category: String, age: Int, address: (Int) -> String) {
            for i in 0..<n {
                cases.append(ScoringCase(day: asOf - age, category: table.id(of: category), address: AddressKey.of(address(i)),
                                         street: "S", community: zone, post: nil))
            }
        }
        add("Z1", 6, "噪声", age: 0) { "梅林路\($0)号" }
        let variants = ["福华路1号", " 福华路１号 ", "福华路 1号。", "福华路1号"]
        add("Z1", 4, "污水", age: 5) { variants[$0] }
        add("Z2", 10, "噪声;污水", age: 0) { "彩田路\($0)号" }
        for i in 0..<8 { add("Z3", 1, "噪声", age: 10 + i) { _ in "景田路\(i)号" } }
        add("Z4", 2, "污水", age: 0) { _ in "共享路8号" }
        add("Z5", 4, "未知", age: 0) { "益田路\($0)号" }
        add("Z5", 1, "未知", age: 0) { _ in "共享路 8 号" }
        add("Z5", 5, "噪声", age: -3) { "未来路\($0)号" }
        return cases
    }

    func score(_ style: Style) -> [String: ZoneStats] {
        var table = CategoryTable(style: style)
        let cases = Self.cases(&table)
        let zones = (1...5).map { Zone(id: "Z\($0)", name: "社区\($0)", parent: "S", level: .community, geometry: MultiPolygon([])) }
        let areas = Dictionary(uniqueKeysWithValues: zones.map { ($0.id, 2.0) })
        let stats = Scorer(style: style, window: Window(asOf: Self.asOf, days: 10))
            .score(level: .community, zones: zones, cases: cases, categories: table.resolved, areas: areas)
        return Dictionary(uniqueKeysWithValues: stats.map { ($0.zone.id, $0) })
    }

    @Test func fortyCases() throws {
        var table = CategoryTable(style: try StyleFixture.load(StyleFixture.small()))
        #expect(Self.cases(&table).count == 40)
    }

    @Test func scoresLevelsAndTrends() throws {
        let s = score(try StyleFixture.load(StyleFixture.small()))
        let expected: [(String, Int, Double, RiskLevel, Int)] = [
            ("Z1", 10, 6 + 12 * Self.half, .red, 10), ("Z2", 10, 20, .red, 10), ("Z3", 0, 0, .green, -8),
            ("Z4", 2, 6, .yellow, 2), ("Z5", 5, 2.75, .yellow, 5),
        ]
        for (id, cases, score, level, trend) in expected {
            let z = try #require(s[id])
            #expect(z.cases == cases, "\(id)")
            #expect(abs(z.score - score) < 1e-9, "\(id): \(z.score) ≠ \(score)")
            #expect(z.level == level, "\(id): \(z.reason)")
            #expect(z.trend == trend, "\(id)")
            #expect(abs(z.density - Double(cases) / 2) < 1e-12)
        }
        #expect(s["Z2"]!.previousCases == 0)
        #expect(s["Z3"]!.previousCases == 8)
    }

    @Test func categoriesAndParts() throws {
        let s = score(try StyleFixture.load(StyleFixture.small()))
        #expect(s["Z1"]!.categories == ["噪声": 6, "污水": 4])
        #expect(s["Z2"]!.categories == ["噪声": 10, "污水": 10])
        #expect(s["Z5"]!.categories == [Style.otherCategory: 5])
        let water = try #require(s["Z1"]!.parts["污水"])
        #expect(water.cases == 4 && water.repeatCases == 4 && water.weight == 2)
        #expect(abs(water.decayed - 8 * Self.half) < 1e-9)
        #expect(abs(water.repeatExtra - 4 * Self.half) < 1e-9)
        #expect(s["Z1"]!.parts["噪声"] == CategoryPart(cases: 6, weight: 1, decayed: 6, repeatCases: 0, repeatExtra: 0))
        // A case naming two categories weighs once, as its heaviest.
        #expect(s["Z2"]!.parts.keys.sorted() == ["污水"])
        #expect(s["Z2"]!.parts["污水"]!.score == 20)
        let sum = s.values.map { $0.parts.values.reduce(0) { $0 + $1.score } }
        #expect(abs(sum.reduce(0, +) - s.values.reduce(0) { $0 + $1.score }) < 1e-9)
    }

    @Test func reasons() throws {
        let s = score(try StyleFixture.load(StyleFixture.small()))
        #expect(s["Z2"]!.reason == "score 20 ≥ red 5: 10 cases, 10 噪声")
        #expect(s["Z1"]!.reason == "score 14.5 ≥ red 5: 10 cases, 6 噪声")
        #expect(s["Z3"]!.reason == "no cases in the window")
        #expect(s["Z4"]!.reason == "score 6 ≥ red 5 but 2 cases < 3 needed for red: 2 cases, 2 污水")
        #expect(s["Z5"]!.reason == "score 2.8 ≥ yellow 2.5: 5 cases, 5 其他")
    }

    @Test func categoryFilterKeepsRepeatsOfAllCases() throws {
        let style = try StyleFixture.load(StyleFixture.small())
        var table = CategoryTable(style: style)
        let cases = Self.cases(&table)
        let zones = ["Z1", "Z4"].map { Zone(id: $0, name: $0, parent: "S", level: .community, geometry: MultiPolygon([])) }
        let stats = Scorer(style: style, window: Window(asOf: Self.asOf, days: 10), only: "污水")
            .score(level: .community, zones: zones, cases: cases, categories: table.resolved, areas: [:])
        #expect(stats[0].cases == 4 && abs(stats[0].score - 12 * Self.half) < 1e-9)
        // 共享路8号 repeats through Z5's 其他 case, which the filter hides but still counts as a repeat.
        #expect(stats[1].cases == 2 && stats[1].score == 6)
    }

    @Test func decayOffWeighsEveryCaseFully() throws {
        let style = try StyleFixture.load(StyleFixture.small().replacingOccurrences(of: "half_life_days = 10", with: "half_life_days = 0"))
        #expect(abs(score(style)["Z1"]!.score - (6 + 12)) < 1e-9)
    }
}
