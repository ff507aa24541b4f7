import Foundation
import Model
import Testing
@testable import Risk

/// The style's optional `[repeats]` table (issue 15, item 4): defaults without it, the values given,
/// and an error naming `repeats.KEY` for a bad one.
@Suite struct RepeatsStyleTests {
    @Test func defaultsAndValues() throws {
        #expect(try StyleFixture.load(StyleFixture.small()).repeats == RepeatsRule(minCases: 3, withinMetres: 50))
        #expect(try Style.builtIn().repeats == RepeatsRule(minCases: 3, withinMetres: 50))
        let given = try StyleFixture.load(StyleFixture.small() + "\n[repeats]\nmin_cases = 5\nwithin_m = 25.5\n")
        #expect(given.repeats == RepeatsRule(minCases: 5, withinMetres: 25.5))
    }

    @Test(arguments: [("min_cases = 1", "repeats.min_cases"), ("min_cases = 2.5", "repeats.min_cases"),
                      ("within_m = 0", "repeats.within_m"), ("within_m = \"near\"", "repeats.within_m"),
                      ("within_m = nan", "repeats.within_m"), ("within_m = 20000", "repeats.within_m")])
    func badValuesNameTheKey(_ line: String, _ key: String) {
        do {
            _ = try StyleFixture.load(StyleFixture.small() + "\n[repeats]\n\(line)\n")
            Issue.record("no error for \(line)")
        } catch let e as InputError {
            #expect(e.description.contains(key), "\(e)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func notATable() {
        #expect(throws: InputError.self) { try StyleFixture.load("repeats = 3\n" + StyleFixture.small()) }
    }
}
