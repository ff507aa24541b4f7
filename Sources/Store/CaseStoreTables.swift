import Foundation
import GRDBSQLite

extension CaseStore {
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
