import Foundation
import GRDB
import Geometry
import Model

/// The boundaries the stored cases were located with. When a run brings other boundaries (or another
/// gazetteer), the zone ids of the stored cases are stale: the run locates them again (see
/// `RunJob.relocateStored`) before it counts them.
extension CaseStore {
    /// A stored case as relocation needs it.
    public struct StoredLocation: Sendable {
        public var rowid: Int64
        public var point: Coordinate?
        public var address: String
        public var method: LocationMethod
    }

    /// New zones (and point, for cases placed by their address) of a stored case; nil zones: the case
    /// is in no zone of the new boundaries and counts nowhere (it stays stored).
    public struct Relocated: Sendable {
        public var rowid: Int64
        public var point: Coordinate?
        /// Empty: in no zone now.
        public var zones: ZoneRef
        public init(rowid: Int64, point: Coordinate?, zones: ZoneRef) {
            self.rowid = rowid; self.point = point; self.zones = zones
        }
    }

    static func registerRelocation(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-located-with") { db in
            try db.execute(sql: "CREATE TABLE located_with (fingerprint TEXT NOT NULL)")
        }
        m.registerMigration("v4-zone-days") { db in
            // Cases per day and zone, kept by triggers: a daily run reads the previous window's counts
            // per zone from a few thousand rows instead of grouping hundreds of thousands of cases
            // (0.3 s in SQLite for a million-case district). '' stands for "no zone" (NULLs would not
            // meet in the key). REPLACE deletes fire the delete trigger only with recursive_triggers on,
            // which `CaseStore` sets on every connection.
            try db.execute(sql: """
                CREATE TABLE zone_days (day INTEGER NOT NULL, street TEXT NOT NULL, community TEXT NOT NULL,
                    post TEXT NOT NULL, cases INTEGER NOT NULL, PRIMARY KEY (day, street, community, post)) WITHOUT ROWID;
                INSERT INTO zone_days SELECT day, coalesce(street, ''), coalesce(community, ''), coalesce(post, ''), count(*)
                    FROM cases GROUP BY 1, 2, 3, 4;
                CREATE TRIGGER zone_days_insert AFTER INSERT ON cases BEGIN
                    INSERT INTO zone_days VALUES (new.day, coalesce(new.street, ''), coalesce(new.community, ''),
                        coalesce(new.post, ''), 1) ON CONFLICT DO UPDATE SET cases = cases + 1;
                END;
                CREATE TRIGGER zone_days_delete AFTER DELETE ON cases BEGIN
                    UPDATE zone_days SET cases = cases - 1 WHERE day = old.day AND street = coalesce(old.street, '')
                        AND community = coalesce(old.community, '') AND post = coalesce(old.post, '');
                END;
                CREATE TRIGGER zone_days_update AFTER UPDATE OF day, street, community, post ON cases BEGIN
                    UPDATE zone_days SET cases = cases - 1 WHERE day = old.day AND street = coalesce(old.street, '')
                        AND community = coalesce(old.community, '') AND post = coalesce(old.post, '');
                    INSERT INTO zone_days VALUES (new.day, coalesce(new.street, ''), coalesce(new.community, ''),
                        coalesce(new.post, ''), 1) ON CONFLICT DO UPDATE SET cases = cases + 1;
                END;
                """)
        }
    }

    /// The fingerprint of the boundaries the stored cases were located with; nil when none was
    /// recorded (a database made before this was kept, or a new one).
    public func locatedWith() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT fingerprint FROM located_with LIMIT 1") }
    }

    /// Whether the database holds any case.
    public func isEmpty() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM cases)") ?? true }
    }

    /// Every stored case's point, address and method, for locating them again.
    public func storedLocations() throws -> [StoredLocation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, lon, lat, address, method FROM cases").map { row in
                let lon: Double? = row[1], lat: Double? = row[2]
                return StoredLocation(rowid: row[0], point: lon.flatMap { x in lat.map { Coordinate(x, $0) } },
                                      address: row[3], method: LocationMethod(rawValue: row[4]) ?? .coordinates)
            }
        }
    }

    /// Writes the new zones of the stored cases and records `fingerprint`, all or nothing.
    public func relocate(_ cases: [Relocated], fingerprint: String) throws {
        try writeAtomically { db in
            let update = try db.cachedStatement(sql: "UPDATE cases SET lon = ?, lat = ?, street = ?, community = ?, post = ? WHERE rowid = ?")
            for c in cases {
                try update.execute(arguments: [c.point?.x, c.point?.y, c.zones.street, c.zones.community, c.zones.post, c.rowid])
            }
            try db.execute(sql: "DELETE FROM located_with")
            try db.execute(sql: "INSERT INTO located_with (fingerprint) VALUES (?)", arguments: [fingerprint])
        }
    }
}
