import Support
import Foundation
import GRDB
import GRDBSQLite
import Geometry
import Model
import Risk

/// The case database (`riskmap run --db FILE`): every located case seen, the zones of the last run and
/// a log of runs, so that `riskmap stats` can filter by category and dates without the CSVs.
///
/// SQLite in WAL mode with a busy timeout: two runs on one file wait for each other instead of failing
/// or corrupting it. A file that is not a SQLite database (or not riskmap's) is reported, never replaced.
public final class CaseStore: Sendable {
    public let url: URL
    let pool: DatabasePool
    /// Whether a run's transaction is open (see `beginRun`): reads then go through the writer
    /// connection, the only one that sees what the run wrote so far.
    let runOpen = Flag()

    /// Opens the database; `create` makes a new one when NO file is at the path (`run`), else a missing
    /// file is an error (`stats` must not invent an empty database). A file that is there must be a
    /// SQLite database: an empty (0-byte) file or any other content is an error, never written to.
    public init(url: URL, create: Bool) throws {
        self.url = url
        let path = url.path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw InputError(file: path, "no such case database (make one with `riskmap run --db \(path)`)")
        }
        try Self.checkHeader(path)
        var config = Configuration()
        // A run's writes are one transaction held open across calls until the map is published
        // (`beginRun`); GRDB would otherwise stop a transaction left open at the end of a block.
        config.allowsUnsafeTransactions = true
        // Another run may hold the write lock for the seconds it takes to store a big file.
        config.busyMode = .timeout(120)
        // A daily run replaces scattered records of a big table: a 64 MB page cache (SQLite's default is
        // 2 MB) keeps the index pages it walks in memory.
        // No automatic checkpoints: they would run inside a run's commit, on its critical path; the
        // run copies the log into the database with `checkpoint()` while it draws tiles instead (and
        // SQLite does it anyway when the last connection closes).
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA recursive_triggers = ON; PRAGMA wal_autocheckpoint = 0")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try CaseStore.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw CaseStore.describe(error, path: path)
        }
    }

    /// An existing file must start as every SQLite database does. SQLite itself would take a 0-byte file
    /// for a new empty database and write one over it (19,700 stored cases became 200 that way).
    /// Nothing to check when there is no file (`run` makes the database then).
    public static func checkHeader(_ path: String) throws {
        let leaveIt = "it was left untouched: move it away (or give another path) to start a new database"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue { throw InputError(file: path, "a folder, not a case database") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "case database cannot be read (permissions?)")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.isEmpty { throw InputError(file: path, "an empty file (0 bytes), not a case database; \(leaveIt)") }
        if head != Data("SQLite format 3\0".utf8) {
            throw InputError(file: path, "not a SQLite database (the file does not start with SQLite's header); \(leaveIt)")
        }
        // Someone else's SQLite file is recognised here, read-only, before anything opens it: opening it
        // for real switches it to WAL mode, which writes its header. Unreadable tables are a damaged
        // file, for `quickCheck` to report.
        if let tables = tableNames(path), !tables.isEmpty, !tables.contains("grdb_migrations") {
            throw InputError(file: path, "a SQLite database, but not riskmap's (tables: \(tables.prefix(5).joined(separator: ", "))); "
                             + "it was left untouched: give another --db path")
        }
    }

    /// SQLite's `PRAGMA quick_check` of the file at `url` (nothing to check when there is none): every
    /// page read and its structure checked (not the index contents). Damage in the middle of a file goes
    /// unseen by opening it, and SQLite would answer and even commit around it, so `run`, `stats` and
    /// `serve --db` call this before they open the store. Through a READ-ONLY connection: opening the
    /// store writes (GRDB makes a table and drops it to create the write-ahead log), which a damaged
    /// file must not get.
    public static func verifyIntegrity(at url: URL) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { return }
        try checkHeader(path)
        let report = try quickCheck(path)
        guard report == ["ok"] else {
            throw InputError(file: path, "a damaged SQLite database (quick_check: \(report.joined(separator: "; "))); "
                             + "it was left untouched: restore it from a backup, or move it away to start a new database")
        }
    }

    /// `PRAGMA quick_check(5)`'s lines, through SQLite's C API: a URI filename opened read-only, and
    /// `immutable` when the file has no write-ahead log — else SQLite would create the log files beside
    /// a file it is only asked to look at (and could not remove them).
    static func quickCheck(_ path: String) throws -> [String] {
        let hasLog = FileManager.default.fileExists(atPath: path + "-wal")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#%"))) ?? path
        var handle: OpaquePointer?
        defer { sqlite3_close_v2(handle) }
        var code = sqlite3_open_v2("file:" + escaped + (hasLog ? "?mode=ro" : "?immutable=1"), &handle,
                                   SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil)
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        if code == SQLITE_OK { code = sqlite3_prepare_v2(handle, "PRAGMA quick_check(5)", -1, &statement, nil) }
        var lines: [String] = []
        while code == SQLITE_OK || code == SQLITE_ROW {
            code = sqlite3_step(statement)
            if code == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) { lines.append(String(cString: text)) }
        }
        guard code == SQLITE_DONE else {
            throw describe(DatabaseError(resultCode: ResultCode(rawValue: code), message: handle.map { String(cString: sqlite3_errmsg($0)) }),
                           path: path)
        }
        return lines
    }

    /// SQLite's own words for a file that is damaged or not a database, with what to do about it.
    static func describe(_ error: DatabaseError, path: String) -> InputError {
        if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            return InputError(file: path, "not a SQLite database, or a damaged one (SQLite: \(error.message ?? "\(error.resultCode)")); "
                              + "it was left untouched: move it away to start a new database")
        }
        return InputError(file: path, "case database: \(error.message ?? "\(error)")")
    }

    /// A SQLite file with tables of its own but none of ours belongs to someone else: refuse it.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            // Category texts are few (hundreds) and repeat a million times: cases refer to them by id.
            try db.execute(sql: """
                CREATE TABLE category_texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY, day INTEGER NOT NULL, time TEXT,
                    category_id INTEGER NOT NULL REFERENCES category_texts(id), address TEXT NOT NULL,
                    address_key INTEGER NOT NULL, lon REAL, lat REAL, street TEXT, community TEXT, post TEXT,
                    method TEXT NOT NULL, confidence REAL NOT NULL, channel TEXT NOT NULL,
                    file TEXT NOT NULL, line INTEGER NOT NULL);
                -- Covers what scoring reads, so that a date range is one sequential index scan.
                CREATE INDEX cases_by_day ON cases(day, category_id, address_key, street, community, post);
                CREATE TABLE zones (level TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent TEXT,
                    area_km2 REAL NOT NULL, PRIMARY KEY (level, id));
                CREATE TABLE runs (seq INTEGER PRIMARY KEY, as_of INTEGER NOT NULL, window_days INTEGER NOT NULL,
                    boundaries TEXT NOT NULL, style TEXT NOT NULL, style_hash TEXT NOT NULL, cases INTEGER NOT NULL,
                    at TEXT NOT NULL);
                """)
        }
        m.registerMigration("v2") { db in
            // Geocoder results by home district and normalised address (see GeocodeCache.swift); `meta`
            // holds the fingerprint of the geocoder inputs they were worked out with.
            try db.execute(sql: """
                CREATE TABLE geocode_cache (home TEXT NOT NULL, key TEXT NOT NULL, result BLOB NOT NULL,
                    PRIMARY KEY (home, key)) WITHOUT ROWID;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """)
        }
        registerRelocation(&m)
        return m
    }
}

/// The last run recorded in the database: `stats` shows the same map by default.
public struct StoredRun: Sendable, Equatable {
    public var asOf: Day
    public var windowDays: Int
    public var boundaries: String
    public init(asOf: Day, windowDays: Int, boundaries: String) {
        self.asOf = asOf; self.windowDays = windowDays; self.boundaries = boundaries
    }
}

extension CaseStore {
    /// What `save` changed.
    public struct SaveCounts: Sendable, Equatable {
        /// Cases stored after the run, of them new, replacing a record of the same id, and records removed.
        public var stored = 0, added = 0, replaced = 0, removed = 0
    }

    /// Stores a run: its located cases (a case id seen before replaces the old record), its zones
    /// (replacing the previous run's) and a line in the run log. `removing`: ids of cases exported
    /// again but rejected this time — the old record no longer stands for the case, so it goes (the
    /// row is in rejects.csv with its reason). One transaction: all or nothing.
    @discardableResult
    public func save(cases: some Collection<LocatedCase>, removing: [String] = [], zones: [(Zone, Double)], run: StoredRun,
                     style: Style) throws -> SaveCounts {
        try writeAtomically { db in
            var counts = SaveCounts()
            // Counted from the ids and the per-day counts: count(*) would read a million-row index twice.
            let exists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?)")
            var known = Set<String>()
            for c in cases where try Bool.fetchOne(exists, arguments: [c.record.id]) == true { known.insert(c.record.id) }
            let delete = try db.cachedStatement(sql: "DELETE FROM cases WHERE id = ?")
            for id in removing {
                try delete.execute(arguments: [id])
                counts.removed += db.changesCount
            }
            let categories = try categoryIDs(db, texts: Set(cases.map(\.record.category)))
            try insert(db, cases: cases, categories: categories)
            try replaceZones(db, zones)
            try db.execute(sql: "INSERT INTO runs (as_of, window_days, boundaries, style, style_hash, cases, at) VALUES (?,?,?,?,?,?,?)",
                           arguments: [run.asOf.ordinal, run.windowDays, run.boundaries, style.file, style.contentHash,
                                       cases.count, ISO8601DateFormatter().string(from: Date())])
            counts.stored = try Int.fetchOne(db, sql: "SELECT sum(cases) FROM zone_days") ?? 0
            counts.replaced = cases.filter { known.contains($0.record.id) }.count
            counts.added = cases.count - counts.replaced
            return counts
        }
    }

    func categoryIDs(_ db: Database, texts: Set<String>) throws -> [String: Int64] {
        let add = try db.cachedStatement(sql: "INSERT OR IGNORE INTO category_texts (text) VALUES (?)")
        for t in texts { try add.execute(arguments: [t]) }
        var ids: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, text FROM category_texts") { ids[row[1]] = row[0] }
        return ids
    }

    func insert(_ db: Database, cases: some Collection<LocatedCase>, categories: [String: Int64]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO cases (id, day, time, category_id, address, address_key, lon, lat, street, community,
                post, method, confidence, channel, file, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (id) DO UPDATE SET day = excluded.day, time = excluded.time, category_id = excluded.category_id,
                address = excluded.address, address_key = excluded.address_key, lon = excluded.lon, lat = excluded.lat,
                street = excluded.street, community = excluded.community, post = excluded.post, method = excluded.method,
                confidence = excluded.confidence, channel = excluded.channel, file = excluded.file, line = excluded.line
            """)
        for c in cases {
            let r = c.record
            try statement.execute(arguments: [
                r.id, r.day.ordinal, r.time, categories[r.category]!, r.address, Int64(bitPattern: AddressKey.of(r.address)),
                c.point?.x, c.point?.y, c.street, c.community, c.post, c.method.rawValue, c.confidence, r.channel,
                r.file, r.line,
            ])
        }
    }

    func replaceZones(_ db: Database, _ zones: [(Zone, Double)]) throws {
        try db.execute(sql: "DELETE FROM zones")
        let statement = try db.cachedStatement(sql: "INSERT INTO zones (level, id, name, parent, area_km2) VALUES (?,?,?,?,?)")
        for (z, area) in zones { try statement.execute(arguments: [z.level.rawValue, z.id, z.name, z.parent, area]) }
    }
}

extension CaseStore {
    public func lastRun() throws -> StoredRun? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT as_of, window_days, boundaries FROM runs ORDER BY seq DESC LIMIT 1").map {
                StoredRun(asOf: Day(ordinal: $0[0]), windowDays: $0[1], boundaries: $0[2])
            }
        }
    }

    /// The zones of the last run (no geometry: `stats` needs ids, names, parents and areas) and their areas.
    public func zones(_ level: ZoneLevel) throws -> (zones: [Zone], areas: [String: Double]) {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, parent, area_km2 FROM zones WHERE level = ? ORDER BY rowid",
                             arguments: [level.rawValue])
        }
        let zones = rows.map { Zone(id: $0[0], name: $0[1], parent: $0[2], level: level, geometry: MultiPolygon([])) }
        return (zones, Dictionary(rows.map { ($0[0] as String, $0[3] as Double) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The cases of days `first...last` as scoring needs them, read from the covering index.
    /// Only the zone column of `level` is read: one level is shown at a time. Cases not located as far
    /// as `level` are read too: repeats count every case at an address, as in `run`.
    public func scoringCases(level: ZoneLevel, first: Day, last: Day, table: inout CategoryTable) throws -> [ScoringCase] {
        let categories = try categoryIndex(&table)
        return try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT day, category_id, address_key, \(level.rawValue) FROM cases
                WHERE day BETWEEN ? AND ?
                """, arguments: [first.ordinal, last.ordinal])
            var cases: [ScoringCase] = []
            while let row = try rows.next() {
                let zone: String? = row[3]
                cases.append(ScoringCase(day: Day(ordinal: row[0]), category: categories[row[1] as Int64] ?? 0,
                                         address: UInt64(bitPattern: row[2]),
                                         street: level == .street ? zone : nil, community: level == .community ? zone : nil,
                                         post: level == .post ? zone : nil))
            }
            return cases
        }
    }

    /// Cases with a point on days `first...last`, with their category (index into `table`), for hotspots.
    public func pointCases(first: Day, last: Day, table: inout CategoryTable) throws -> [(HotspotCase, category: Int)] {
        let categories = try categoryIndex(&table)
        return try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT lon, lat, street, community, post, category_id FROM cases
                WHERE day BETWEEN ? AND ? AND lon IS NOT NULL
                """, arguments: [first.ordinal, last.ordinal])
            var cases: [(HotspotCase, category: Int)] = []
            while let row = try rows.next() {
                var zones = ZoneRef()
                for (i, level) in ZoneLevel.allCases.enumerated() { zones[level] = row[2 + i] }
                cases.append((HotspotCase(point: Coordinate(row[0], row[1]), zones: zones), categories[row[5] as Int64] ?? 0))
            }
            return cases
        }
    }

    /// Database category id → index in `table`.
    func categoryIndex(_ table: inout CategoryTable) throws -> [Int64: Int] {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, text FROM category_texts") }
        var index: [Int64: Int] = [:]
        for row in rows { index[row[0]] = table.id(of: row[1]) }
        return index
    }

    /// Copies the write-ahead log into the database file (SQLite's checkpoint), so that the log does
    /// not grow from run to run. Slow (it writes and syncs what the run changed) but not in anyone's
    /// way: readers and the log stay valid throughout.
    public func checkpoint() throws {
        do {
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch let error as DatabaseError {
            throw CaseStore.describe(error, path: url.path)
        }
    }

    /// Cases stored, for summaries and tests.
    public func caseCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") ?? 0 }
    }

    /// Reads what is committed or, while a run's transaction is open, what the run has written too.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            if runOpen.value { return try pool.writeWithoutTransaction(body) }
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw CaseStore.describe(error, path: url.path)
        }
    }

    /// All of `body`'s writes or none: its own IMMEDIATE transaction (the write lock taken first, so two
    /// writers queue instead of deadlocking) or, inside a run's transaction, a savepoint of it.
    func writeAtomically<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                let work = { () throws -> Database.TransactionCompletion in result = try body(db); return .commit }
                if db.isInsideTransaction { try db.inSavepoint(work) } else { try db.inTransaction(.immediate, work) }
                guard let result else { throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "write produced no result") }
                return result
            }
        } catch let error as DatabaseError {
            throw CaseStore.describe(error, path: url.path)
        }
    }
}

/// A stored case as a map needs it (see `CaseStore.readMapCases`).
public struct MapCase: Sendable {
    public var scoring: ScoringCase
    public var point: Coordinate?
}

extension CaseStore {
    /// Every stored case of days `first...last`, all levels, with its point: what `run --db` scores and
    /// draws — the window and the previous one, some 700,000 rows of a million-case district. `add`
    /// folds each case into one of `parts` parts, read on as many threads (each its own slice of the
    /// table); the parts come back in slice order.
    ///
    /// Why this way: this read is most of a daily run's own work. SQLite's column functions take a
    /// third of the time of GRDB rows, and two readers (WAL lets them run at once) halve it again.
    public func readMapCases<Part>(first: Day, last: Day, table: inout CategoryTable, parts: Int,
                                   makePart: () -> Part, add: (inout Part, MapCase) -> Void) throws -> [Part] {
        let categories = try categoryIndex(&table)
        // One subquery each: SQLite answers a lone min() or max() from an index, but scans the table for
        // several in one SELECT.
        let bounds = try read { db in
            try Row.fetchOne(db, sql: """
                SELECT (SELECT min(rowid) FROM cases), (SELECT max(rowid) FROM cases),
                       (SELECT min(day) FROM cases), (SELECT max(day) FROM cases)
                """)
        }
        guard let bounds, let lowRow = bounds[0] as Int64?, let highRow = bounds[1] as Int64? else { return [makePart()] }
        // The day index holds no points: through it, every row costs a lookup in the table. When the
        // days asked for are a good part of the history (a daily run's two windows of a few months'
        // data), passes over the table are faster (0.16 s against 0.56 s for 720,000 of a million rows).
        let span = (bounds[3] as Int? ?? 0) - (bounds[2] as Int? ?? 0) + 1
        let scan = span <= 4 * (last.ordinal - first.ordinal + 1)
        // Inside a run's transaction only the writer connection sees the run's cases: one reader then.
        let n = scan && !runOpen.value ? max(1, parts) : 1
        let step = (highRow - lowRow + Int64(n)) / Int64(n)
        return try parallelMap(n) { i in
            let rows = scan ? (lowRow + Int64(i) * step)...(lowRow + Int64(i + 1) * step - 1) : nil
            return try read { db in
                var part = makePart()
                try readSlice(db, first: first, last: last, rows: rows, categories: categories) { add(&part, $0) }
                return part
            }
        }
    }

    /// The cases of days `first...last` per zone of every level (cases in no zone left out): what a
    /// daily run needs of the previous window, from the per-day counts the triggers keep (`zone_days`).
    /// The cases stored for days `first...last`, from the per-day counts.
    public func caseCount(first: Day, last: Day) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT sum(cases) FROM zone_days WHERE day BETWEEN ? AND ?",
                             arguments: [first.ordinal, last.ordinal]) ?? 0
        }
    }

    public func zoneCounts(first: Day, last: Day) throws -> [ZoneLevel: [String: Int]] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT street, community, post, sum(cases) FROM zone_days
                WHERE day BETWEEN ? AND ? AND street != '' GROUP BY street, community, post
                """, arguments: [first.ordinal, last.ordinal])
        }
        var counts: [ZoneLevel: [String: Int]] = [:]
        for row in rows {
            let n: Int = row[3]
            for (i, level) in ZoneLevel.allCases.enumerated() {
                if let id = row[i] as String?, !id.isEmpty, n != 0 { counts[level, default: [:]][id, default: 0] += n }
            }
        }
        return counts
    }

    /// One slice: the rows of `rows` (a rowid range, read by a table scan) or, when nil, all rows
    /// through the day index.
    private func readSlice(_ db: Database, first: Day, last: Day, rows: ClosedRange<Int64>?,
                           categories: [Int64: Int], _ body: (MapCase) -> Void) throws {
        let statement = try db.makeStatement(sql: """
            SELECT day, category_id, address_key, street, community, post, lon, lat FROM cases
            \(rows == nil ? "" : "NOT INDEXED") WHERE day BETWEEN ? AND ? \(rows == nil ? "" : "AND rowid BETWEEN ? AND ?")
            """)
        try statement.setArguments(StatementArguments([first.ordinal, last.ordinal] + (rows.map { [$0.lowerBound, $0.upperBound] } ?? [])))
        let s = statement.sqliteStatement
        func text(_ i: Int32) -> String? {
            sqlite3_column_type(s, i) == SQLITE_NULL ? nil : String(cString: sqlite3_column_text(s, i))
        }
        func real(_ i: Int32) -> Double? { sqlite3_column_type(s, i) == SQLITE_NULL ? nil : sqlite3_column_double(s, i) }
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
            let point = real(6).flatMap { x in real(7).map { Coordinate(x, $0) } }
            body(MapCase(scoring: ScoringCase(day: Day(ordinal: Int(sqlite3_column_int64(s, 0))),
                                              category: categories[sqlite3_column_int64(s, 1)] ?? 0,
                                              address: UInt64(bitPattern: sqlite3_column_int64(s, 2)),
                                              street: text(3), community: text(4), post: text(5)),
                         point: point))
        }
    }
}
