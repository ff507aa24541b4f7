import Foundation
import Support
import Input
import Location
import Model
import Output
import Risk
import Store

/// What a run did to the case database, for report.json.
struct DatabaseUpdate {
    var path: String
    var counts: CaseStore.SaveCounts
    /// Stored cases located again because the boundaries or the gazetteer changed.
    var relocated: Int?
    var report: RunReport.Database {
        RunReport.Database(path: path, casesStored: counts.stored, casesAdded: counts.added, casesReplaced: counts.replaced,
                           casesRemoved: counts.removed, casesRelocated: relocated ?? 0)
    }
}

/// `run --db`: brings the stored cases up to the run's boundaries (relocating them when the boundaries
/// or the gazetteer changed), then stores this run's cases and zones, all inside the run's transaction.
struct StoreCases: RunStage {
    let store: CaseStore
    let locator: CaseLocator
    let boundaries: Boundaries
    let areas: ZoneAreas
    let window: Window
    let style: Style
    /// The boundaries folder, as the run was given it (recorded with the run).
    let boundariesFolder: URL
    var name: String { "database" }

    func run(_ cases: LocatedCases) throws -> DatabaseUpdate {
        let relocated = try relocateStored()
        var update = try save(cases)
        update.relocated = relocated
        return update
    }

    /// Stores this run's located cases (a case id seen before is replaced) and the zones. A case whose
    /// row is rejected this time (bar a repeated id within the run: its first row stands) loses its old
    /// record, as a full run on the latest export would not count it either.
    func save(_ cases: LocatedCases) throws -> DatabaseUpdate {
        let gone = cases.rejected.filter { $0.reason != .duplicateID && !$0.id.isEmpty }.map(\.id)
        // The grid's cells too (their exact areas, for `stats --db --level grid`; the cases keep no cell).
        let zones = boundaries.levels.flatMap { level in boundaries.zones(level).map { ($0, areas.km2(level, $0.id)) } }
        let counts = try store.save(cases: cases.located, removing: gone, zones: zones,
                                    run: StoredRun(asOf: window.asOf, windowDays: window.days, boundaries: boundariesFolder.path),
                                    style: style)
        return DatabaseUpdate(path: store.url.path, counts: counts)
    }

    /// When the stored cases were located with other boundaries (or another gazetteer), locates them
    /// again: by their point when their row had coordinates, else by their address. A case that falls
    /// in no zone now keeps its record but counts nowhere. Returns how many were located again, nil
    /// when nothing had to be done.
    func relocateStored() throws -> Int? {
        guard let fingerprint = locator.locationFingerprint else { return nil }
        let recorded = try store.locatedWith()
        guard recorded != fingerprint else { return nil }
        if recorded == nil, try store.isEmpty() {
            try store.relocate([], fingerprint: fingerprint)
            return nil
        }
        let stored = try store.storedLocations()
        let byPoint = stored.filter { $0.method == .coordinates && $0.point != nil }
        var updates = zip(byPoint, try locator.zoneIDs(of: byPoint.compactMap(\.point))).map { c, zones in
            CaseStore.Relocated(rowid: c.rowid, point: c.point, zones: zones ?? ZoneRef())
        }
        let byAddress = stored.filter { !($0.method == .coordinates && $0.point != nil) }
        if let answers = locator.geocode(byAddress.map(\.address), homeFrom: stored.map(\.address)) {
            for (c, r) in zip(byAddress, answers) {
                updates.append(r.isLocated ? CaseStore.Relocated(rowid: c.rowid, point: r.point, zones: r.zones)
                                           : CaseStore.Relocated(rowid: c.rowid, point: nil, zones: ZoneRef()))
            }
        }
        try store.relocate(updates, fingerprint: fingerprint)
        return updates.count
    }
}
