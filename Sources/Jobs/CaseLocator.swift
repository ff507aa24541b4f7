import Foundation
import Geocoding
import Geometry
import Input
import Output
import Projection

/// Places case records into zones: coordinates first (converted to WGS84, then point-in-polygon),
/// and accounts for every record: located, or rejected with its reason.
public struct CaseLocator {
    public private(set) var boundaries: Boundaries
    public let defaultCRS: CRS
    private let parentOf: [ZoneLevel: [String: String]]
    /// Levels finest first, each with its non-empty zones and their first index in `zoneTable`.
    private var searchOrder: [(level: ZoneLevel, zones: [Zone], offset: Int)] = []
    /// The ids at every level of each zone of `searchOrder`, resolved once.
    public private(set) var zoneTable: [ZoneIDs] = []
    /// The address geocoder, once `enableGeocoding` has run: rows without coordinates are then
    /// located by their address instead of rejected.
    public private(set) var geocoder: Geocoder?
    /// Gazetteer rows skipped (bad coordinates), for the report.
    public private(set) var gazetteerWarnings: [String] = []
    /// The case database's geocode cache (`run --db`): when set, addresses already geocoded under the
    /// same boundaries, gazetteer and home district are not geocoded again. Nil: everything is geocoded.
    public var geocodeCache: GeocodeCache?
    /// Bars for locating and geocoding (`run` on a terminal); silent by default.
    public var progress: ProgressSink = .silent

    public init(boundaries: Boundaries, defaultCRS: CRS) {
        self.boundaries = boundaries
        self.defaultCRS = defaultCRS
        var parents: [ZoneLevel: [String: String]] = [:]
        for level in ZoneLevel.allCases {
            parents[level] = Dictionary(boundaries.zones(level).compactMap { z in z.parent.map { (z.id, $0) } },
                                        uniquingKeysWith: { a, _ in a })
        }
        parentOf = parents
        for level in ZoneLevel.allCases.reversed() {
            let zones = boundaries.zones(level).filter { !$0.geometry.isEmpty }
            guard !zones.isEmpty else { continue }
            searchOrder.append((level, zones, zoneTable.count))
            zoneTable += zones.map { ids(from: $0.id, at: level) }
        }
    }

    public func locate(_ records: [CaseRecord]) throws -> (located: [LocatedCase], rejected: [RejectedRow]) {
        let outcome = try locateAll(records)
        return (outcome.located, outcome.rejected)
    }

    /// Every record located (by coordinates, else by address when geocoding is enabled) or rejected,
    /// with the address/coordinate disagreements and the geocoder's figures.
    public func locateAll(_ records: [CaseRecord]) throws -> LocateOutcome {
        var rejected: [RejectedRow] = []
        var withPoints: [(record: CaseRecord, point: Coordinate)] = []
        var addressOnly: [CaseRecord] = []
        let converted = try toWGS84(records)
        for (record, result) in zip(records, converted) {
            switch result {
            case .success(let p): withPoints.append((record, p))
            case .failure(let r) where r.reason == .noCoordinates && geocoder != nil: addressOnly.append(record)
            case .failure(let r): rejected.append(r)
            }
        }
        let zones = try zoneIDs(of: withPoints.map(\.point))
        var located: [LocatedCase] = []
        located.reserveCapacity(withPoints.count)
        for (item, ids) in zip(withPoints, zones) {
            guard let ids else {
                rejected.append(reject(item.record, .outside, String(format: "point %.6f, %.6f is outside every zone",
                                                                     item.point.x, item.point.y)))
                continue
            }
            located.append(LocatedCase(record: item.record, point: item.point, street: ids.street,
                                       community: ids.community, post: ids.post, method: .coordinates, confidence: 1))
        }
        var outcome = LocateOutcome(located: located, rejected: rejected)
        if let geocoder {
            try AddressLocator(geocoder: geocoder.withHome(from: records.map(\.address)), gazetteerWarnings: gazetteerWarnings,
                               gazetteerPath: gazetteerPath, cache: geocodeCache, progress: progress)
                .run(addressOnly, checking: located.count, into: &outcome, reject: reject)
        }
        return outcome
    }

    /// The gazetteer file the geocoder reads (absolute), "" for none.
    var gazetteerPath: String { boundaries.gazetteer?.standardizedFileURL.path ?? "" }

    /// What the zones of located cases depend on (boundary files, their CRS, gazetteer, geocoder):
    /// the geocode cache's fingerprint; nil without a cache (no database).
    var locationFingerprint: String? { geocodeCache?.fingerprint(gazetteerPath: gazetteerPath) }

    public struct ZoneIDs: Sendable { public var street: String?; public var community: String?; public var post: String? }

    /// The zone ids of each point: the finest level that holds it, and its ancestors by their
    /// `parent` ids, so that the levels always nest and a border point lands in exactly one zone.
    public func zoneIDs(of points: [Coordinate]) throws -> [ZoneIDs?] {
        try zoneRefs(of: points).map { $0 < 0 ? nil : zoneTable[Int($0)] }
    }

    /// Like `zoneIDs`, as indexes into `zoneTable` (-1: in no zone): no strings are touched per
    /// point, which matters for a million points.
    public func zoneRefs(of points: [Coordinate]) throws -> [Int32] {
        var result = [Int32](repeating: -1, count: points.count)
        var pending = Array(points.indices)
        // One step per level: each is a single parallel point-in-polygon pass over the points left.
        let bar = progress.bar("locating")
        defer { bar.finish() }
        for (step, (_, zones, offset)) in searchOrder.enumerated() {
            guard !pending.isEmpty else { break }
            bar.update(step, of: searchOrder.count)
            let all = pending.count == points.count
            let hits = try PointLocator.locateAll(all ? points : pending.map { points[$0] }, in: zones.map(\.geometry))
            var still: [Int] = []
            for (i, hit) in zip(pending, hits) {
                if let hit { result[i] = Int32(offset + hit) } else { still.append(i) }
            }
            pending = still
        }
        return result
    }

    func ids(from id: String, at level: ZoneLevel) -> ZoneIDs {
        var ids = ZoneIDs()
        var current: String? = id
        var l: ZoneLevel? = level
        while let lvl = l, let cur = current {
            switch lvl {
            case .post: ids.post = cur
            case .community: ids.community = cur
            case .street: ids.street = cur
            }
            current = parentOf[lvl]?[cur]
            l = lvl.parentLevel
        }
        return ids
    }

    /// Each record's WGS84 point, or why it has none. One transformer per coordinate system.
    func toWGS84(_ records: [CaseRecord]) throws -> [Result<Coordinate, RejectedRow>] {
        var transformers: [CRS: CoordinateTransformer] = [:]
        var failedCRS: [CRS: String] = [:]
        return records.map { record in
            if let problem = record.coordinateProblem {
                return .failure(reject(record, problem, record.coordinateProblemDetail))
            }
            guard let raw = record.rawCoordinate else {
                return .failure(reject(record, .noCoordinates, "no coordinates, and address geocoding is not available"))
            }
            let crs = record.crs ?? defaultCRS
            if crs == .wgs84 { return .success(raw) }
            if let message = failedCRS[crs] { return .failure(reject(record, .unknownCRS, message)) }
            if transformers[crs] == nil {
                do { transformers[crs] = try CoordinateTransformer(from: crs) } catch {
                    failedCRS[crs] = "\(error)"
                    return .failure(reject(record, .unknownCRS, "\(error)"))
                }
            }
            guard let p = transformers[crs]!.transform(raw), p.isFinite,
                  abs(p.x) <= 180, abs(p.y) <= 90 else {
                return .failure(reject(record, .outOfRange, "\(raw.x), \(raw.y) cannot be converted from \(crs)"))
            }
            return .success(p)
        }
    }

    func reject(_ r: CaseRecord, _ reason: RejectReason, _ detail: String) -> RejectedRow {
        RejectedRow(file: r.file, line: r.line, id: r.id, reason: reason, detail: detail, fields: r.fields)
    }
}

extension RejectedRow: Error {}

extension CaseLocator {
    /// Builds the address geocoder from the zone names and the folder's `gazetteer.csv` (if any), its
    /// points placed into zones by the same point-in-polygon as the cases.
    /// `gazetteer` overrides the folder's own file.
    public mutating func enableGeocoding(home: HomeArea = HomeArea(), gazetteer: URL? = nil) throws {
        var entries: [GazetteerEntry] = []
        if let gazetteer { boundaries.gazetteer = gazetteer }
        if let url = boundaries.gazetteer {
            let g = try Gazetteer.read(url: url)
            entries = g.entries
            gazetteerWarnings = g.warnings
        }
        geocoder = try makeGeocoder(entries, home: home)
    }

    func makeGeocoder(_ entries: [GazetteerEntry], home: HomeArea) throws -> Geocoder {
        try Geocoder(streets: boundaries.streets, communities: boundaries.communities, posts: boundaries.posts,
                     gazetteer: entries, home: home) { points in
            try zoneIDs(of: points).map { ids in
                ids.map { ZonePath(street: $0.street, community: $0.community, post: $0.post) } ?? ZonePath()
            }
        }
    }
}

extension CaseLocator {
    /// The WGS84 points of the records that have usable coordinates (for benchmarks).
    public func wgs84Points(_ records: [CaseRecord]) throws -> [Coordinate] {
        try toWGS84(records).compactMap { try? $0.get() }
    }
}

/// What `locateAll` found: the cases, the rejects, and what the address geocoder did.
public struct LocateOutcome: Sendable {
    public var located: [LocatedCase]
    public var rejected: [RejectedRow]
    /// Case id → warning, for cases whose address and coordinates disagree (coordinates win).
    public var warnings: [String: String] = [:]
    public var geocode = GeocodeStats()
}

/// The geocoder's figures for `report.json`.
public struct GeocodeStats: Sendable {
    public var home = ""
    /// The gazetteer file used (absolute), so that `riskmap locate --out` can find it again.
    public var gazetteer = ""
    public var gazetteerEntries = 0
    public var gazetteerSkipped = 0
    public var addressRows = 0
    public var located = 0
    public var byMatch: [String: Int] = [:]
    public var rejected: [String: Int] = [:]
    /// Rows with coordinates whose address was geocoded too, and how many disagreed beyond their community.
    public var checkedRows = 0
    public var disagreements = 0
    /// With the geocode cache (`run --db`): distinct normalised addresses found in it, and not.
    public var cache: (hits: Int, misses: Int)?
    public var seconds = 0.0

    /// The `geocode` part of report.json (`disagreements` goes to its `address_warnings`).
    public var report: RunReport.Geocode {
        RunReport.Geocode(home: home, gazetteer: gazetteer, gazetteerEntries: gazetteerEntries, gazetteerRowsSkipped: gazetteerSkipped,
                          addressRows: addressRows, located: located, byMatch: byMatch, rejected: rejected,
                          checkedRowsWithCoordinates: checkedRows, seconds: (seconds * 1000).rounded() / 1000,
                          cache: cache.map { RunReport.Geocode.Cache(hits: $0.hits, misses: $0.misses) })
    }
}

/// Locates rows without coordinates by their address, and checks the addresses of rows with
/// coordinates against them.
struct AddressLocator {
    let geocoder: Geocoder
    let gazetteerWarnings: [String]
    let gazetteerPath: String
    let cache: GeocodeCache?
    let progress: ProgressSink

    func run(_ addressOnly: [CaseRecord], checking checked: Int, into outcome: inout LocateOutcome,
             reject: (CaseRecord, RejectReason, String) -> RejectedRow) throws {
        let started = Date()
        var stats = GeocodeStats()
        stats.home = geocoder.home.description
        stats.gazetteer = gazetteerPath
        stats.gazetteerEntries = geocoder.gazetteerSize
        stats.gazetteerSkipped = gazetteerWarnings.count
        stats.addressRows = addressOnly.count
        // The rows with coordinates are checked against their address (see `checkDisagreements`).
        let withAddress = outcome.located.prefix(checked).filter {
            !$0.record.address.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        let answers = try geocode(addressOnly.map(\.address) + withAddress.map(\.record.address), stats: &stats)
        for (record, r) in zip(addressOnly, answers) {
            if let reason = r.reason {
                let (why, detail) = reason == .notFound && geocoder.gazetteerSize == 0
                    ? (RejectReason.noCoordinates, "no coordinates, and the address names no zone (no gazetteer.csv)")
                    : (reason, r.detail)
                outcome.rejected.append(reject(record, why, detail))
                stats.rejected[why.rawValue, default: 0] += 1
                continue
            }
            stats.located += 1
            stats.byMatch[r.match?.rawValue ?? "none", default: 0] += 1
            outcome.located.append(LocatedCase(record: record, point: r.point, street: r.zones.street,
                                               community: r.zones.community, post: r.zones.post,
                                               method: r.method ?? .name, confidence: r.confidence))
        }
        checkDisagreements(withAddress, answers.suffix(withAddress.count), into: &outcome, stats: &stats)
        stats.seconds = Date().timeIntervalSince(started)
        outcome.geocode = stats
    }

    /// What the geocoder makes of each address: through the cache when there is one, else all geocoded.
    func geocode(_ addresses: [String], stats: inout GeocodeStats) throws -> [GeocodeAnswer] {
        let bar = progress.bar("geocoding")
        defer { bar.finish() }
        guard let cache else { return geocoder.geocodeAll(addresses, bar: bar).map(GeocodeAnswer.init) }
        let (answers, hits, misses) = try cache.answers(addresses, geocoder: geocoder,
                                                        fingerprint: cache.fingerprint(gazetteerPath: gazetteerPath), bar: bar)
        stats.cache = (hits, misses)
        return answers
    }

    /// Coordinates win over the address; when the address points to another community (or street),
    /// the case says so. Post-level differences are normal (an address names a building, the
    /// coordinates where the complaint was made) and not flagged.
    func checkDisagreements(_ withAddress: [LocatedCase], _ answers: ArraySlice<GeocodeAnswer>, into outcome: inout LocateOutcome,
                            stats: inout GeocodeStats) {
        stats.checkedRows = withAddress.count
        for (c, r) in zip(withAddress, answers) where r.isLocated {
            let byCoordinates = ZonePath(street: c.street, community: c.community)
            let byAddress = ZonePath(street: r.zones.street, community: r.zones.community)
            guard !byAddress.fits(byCoordinates) else { continue }
            stats.disagreements += 1
            outcome.warnings[c.record.id] = "address points to \(byAddress.text) (\(r.best ?? "?")), "
                + "coordinates to \(byCoordinates.text): coordinates used"
        }
    }
}

extension Geocoder {
    /// `geocodeAll` in blocks, so that a progress bar can move between them; each block still runs on
    /// all cores (a block is far above the geocoder's 256 addresses per worker).
    func geocodeAll(_ addresses: [String], bar: ProgressBar?) -> [GeocodeResult] {
        guard let bar else { return geocodeAll(addresses) }
        let block = 16_384
        var results: [GeocodeResult] = []
        results.reserveCapacity(addresses.count)
        for start in stride(from: 0, to: addresses.count, by: block) {
            results += geocodeAll(Array(addresses[start..<min(addresses.count, start + block)]))
            bar.update(results.count, of: addresses.count)
        }
        return results
    }
}
