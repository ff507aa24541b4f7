import Foundation
import Geometry
import Model
import Testing
@testable import Risk
@testable import Store

/// Case counts per zone in time steps, from the per-day counts (`zone_days`), and the history errors.
@Suite struct ZoneSeriesTests {
    static let asOf = Day(year: 2026, month: 11, day: 22)!
    let fixture = CaseStoreTests()

    /// Cases on days asOf − 0 … asOf − 27 (one a day in C1; every other day in C2): four weekly steps.
    func store() throws -> CaseStore {
        let store = try CaseStore(url: fixture.temporary("series.sqlite"), create: true)
        let c1 = (0..<28).map { fixture.located("A\($0)", day: Self.asOf - $0, community: "C1") }
        let c2 = stride(from: 0, to: 28, by: 2).map { fixture.located("B\($0)", day: Self.asOf - $0, community: "C2") }
        // Three more in C2 on the first day of the last step (asOf − 6) and one the day before it.
        let extra = [6, 6, 6, 7].enumerated().map { fixture.located("E\($0.offset)", day: Self.asOf - $0.element, community: "C2") }
        try fixture.save(store, c1 + c2 + extra)
        return store
    }

    @Test func stepsEndAtTheLastDay() throws {
        let s = try store()
        let weekly = try s.zoneSeries(level: .community, last: Self.asOf, stepDays: 7, steps: 4)
        #expect(weekly["C1"] == [7, 7, 7, 7])
        // C2: days 0,2,4,6 | 8,10,12 | … ; extras at asOf−6 (last step) and asOf−7 (the step before).
        #expect(weekly["C2"] == [3, 4, 3 + 1, 4 + 3])
        #expect(try s.zoneSeries(level: .street, last: Self.asOf, stepDays: 7, steps: 4)["S1"] == [10, 11, 11, 14])
        // Two steps of three days ending the day before as-of: days −6…−4 and −3…−1.
        let short = try s.zoneSeries(level: .community, last: Self.asOf - 1, stepDays: 3, steps: 2)
        #expect(short["C1"] == [3, 3] && short["C2"] == [2 + 3, 1])
        #expect(try s.zoneSeries(level: .post, last: Self.asOf, stepDays: 7, steps: 4).isEmpty)
    }

    @Test func historyErrorsNameTheSettings() throws {
        let s = try store()
        #expect(throws: HistoryError.stepTooShort(stepDays: 0)) { try s.zoneSeries(level: .community, last: Self.asOf, stepDays: 0, steps: 4) }
        #expect(throws: HistoryError.tooFewSteps(steps: 1)) { try s.zoneSeries(level: .community, last: Self.asOf, stepDays: 7, steps: 1) }
        do {
            _ = try s.zoneSeries(level: .community, last: Self.asOf, stepDays: 7, steps: 5)
            Issue.record("35 days of steps fit in 28 days of history")
        } catch let e as HistoryError {
            #expect(e.description.contains("step_days") && e.description.contains("steps") && e.description.contains("28 days"))
        }
        #expect(throws: HistoryError.self) { try s.zoneSeries(level: .community, last: Self.asOf, stepDays: 1, steps: Int.max) }
        let empty = try CaseStore(url: fixture.temporary("empty.sqlite"), create: true)
        #expect(throws: HistoryError.self) { try empty.zoneSeries(level: .community, last: Self.asOf, stepDays: 7, steps: 2) }
    }
}
