import Foundation
import Synchronization
import GRDB

/// The database writes of one `riskmap run`, as ONE transaction that is committed only once the map is
/// published (`RunJob` calls `commit()` right after the output folder is in place). A run that fails
/// anywhere before leaves the database exactly as it was: the transaction is rolled back (or, if the
/// process dies, never committed; SQLite ignores the uncommitted end of its log).
///
/// While it is open every read and write of the store goes through the writer connection, the only one
/// that sees the run's own writes: the map is drawn from the stored history with this run's cases in it.
/// Other processes (`stats`, `serve --db`) keep reading the last committed state meanwhile (WAL).
public final class RunTransaction: Sendable {
    public let store: CaseStore
    private let finished = Flag()
    private let committed = Flag()
    /// Whether `commit()` succeeded.
    public var isCommitted: Bool { committed.value }

    init(store: CaseStore) { self.store = store }

    /// Makes the run's writes durable, then copies the write-ahead log into the database file (a
    /// failed copy is only a warning: the log holds the data, and SQLite copies it on the next open).
    public func commit(warn: (String) -> Void = { _ in }) throws {
        guard finished.setOnce() else { return }
        defer { store.runOpen.value = false }
        do {
            try store.pool.writeWithoutTransaction { db in try db.commit() }
        } catch let error as DatabaseError {
            // A failed COMMIT may leave the transaction open: nothing of it may stay.
            try? store.pool.writeWithoutTransaction { db in if db.isInsideTransaction { try db.rollback() } }
            throw CaseStore.describe(error, path: store.url.path)
        }
        store.runOpen.value = false
        committed.value = true
        do { try store.checkpoint() } catch { warn("\(error)") }
    }

    /// Drops the run's writes. Also done when the transaction is released uncommitted (a thrown error).
    public func rollback() {
        guard finished.setOnce() else { return }
        try? store.pool.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.rollback() }
        }
        store.runOpen.value = false
    }

    deinit { rollback() }
}

extension CaseStore {
    /// Removes the database a failed run made at an absent path (and its log files), so that the path
    /// is absent again, as it was. Only for a file this run created (under its `RunLock`).
    public static func discardNew(_ url: URL) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
    }

    /// Opens the run's transaction: IMMEDIATE, so the write lock is taken now and a second writer waits.
    /// One at a time per store.
    public func beginRun() throws -> RunTransaction {
        do {
            try pool.writeWithoutTransaction { db in
                guard !db.isInsideTransaction else {
                    throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "a run's transaction is already open")
                }
                try db.beginTransaction(.immediate)
            }
        } catch let error as DatabaseError {
            throw CaseStore.describe(error, path: url.path)
        }
        runOpen.value = true
        return RunTransaction(store: self)
    }
}

/// A Bool shared between threads.
final class Flag: Sendable {
    private let state = Mutex(false)

    var value: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// Sets the flag; true only for the call that set it first.
    func setOnce() -> Bool {
        state.withLock { set in
            defer { set = true }
            return !set
        }
    }
}
