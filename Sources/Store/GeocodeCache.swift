import Foundation
import GRDB

/// The geocode cache (`riskmap run --db`): what the geocoder made of each address it has seen, so that a
/// daily run geocodes only the new ones. Entries are keyed by the normalised address within a home district
/// (the same text may mean another place elsewhere), and hold for one fingerprint of everything else the
/// geocoder depends on (boundaries, gazetteer, its own version): storing under another fingerprint first
/// empties the cache. The results are opaque bytes here; the run encodes and decodes them.
extension CaseStore {
    static let geocodeFingerprintKey = "geocode_fingerprint"
    /// Keys bound in one `IN (…)` lookup: far below SQLite's limit on parameters.
    static let geocodeLookupBatch = 500

    /// The stored results of those of `keys` the cache has, by key; nothing when the cache was filled
    /// under another fingerprint.
    public func cachedGeocodes(fingerprint: String, home: String, keys: [String]) throws -> [String: Data] {
        try read { db in
            guard try geocodeFingerprint(db) == fingerprint else { return [:] }
            var found: [String: Data] = [:]
            let keys = Array(Set(keys))
            for start in stride(from: 0, to: keys.count, by: Self.geocodeLookupBatch) {
                let batch = keys[start..<min(keys.count, start + Self.geocodeLookupBatch)]
                // Every full batch shares one prepared statement (the last, shorter one has its own).
                let statement = try db.cachedStatement(sql: """
                    SELECT key, result FROM geocode_cache WHERE home = ? AND key IN (\(databaseQuestionMarks(count: batch.count)))
                    """)
                let rows = try Row.fetchCursor(statement, arguments: StatementArguments([home] + Array(batch)))
                while let row = try rows.next() { found[row[0]] = row[1] }
            }
            return found
        }
    }

    /// Adds (or replaces) results of `home`. Under a fingerprint other than the stored one, the whole cache
    /// is emptied first and the new fingerprint kept. One IMMEDIATE transaction: all or nothing.
    public func storeGeocodes(fingerprint: String, home: String, _ entries: [String: Data]) throws {
        guard !entries.isEmpty else { return }
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    if try geocodeFingerprint(db) != fingerprint {
                        try db.execute(sql: "DELETE FROM geocode_cache")
                        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                       arguments: [Self.geocodeFingerprintKey, fingerprint])
                    }
                    let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO geocode_cache (home, key, result) VALUES (?, ?, ?)")
                    // In key order: SQLite appends to its B-tree instead of splitting pages all over it
                    // (twice as fast for 100,000 new keys).
                    for key in entries.keys.sorted() { try insert.execute(arguments: [home, key, entries[key]!]) }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw CaseStore.describe(error, path: url.path)
        }
    }

    /// Entries in the cache, all homes (for tests).
    public func geocodeCacheCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM geocode_cache") ?? 0 }
    }

    func geocodeFingerprint(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.geocodeFingerprintKey])
    }
}
