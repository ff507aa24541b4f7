import Foundation
import Model
import Testing
@testable import Input

@Suite struct DateParsingTests {
    private func parsed(_ s: String) -> CaseDate? { try? DateParsing.parse(s).get() }
    private func detail(_ s: String) -> String? {
        if case .failure(let e) = DateParsing.parse(s) { return e.detail }
        return nil
    }
    private let nov23 = Day(year: 2026, month: 11, day: 23)!

    @Test(arguments: [
        ("2026-11-23", nil),
        ("2026-11-23 08:30", "08:30"),
        ("2026-11-23 08:30:00", "08:30:00"),
        ("2026/11/23 8:30", "08:30"),
        ("2026/11/23  8:30:05", "08:30:05"),
        ("2026-11-23T08:30:00+08:00", "08:30:00"),
        ("2026-11-23T08:30:00Z", "08:30:00"),
        ("2026-11-23T08:30:00.123Z", "08:30:00"),
        ("2026-11-23T08:30:00.5+0800", "08:30:00"),
        ("2026-11-23T08:30-05:00", "08:30"),
        ("2026-11-23 00:00:00.0", "00:00:00"),
        ("2026.11.23", nil),
        ("2026年11月23日", nil),
        ("2026年11月23日 8:30", "08:30"),
    ] as [(String, String?)])
    func acceptedForms(text: String, time: String?) {
        #expect(parsed(text) == CaseDate(day: nov23, time: time), "\(text)")
    }

    @Test func shortMonthAndDay() {
        #expect(parsed("2026/1/5") == CaseDate(day: Day(year: 2026, month: 1, day: 5)!))
        #expect(parsed("2026-1-5") == CaseDate(day: Day(year: 2026, month: 1, day: 5)!))
    }

    /// The day is the one written, whatever the zone: late evening UTC stays on its own day.
    @Test func zoneNeverMovesTheDay() {
        #expect(parsed("2026-11-23T23:30:00-10:00")?.day == nov23)
        #expect(parsed("2026-11-23T00:10:00+14:00")?.day == nov23)
        #expect(parsed("2026-11-23T23:59:59Z")?.day == nov23)
    }

    /// A day's text, every 97th day of years 1–9999 and their ends: as C's "%04d-%02d-%02d" writes its
    /// components, and from 1583 (Foundation's calendar is Julian before the Gregorian reform) as
    /// Foundation's ISO 8601 formatter writes the same instant; read back, the same day.
    @Test func aDayIsWrittenAsYearMonthDay() throws {
        let first = try #require(Day(year: 1, month: 1, day: 1)), last = try #require(Day(year: 9999, month: 12, day: 31))
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone(identifier: "UTC")
        iso.formatOptions = [.withFullDate]
        let reform = try #require(Day(year: 1583, month: 1, day: 1))
        for ordinal in Array(stride(from: first.ordinal, through: last.ordinal, by: 97)) + [first.ordinal, last.ordinal, 0, -1] {
            let day = Day(ordinal: ordinal), c = day.components
            #expect(day.description == String(format: "%04d-%02d-%02d", c.year, c.month, c.day))
            if ordinal >= reform.ordinal {
                #expect(day.description == iso.string(from: Date(timeIntervalSince1970: Double(ordinal) * 86_400)))
            }
            #expect(Day(iso: day.description) == day)
        }
        #expect(Day(ordinal: last.ordinal + 1).description == "10000-01-01", "beyond 9999: C's formatting")
        #expect(Day(ordinal: 0).description == "1970-01-01")
    }

    @Test func impossibleDates() {
        #expect(detail("2026-02-30")?.contains("day 30 does not exist in 2026-02") == true)
        #expect(detail("2026-13-01")?.hasPrefix("month 13") == true)
        #expect(detail("2026-00-10")?.hasPrefix("month 0") == true)
        #expect(detail("2026-11-23 25:00")?.hasPrefix("hour 25") == true)
        #expect(detail("2026-11-23 08:60")?.hasPrefix("minute 60") == true)
        #expect(detail("2026-11-23 08:30:61")?.hasPrefix("second 61") == true)
        #expect(parsed("2024-02-29") != nil, "leap day exists in 2024")
        #expect(detail("2100-02-29") != nil, "2100 is not a leap year")
    }

    @Test(arguments: ["yesterday", "23/11/2026", "2026-11", "2026-11-23T", "2026-11-23 8", "2026-11/23",
                      "26-11-23", "2026-11-23 08:30 +25:00", "2026-11-23x", "20261123", "2026-111-23", "46349"])
    func unreadable(text: String) {
        #expect(detail(text)?.hasPrefix("unreadable date '\(text)'") == true, "\(text)")
    }
}
