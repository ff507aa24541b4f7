import Foundation
import GRDB
import GRDBSQLite
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
    /// key, the point and the zones; category as an index into `table`. Through SQLite's column
    /// functions, as `readMapCases`: GRDB rows cost several times more, and a daily run reads the
    /// window's few hundred thousand cases here.
    public func repeatCases(first: Day, last: Day, table: inout CategoryTable) throws -> [RepeatCase] {
        let categories = try categoryIndex(&table)
        return try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT day, category_id, address, address_key, lon, lat, street, community, post FROM cases
                WHERE day BETWEEN ? AND ?
                """)
            try statement.setArguments([first.ordinal, last.ordinal])
            let s = statement.sqliteStatement
            func text(_ i: Int32) -> String? {
                sqlite3_column_type(s, i) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(s, i))
            }
            func real(_ i: Int32) -> Double? { sqlite3_column_type(s, i) == SQLITE_NULL ? nil : sqlite3_column_double(s, i) }
            var cases: [RepeatCase] = []
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
                cases.append(RepeatCase(day: Day(ordinal: Int(sqlite3_column_int64(s, 0))), category: categories[sqlite3_column_int64(s, 1)] ?? 0,
                                        address: text(2) ?? "", addressKey: UInt64(bitPattern: sqlite3_column_int64(s, 3)),
                                        point: real(4).flatMap { x in real(5).map { Coordinate(x, $0) } },
                                        zones: ZoneRef(street: text(6), community: text(7), post: text(8))))
            }
            return cases
        }
    }
}
