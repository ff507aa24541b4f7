import Foundation
import Model
import Testing
@testable import Risk

/// The `[gi]` and `[emerging]` tables: defaults, values read, and bad values refused with the key named.
@Suite struct StatisticsStyleTests {
    /// `tables` after the small style's last table, or before its first one with `atTop` (a top-level key).
    func expectError(_ tables: String, atTop: Bool = false, mentions: [String]) {
        do {
            _ = try StyleFixture.load(atTop ? tables + "\n" + StyleFixture.small() : StyleFixture.small() + "\n" + tables + "\n")
            Issue.record("no error for \(tables)")
        } catch let e as InputError {
            for m in mentions { #expect(e.description.contains(m), "\(e) should mention \(m)") }
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func defaultsWithoutTheTables() throws {
        let style = try StyleFixture.load(StyleFixture.small())
        #expect(style.gi == GiStyle() && style.gi.weights == .queen && style.gi.permutations == 0)
        #expect(style.emerging == EmergingStyle(stepDays: 7, steps: 12))
        let builtIn = try Style.builtIn()
        #expect(builtIn.gi == GiStyle() && builtIn.emerging == EmergingStyle())
    }

    @Test func valuesAreRead() throws {
        let style = try StyleFixture.load(StyleFixture.small() + """

            [gi]
            weights = "distance"
            distance_m = 750
            permutations = 999
            seed = 42
            [emerging]
            step_days = 14
            steps = 26

            """)
        #expect(style.gi.weights == .distance(metres: 750) && style.gi.permutations == 999 && style.gi.seed == 42)
        #expect(style.emerging == EmergingStyle(stepDays: 14, steps: 26))
    }

    @Test func badValuesNameTheKey() {
        expectError("[gi]\nweights = \"rook\"", mentions: ["gi.weights", "\"queen\" or \"distance\""])
        expectError("[gi]\nweights = 3", mentions: ["gi.weights", "text"])
        expectError("[gi]\nweights = \"distance\"", mentions: ["gi.distance_m", "missing"])
        expectError("[gi]\nweights = \"distance\"\ndistance_m = 0", mentions: ["gi.distance_m", "metres"])
        expectError("[gi]\nweights = \"distance\"\ndistance_m = nan", mentions: ["gi.distance_m"])
        expectError("[gi]\npermutations = -1", mentions: ["gi.permutations", "0...99999"])
        expectError("[gi]\npermutations = 9.5", mentions: ["gi.permutations", "whole number"])
        expectError("[gi]\nseed = -3", mentions: ["gi.seed"])
        expectError("[gi]\npermutation = 99", mentions: ["gi.permutation", "unknown key"])
        expectError("gi = 3", atTop: true, mentions: ["'gi'", "table"])
        expectError("[emerging]\nstep_days = 0", mentions: ["emerging.step_days", "1...366"])
        expectError("[emerging]\nsteps = 1", mentions: ["emerging.steps", "2...1000"])
        expectError("[emerging]\nsteps = \"12\"", mentions: ["emerging.steps", "whole number"])
        expectError("[emerging]\nweeks = 12", mentions: ["emerging.weeks", "unknown key"])
    }
}
