import Foundation
import GRDBSQLite
import Input

/// `--db FILE` names riskmap's case database, or nothing yet: checked read-only before the database is
/// opened for real. Opening a SQLite file with `CaseStore` switches it to WAL mode, which writes its
/// header — so someone else's database must be recognised before that, not after.
///
/// Only what tells a file apart: the SQLite header and riskmap's tables. A zero-byte or damaged file
/// is left to `CaseStore`'s own checks.
public enum DatabaseOwnership {
    /// Throws unless `url` is absent, empty, or a SQLite database with riskmap's tables (or none).
    public static func check(_ url: URL) throws {
        let path = url.path
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        let header = (try? handle.read(upToCount: 16)) ?? nil
        try? handle.close()
        guard let header, !header.isEmpty else { return }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw InputError(file: path, "not a SQLite database (a riskmap case database is one); it was left untouched: "
                             + "give another --db path, or move the file away")
        }
        guard let tables = tableNames(path) else { return }
        if !tables.isEmpty && !tables.contains("grdb_migrations") {
            throw InputError(file: path, "a SQLite database, but not riskmap's (tables: \(tables.prefix(5).joined(separator: ", "))); "
                             + "it was left untouched: give another --db path")
        }
    }

    /// The tables of the database, read with `immutable=1`: no lock, no journal, nothing written.
    /// nil when SQLite cannot read it (damaged: for `CaseStore` to report).
    static func tableNames(_ path: String) -> [String]? {
        var components = URLComponents()
        components.scheme = "file"
        components.path = path
        components.queryItems = [URLQueryItem(name: "mode", value: "ro"), URLQueryItem(name: "immutable", value: "1")]
        guard let uri = components.string else { return nil }
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        guard sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK else { return nil }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &statement, nil) == SQLITE_OK
        else { return nil }
        var names: [String] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return names }
            guard step == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
            names.append(String(cString: text))
        }
    }
}
