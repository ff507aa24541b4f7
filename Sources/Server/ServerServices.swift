import Foundation
import Synchronization
import Stats

/// An API answer computed by a service: the body and its content type.
public struct APIAnswer: Sendable {
    public var body: Data
    public var contentType: String
    public init(body: Data, contentType: String = "application/json") {
        self.body = body
        self.contentType = contentType
    }
}

/// What the server asks of the rest of riskmap. The command line supplies these (see
/// `ServeWiring.swift`), so the server does not depend on how statistics or geocoding are done: each
/// gets the parsed query and the folder version being served, and throws `APIError` to refuse.
public struct ServerServices: Sendable {
    /// `/api/zones`: the zone GeoJSON of the served folder, filtered and sorted.
    public var zones: @Sendable (StatsQuery, Snapshot) throws -> APIAnswer
    public var stats: @Sendable (StatsQuery, Snapshot) throws -> APIAnswer
    public var locate: @Sendable (LocateQuery, Snapshot) throws -> APIAnswer
    /// The version of the data `stats` reads besides the folder (the case database's files), so that a
    /// cached answer lapses when a run commits to the database; empty when there is none.
    public var dataVersion: @Sendable () -> [FileID?]

    public init(zones: (@Sendable (StatsQuery, Snapshot) throws -> APIAnswer)? = nil,
                stats: @escaping @Sendable (StatsQuery, Snapshot) throws -> APIAnswer,
                locate: @escaping @Sendable (LocateQuery, Snapshot) throws -> APIAnswer,
                dataVersion: @escaping @Sendable () -> [FileID?] = { [] }) {
        self.zones = zones ?? Self.folderZones(ZoneTables.memo())
        self.stats = stats
        self.locate = locate
        self.dataVersion = dataVersion
    }
}

/// A value computed from one version of the served folder and kept until the folder changes (a new
/// run, or `current` moved to another day).
public final class SnapshotMemo<Value: Sendable>: Sendable {
    private let cached = Mutex<(FileID, Value)?>(nil)
    private let make: @Sendable (Snapshot) throws -> Value

    public init(_ make: @escaping @Sendable (Snapshot) throws -> Value) { self.make = make }

    public func value(for root: Snapshot) throws -> Value {
        // Computed under the lock: two first requests must not both parse the folder's GeoJSON.
        try cached.withLock { cached in
            if let (id, v) = cached, id == root.id { return v }
            let v = try make(root)
            cached = (root.id, v)
            return v
        }
    }
}

extension ServerServices {
    /// `/api/zones` from the zone GeoJSON of the served folder (tables parsed once per folder version).
    public static func folderZones(_ tables: SnapshotMemo<ZoneTables>) -> @Sendable (StatsQuery, Snapshot) throws -> APIAnswer {
        { query, root in
            APIAnswer(body: try tables.value(for: root).zonesGeoJSON(query), contentType: "application/geo+json")
        }
    }
}
