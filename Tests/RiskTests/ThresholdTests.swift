import Foundation
import Geometry
import Input
import Model
import Testing
@testable import Risk

@Suite struct ThresholdTests {
    func zone(_ id: String, score: Double, cases: Int, area: Double = 1) -> ZoneStats {
        ZoneStats(zone: Zone(id: id, name: id, parent: nil, level: .community, geometry: MultiPolygon([])),
                  cases: cases, score: score, level: .green, categories: ["噪声": cases], areaKm2: area)
    }

    /// Scores 0, 2, 2, 2, 5: the tied zones share the rank of the lowest of them (1 of 5 below: 0.2),
    /// so they all get the same colour, and only the top zone has 4 of 5 below it (0.8).
    @Test func quantilesWithTies() throws {
        let rule = LevelRule(style: try StyleFixture.load(StyleFixture.small(by: "quantile", yellow: 0.2, red: 0.8)), level: .community)
        let zones = rule.assign([zone("A", score: 0, cases: 0), zone("B", score: 2, cases: 2), zone("C", score: 2, cases: 2),
                                 zone("D", score: 2, cases: 2), zone("E", score: 5, cases: 5)])
        #expect(zones.map(\.level) == [.green, .yellow, .yellow, .yellow, .red])
        #expect(zones[4].reason == "score 5 above 80% of community zones ≥ red 80%: 5 cases, 5 噪声")
        #expect(zones[1].reason == "score 2 above 20% of community zones ≥ yellow 20%: 2 cases, 2 噪声")
    }

    /// When every zone ties, none is above any other: all green, even with a quantile of 0 for yellow
    /// a zone without cases stays green.
    @Test func allTiedAndEmptyZonesStayGreen() throws {
        let rule = LevelRule(style: try StyleFixture.load(StyleFixture.small(by: "quantile", yellow: 0, red: 0.5)), level: .community)
        let zones = rule.assign([zone("A", score: 0, cases: 0), zone("B", score: 0, cases: 0)])
        #expect(zones.allSatisfy { $0.level == .green })
        let tied = LevelRule(style: try StyleFixture.load(StyleFixture.small(by: "quantile", yellow: 0.1, red: 0.5)), level: .community)
            .assign([zone("A", score: 3, cases: 3), zone("B", score: 3, cases: 3)])
        #expect(tied.allSatisfy { $0.level == .green })
    }

    @Test func densityPerSquareKilometre() throws {
        let rule = LevelRule(style: try StyleFixture.load(StyleFixture.small(by: "density", yellow: 2, red: 4)), level: .community)
        let zones = rule.assign([zone("small", score: 3, cases: 3, area: 0.5), zone("large", score: 3, cases: 3, area: 3)])
        #expect(zones.map(\.level) == [.red, .green])
        #expect(zones[0].reason == "score 3 = 6/km² ≥ red 4/km²: 3 cases, 3 噪声")
    }

    /// With the default style one case never makes a zone red, however heavy; a zone without cases is green.
    @Test func defaultStyleNeedsMoreThanOneCaseForRed() throws {
        let style = try Style(url: StyleFixture.defaultStyle)
        #expect(style.minCasesRed >= 2)
        for level in ZoneLevel.allCases {
            let rule = LevelRule(style: style, level: level)
            #expect(rule.riskLevel(measure: 1e9, cases: 1) != .red)
            #expect(rule.riskLevel(measure: 1e9, cases: 0) == .green)
        }
    }
}
