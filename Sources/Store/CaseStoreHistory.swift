import Foundation
import GRDB
import Geometry
import Model
import Risk

extension CaseStore {
    /// The days the database knows: from the earliest stored case's day to the later of the last case's
    /// day and the last run's as-of (a run's days without cases are known days with none). nil when it
    /// holds no case. For `evaluate`, which needs whole windows and horizons inside it.
    public func storedDays() throws -> ClosedRange<Day>? {
        let row = try read { db in
            // One subquery each: SQLite answers a lone min() or max() from the day index.
            try Row.fetchOne(db, sql: """
                SELECT (SELECT min(day) FROM cases), (SELECT max(day) FROM cases), (SELECT max(as_of) FROM runs)
                """)
        }
        guard let row, let first = row[0] as Int?, let last = row[1] as Int? else { return nil }
        return Day(ordinal: first)...Day(ordinal: max(last, row[2] as Int? ?? last))
    }

    /// The cases of days `first...last` as the repeat finder needs them: the address as written, its
    /// key, the point and the zones; category as an index into `table`.
    public func repeatCases(first: Day, last: Day, table: inout CategoryTable) throws -> [RepeatCase] {
        let categories = try categoryIndex(&table)
        return try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT day, category_id, address, address_key, lon, lat, street, community, post FROM cases
                WHERE day BETWEEN ? AND ?
                """, arguments: [first.ordinal, last.ordinal])
            var cases: [RepeatCase] = []
            while let row = try rows.next() {
                let lon: Double? = row[4], lat: Double? = row[5]
                cases.append(RepeatCase(day: Day(ordinal: row[0]), category: categories[row[1] as Int64] ?? 0, address: row[2],
                                        addressKey: UInt64(bitPattern: row[3]),
                                        point: lon.flatMap { x in lat.map { Coordinate(x, $0) } },
                                        zones: ZoneRef(street: row[6], community: row[7], post: row[8])))
            }
            return cases
        }
    }
}
