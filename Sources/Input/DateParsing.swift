import Model

/// A `received_at` cell, read: the calendar day as written and the time of day if one was given.
public struct CaseDate: Sendable, Hashable {
    public var day: Day
    /// `HH:MM` or `HH:MM:SS`, zero-padded; nil for a date without time.
    public var time: String?
    public init(day: Day, time: String? = nil) { self.day = day; self.time = time }
}

/// Why a date cell could not be read; `detail` is meant for the `rejects.csv` reader.
public struct DateParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var detail: String
    public var description: String { detail }
}

/// Reads the date forms hotline exports use:
/// `2026-11-23`, `2026-11-23 08:30`, `2026-11-23 08:30:00`, `2026/11/23 8:30`, `2026/1/5`, `2026.1.5`,
/// `2026年11月23日`, and ISO 8601 `2026-11-23T08:30:00[.123](Z|+08:00|+0800|+08)`.
///
/// The day is the calendar day as written: a zone suffix is checked for form but never shifts the day,
/// because the hotline wrote the local day the complaint came in and that is the day it counts for.
/// Digits must be ASCII: callers NFKC-normalise full-width text first (`CaseCells.normalised`).
public enum DateParsing {
    public static func parse(_ text: String) -> Result<CaseDate, DateParseError> {
        var copy = text
        return copy.withUTF8 { parse(Scanner($0), text: text) }
    }

    private static func parse(_ scanner: Scanner, text: String) -> Result<CaseDate, DateParseError> {
        var s = scanner
        let fail = { DateParseError(detail: "unreadable date '\(text)' (expected YYYY-MM-DD [HH:MM[:SS]])") }
        guard let (year, month, dayOfMonth) = s.date() else { return .failure(fail()) }
        guard (1...12).contains(month) else { return .failure(DateParseError(detail: "month \(month) in '\(text)'")) }
        guard let day = Day(year: year, month: month, day: dayOfMonth) else {
            let length = Day.daysIn(month: month, year: year)
            return .failure(DateParseError(detail: "day \(dayOfMonth) does not exist in \(year)-\(pad2(month)) "
                + "(it has \(length) days) in '\(text)'"))
        }
        if s.atEnd { return .success(CaseDate(day: day)) }
        guard s.timeSeparator(), let (h, m, sec) = s.time(), s.zone(), s.atEnd else { return .failure(fail()) }
        if h > 23 { return .failure(DateParseError(detail: "hour \(h) in '\(text)'")) }
        if m > 59 { return .failure(DateParseError(detail: "minute \(m) in '\(text)'")) }
        if let sec, sec > 59 { return .failure(DateParseError(detail: "second \(sec) in '\(text)'")) }
        let time = "\(pad2(h)):\(pad2(m))" + (sec.map { ":\(pad2($0))" } ?? "")
        return .success(CaseDate(day: day, time: time))
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

/// A cursor over the UTF-8 bytes of one date cell.
private struct Scanner {
    static let nian: [UInt8] = Array("年".utf8), yue: [UInt8] = Array("月".utf8)
    static let ri: [UInt8] = Array("日".utf8), hao: [UInt8] = Array("号".utf8)
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    var atEnd: Bool { i == b.count }

    /// Year (4 digits), separator, month (1–2), the same kind of separator, day (1–2).
    mutating func date() -> (Int, Int, Int)? {
        guard let y = digits(4...4) else { return nil }
        var chinese = false
        let sep: UInt8
        if skip(Scanner.nian) { chinese = true; sep = 0 } else {
            guard i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "/") || b[i] == UInt8(ascii: ".")
            else { return nil }
            sep = b[i]; i += 1
        }
        guard let m = digits(1...2) else { return nil }
        if chinese { guard skip(Scanner.yue) else { return nil } } else {
            guard i < b.count, b[i] == sep else { return nil }
            i += 1
        }
        guard let d = digits(1...2) else { return nil }
        if chinese, !skip(Scanner.ri) { _ = skip(Scanner.hao) }
        return (y, m, d)
    }

    /// `T`, or one or more spaces, between date and time.
    mutating func timeSeparator() -> Bool {
        if i < b.count, b[i] == UInt8(ascii: "T") { i += 1; return true }
        let start = i
        while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
        return i > start
    }

    /// `H:MM`, `HH:MM`, optionally `:SS` and a fraction `.123` (or `,123`) that is ignored.
    mutating func time() -> (Int, Int, Int?)? {
        guard let h = digits(1...2), skip(":"), let m = digits(2...2) else { return nil }
        guard skip(":") else { return (h, m, nil) }
        guard let s = digits(2...2) else { return nil }
        if skip(".") || skip(",") { guard digits(1...9) != nil else { return nil } }
        return (h, m, s)
    }

    /// Nothing, `Z`, or `±HH`, `±HHMM`, `±HH:MM` with a plausible offset.
    mutating func zone() -> Bool {
        guard i < b.count else { return true }
        if b[i] == UInt8(ascii: "Z") { i += 1; return true }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard let h = digits(2...2, greedy: false), h <= 14 else { return false }
        _ = skip(":")
        if atEnd { return true }
        guard let m = digits(2...2), m <= 59 else { return false }
        return true
    }

    /// A run of ASCII digits whose length is in `length`, as an Int. A longer run fails, unless not
    /// `greedy`: then reading stops at the longest allowed length (`+0800` is hours then minutes).
    mutating func digits(_ length: ClosedRange<Int>, greedy: Bool = true) -> Int? {
        var n = 0, count = 0
        let limit = greedy ? length.upperBound + 1 : length.upperBound
        while i < b.count, (48...57).contains(b[i]), count < limit {
            n = n * 10 + Int(b[i] - 48); i += 1; count += 1
        }
        return length.contains(count) ? n : nil
    }

    mutating func skip(_ c: Unicode.Scalar) -> Bool {
        guard i < b.count, b[i] == UInt8(ascii: c) else { return false }
        i += 1
        return true
    }

    @discardableResult
    mutating func skip(_ bytes: [UInt8]) -> Bool {
        guard b.count - i >= bytes.count, b[i..<i + bytes.count].elementsEqual(bytes) else { return false }
        i += bytes.count
        return true
    }
}
