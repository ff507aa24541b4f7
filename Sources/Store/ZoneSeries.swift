import Foundation
import GRDB
import Model
import Geometry

/// Why a history of case counts cannot be read: the steps asked for do not fit the stored days, or
/// are not steps at all. The message names the settings (`[emerging] step_days` / `steps` of the style,
/// `--step-days` / `--steps` of the command line).
public enum HistoryError: Error, CustomStringConvertible, Sendable, Equatable {
    case stepTooShort(stepDays: Int)
    case tooFewSteps(steps: Int)
    /// `stepDays × steps` days are more than the history holds from its first day to `last`.
    case longerThanHistory(stepDays: Int, steps: Int, first: Day?, last: Day)

    public var description: String {
        switch self {
        case .stepTooShort(let d):
            return "step_days (--step-days) must be at least 1 day, got \(d)"
        case .tooFewSteps(let s):
            return "steps (--steps) must be at least 2 (a trend needs two steps), got \(s)"
        case .longerThanHistory(let d, let s, let first, let last):
            let held = first.map { f in
                "\(max(0, last.ordinal - f.ordinal + 1)) days from \(f) to \(last)"
            } ?? "no cases up to \(last)"
            return "step_days × steps (--step-days × --steps) = \(d) × \(s) = \(d * s) days is longer than the stored history "
                + "(\(held)); use fewer or shorter steps"
        }
    }
}

extension CaseStore {
    /// Case counts per zone of `level` in `steps` steps of `stepDays` days, oldest first: step k covers
    /// the `stepDays` days ending at last − (steps − 1 − k)·stepDays, so the last step ends at `last`.
    /// Read from the per-day counts the triggers keep (`zone_days`). Zones without a case in the whole
    /// span are absent (read them as all zeros). Throws `HistoryError` when stepDays < 1, steps < 2, or
    /// stepDays × steps is longer than the history from the first stored day to `last`.
    public func zoneSeries(level: ZoneLevel, last: Day, stepDays: Int, steps: Int) throws -> [String: [Int]] {
        let first = try historySpan(last: last, stepDays: stepDays, steps: steps).first.ordinal
        // The level's zone column by name from a fixed list, never from text of the caller.
        let column: String
        switch level {
        case .street: column = "street"
        case .community: column = "community"
        case .post: column = "post"
        // The database keeps no grid cells (see `pointDays`): the caller places the points itself.
        case .grid: return [:]
        }
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(column), day, sum(cases) FROM zone_days
                WHERE day BETWEEN ? AND ? AND \(column) != '' GROUP BY \(column), day
                """, arguments: [first, last.ordinal])
        }
        var series: [String: [Int]] = [:]
        for row in rows {
            let id: String = row[0], day: Int = row[1], n: Int = row[2]
            guard n != 0 else { continue }
            series[id, default: Array(repeating: 0, count: steps)][(day - first) / stepDays] += n
        }
        return series
    }

    /// The first day of `steps` steps of `stepDays` days ending at `last`, and their days; throws
    /// `HistoryError` when they are no steps or reach before the first stored day.
    public func historySpan(last: Day, stepDays: Int, steps: Int) throws -> (first: Day, days: Int) {
        guard stepDays >= 1 else { throw HistoryError.stepTooShort(stepDays: stepDays) }
        guard steps >= 2 else { throw HistoryError.tooFewSteps(steps: steps) }
        let firstStored = try read { db in
            try Int.fetchOne(db, sql: "SELECT min(day) FROM zone_days WHERE cases > 0").map(Day.init(ordinal:))
        }
        let (span, overflow) = stepDays.multipliedReportingOverflow(by: steps)
        guard !overflow, let firstStored, last.ordinal - firstStored.ordinal + 1 >= span else {
            throw HistoryError.longerThanHistory(stepDays: stepDays, steps: steps, first: firstStored, last: last)
        }
        return (last - (span - 1), span)
    }

    /// `zoneSeries` for zones the database does not keep (the grid's cells): the stored points of the
    /// steps' days, placed by `place` (one zone id or nil per point, in one batch).
    public func pointSeries(last: Day, stepDays: Int, steps: Int,
                            place: ([Coordinate]) throws -> [String?]) throws -> [String: [Int]] {
        let first = try historySpan(last: last, stepDays: stepDays, steps: steps).first
        let points = try pointDays(first: first, last: last)
        var series: [String: [Int]] = [:]
        for (p, zone) in zip(points, try place(points.map(\.point))) {
            guard let zone else { continue }
            series[zone, default: Array(repeating: 0, count: steps)][(p.day.ordinal - first.ordinal) / stepDays] += 1
        }
        return series
    }

    /// The day and point of every stored case with a point on days `first...last` (for the grid level,
    /// whose cells the database does not keep). Cases in no zone are left out, as in the map.
    public func pointDays(first: Day, last: Day) throws -> [(day: Day, point: Coordinate)] {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT day, lon, lat FROM cases WHERE day BETWEEN ? AND ? AND lon IS NOT NULL AND street IS NOT NULL
                """, arguments: [first.ordinal, last.ordinal])
            var out: [(day: Day, point: Coordinate)] = []
            while let row = try rows.next() { out.append((Day(ordinal: row[0]), Coordinate(row[1], row[2]))) }
            return out
        }
    }
}
