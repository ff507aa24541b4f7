import Foundation
import Support
import Geocoding
import Geometry
import Input
import Model
import Projection

/// Places case records into zones: coordinates first (converted to WGS84, then located in the
/// `ZoneIndex`), then, once `enableGeocoding` has run, addresses; and accounts for every record:
/// located, or rejected with its reason.
public struct CaseLocator {
    /// The zones, indexed once for the whole run.
    public let index: ZoneIndex
    public var boundaries: Boundaries { index.boundaries }
    public let defaultCRS: CRS
    /// The gazetteer the geocoder reads: the boundaries folder's, or the one `enableGeocoding` was given.
    public private(set) var gazetteer: URL?
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

    public init(index: ZoneIndex, defaultCRS: CRS) {
        self.index = index
        self.defaultCRS = defaultCRS
        gazetteer = index.boundaries.gazetteer
    }

    /// With an index made for this locator alone (tests, one-off tools).
    public init(boundaries: Boundaries, defaultCRS: CRS) {
        self.init(index: ZoneIndex(boundaries: boundaries), defaultCRS: defaultCRS)
    }

    public func locate(_ records: [CaseRecord]) throws -> (located: [LocatedCase], rejected: [RejectedRow]) {
        let outcome = try locateAll(records)
        return (outcome.located, outcome.rejected)
    }

    /// Every record located (by coordinates, else by address when geocoding is enabled) or rejected,
    /// with the address/coordinate disagreements and the geocoder's figures.
    public func locateAll(_ records: [CaseRecord]) throws -> LocateOutcome {
        // Positions into `records` rather than copies of them: at ten million rows every copy of the
        // records is gigabytes.
        var rejected: [RejectedRow] = []
        var withPoints: [Int] = [], points: [Coordinate] = []
        var addressOnly: [Int] = []
        var converter = WGS84Converter(defaultCRS: defaultCRS)
        for (i, record) in records.enumerated() {
            switch converter.point(of: record) {
            case .success(let p): withPoints.append(i); points.append(p)
            case .failure(let r) where r.reason == .noCoordinates && geocoder != nil: addressOnly.append(i)
            case .failure(let r): rejected.append(r)
            }
        }
        // Positions in the index's table (4 bytes a point), not a ZoneRef per point (49).
        let zones = try index.positions(of: points, progress: progress)
        var located: [LocatedCase] = []
        // Room for the address rows too: growing the array when they are appended would copy every
        // located case into a buffer twice the size (gigabytes at ten million rows).
        located.reserveCapacity(withPoints.count + addressOnly.count)
        for (k, position) in zones.enumerated() {
            let record = records[withPoints[k]], point = points[k]
            guard position >= 0 else {
                rejected.append(reject(record, .outside, String(format: "point %.6f, %.6f is outside every zone",
                                                                point.x, point.y)))
                continue
            }
            located.append(LocatedCase(record: record.withoutFields, point: point, zones: index.refs[Int(position)],
                                       method: .coordinates,
                                       confidence: 1))
        }
        withPoints = []; points = []
        var outcome = LocateOutcome(located: located, rejected: rejected)
        located = []
        if let geocoder {
            let book = AddressBook(records.map(\.address))
            try AddressLocator(geocoder: geocoder.withHome(from: book), book: book, gazetteerWarnings: gazetteerWarnings,
                               gazetteerPath: gazetteerPath, cache: geocodeCache, progress: progress)
                .run(addressOnly.map { records[$0] }, checking: outcome.located.count, into: &outcome, reject: reject)
        }
        return outcome
    }

    /// The gazetteer file the geocoder reads (absolute), "" for none.
    var gazetteerPath: String { gazetteer?.standardizedFileURL.path ?? "" }

    /// What the zones of located cases depend on (boundary files, their CRS, gazetteer, geocoder):
    /// the geocode cache's fingerprint; nil without a cache (no database).
    public var locationFingerprint: String? { geocodeCache?.fingerprint(gazetteerPath: gazetteerPath) }

    /// What the geocoder makes of each of `addresses` (all of them among `everyAddress`), its home
    /// district inferred from `everyAddress` unless it has one: each distinct address normalised once,
    /// each distinct normalised address geocoded once (`AddressBook`). nil before `enableGeocoding`.
    /// For stored cases located again when the boundaries change.
    public func geocode(_ addresses: [String], homeFrom everyAddress: [String]) -> [GeocodeResult]? {
        guard let geocoder else { return nil }
        let book = AddressBook(everyAddress)
        let wanted = distinctKeys(addresses.map { address in
            guard let key = book.key(of: address) else { preconditionFailure("an address not among everyAddress") }
            return key
        })
        let answers = geocoder.withHome(from: book).geocode(wanted.first, of: book, bar: nil)
        return wanted.of.map { answers[$0] }
    }

    /// The zone ids of each point (see `ZoneIndex`).
    public func zoneIDs(of points: [Coordinate]) throws -> [ZoneRef?] {
        try index.zones(of: points, progress: progress)
    }

    /// Like `zoneIDs`, as positions in `zoneTable` (-1: in no zone).
    public func zoneRefs(of points: [Coordinate]) throws -> [Int32] {
        try index.positions(of: points, progress: progress)
    }

    /// The zone ids of every zone, in the order of `zoneRefs`' positions.
    public var zoneTable: [ZoneRef] { index.refs }

    /// Each record's WGS84 point, or why it has none (see `WGS84Converter`).
    func toWGS84(_ records: [CaseRecord]) throws -> [Result<Coordinate, RejectedRow>] {
        var converter = WGS84Converter(defaultCRS: defaultCRS)
        return records.map { converter.point(of: $0) }
    }

    func reject(_ r: CaseRecord, _ reason: RejectReason, _ detail: String) -> RejectedRow {
        r.rejected(reason, detail)
    }
}

extension RejectedRow: Error {}

/// A record's WGS84 point, or why it has none. The rows of one coordinate system are converted with
/// its one transformer (`TransformerCache`); a system PROJ cannot use is tried once.
struct WGS84Converter {
    let defaultCRS: CRS
    private var failedCRS: [CRS: String] = [:]

    init(defaultCRS: CRS) { self.defaultCRS = defaultCRS }

    mutating func point(of record: CaseRecord) -> Result<Coordinate, RejectedRow> {
        if let problem = record.coordinateProblem {
            return .failure(record.rejected(problem, record.coordinateProblemDetail))
        }
        guard let raw = record.rawCoordinate else {
            return .failure(record.rejected(.noCoordinates, "no coordinates, and address geocoding is not available"))
        }
        let crs = record.crs ?? defaultCRS
        if crs == .wgs84 { return .success(raw) }
        if let message = failedCRS[crs] { return .failure(record.rejected(.unknownCRS, message)) }
        let converted: Coordinate?
        do { converted = try TransformerCache.shared.withTransformer(from: crs) { $0.transform(raw) } } catch {
            failedCRS[crs] = "\(error)"
            return .failure(record.rejected(.unknownCRS, "\(error)"))
        }
        guard let p = converted, p.isFinite, abs(p.x) <= 180, abs(p.y) <= 90 else {
            return .failure(record.rejected(.outOfRange, "\(raw.x), \(raw.y) cannot be converted from \(crs)"))
        }
        return .success(p)
    }
}

extension CaseRecord {
    /// This row rejected: its file, line, id and original fields (none when they were dropped, see
    /// `withoutFields`), with the reason.
    func rejected(_ reason: RejectReason, _ detail: String) -> RejectedRow {
        RejectedRow(file: file, line: line, id: id, reason: reason, detail: detail, fields: fields)
    }

}

extension CaseLocator {
    /// Builds the address geocoder from the zone names and the folder's `gazetteer.csv` (if any), its
    /// points placed into zones by the same point-in-polygon as the cases.
    /// `gazetteer` overrides the folder's own file.
    public mutating func enableGeocoding(home: HomeArea = HomeArea(), gazetteer: URL? = nil) throws {
        var entries: [GazetteerEntry] = []
        if let gazetteer { self.gazetteer = gazetteer }
        if let url = self.gazetteer {
            let g = try Gazetteer.read(url: url)
            entries = g.entries
            gazetteerWarnings = g.warnings
        }
        geocoder = try makeGeocoder(entries, home: home)
    }

    func makeGeocoder(_ entries: [GazetteerEntry], home: HomeArea) throws -> Geocoder {
        try Geocoder(streets: boundaries.streets, communities: boundaries.communities, posts: boundaries.posts,
                     gazetteer: entries, home: home) { [index] points in
            try index.zones(of: points).map { $0 ?? ZoneRef() }
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
