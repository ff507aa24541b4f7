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
        var chunked = CaseRecords(records)
        return try locateAll(consuming: &chunked)
    }

    /// `locateAll`, giving up the records a chunk at a time as their cases are made (`records` is empty
    /// afterwards). The located cases are in the records' order; the rejects are those of the
    /// coordinates (in the records' order), then of the points outside every zone, then of the addresses.
    public func locateAll(consuming records: inout CaseRecords) throws -> LocateOutcome {
        // Positions into `records` rather than copies of them: at ten million rows every copy of the
        // records is gigabytes.
        var rejected: [RejectedRow] = []
        // Positions as 4-byte numbers: ten million rows make these arrays hundreds of MB otherwise.
        var withPoints: [Int32] = [], points: [Coordinate] = []
        var addressOnly: [Int32] = []
        // Sized once: doubling a 150 MB array holds the old one and the new one together.
        points.reserveCapacity(records.count)
        withPoints.reserveCapacity(records.count)
        var converter = WGS84Converter(defaultCRS: defaultCRS)
        for (i, record) in records.enumerated() {
            switch converter.point(of: record) {
            case .success(let p): withPoints.append(Int32(i)); points.append(p)
            case .failure(let r) where r.reason == .noCoordinates && geocoder != nil: addressOnly.append(Int32(i))
            case .failure(let r): rejected.append(r)
            }
        }
        // Positions in the index's table (4 bytes a point), not a ZoneRef per point (49).
        let zones = try index.positions(of: points, progress: progress)
        let addresses = try geocodeAddresses(of: records, addressOnly: addressOnly, withPoints: withPoints, zones: zones)
        // The normalised book and the geocoder's working sets are gone: their pages go back before the
        // cases are made.
        Memory.returnFreePages()
        var located = Chunked<LocatedCase>()
        var outside: [RejectedRow] = [], unplaced: [RejectedRow] = [], warnings: [String: String] = [:]
        var stats = addresses?.stats ?? GeocodeStats()
        // The records in order, each to its case or reject: the positions of the rows with points and of
        // the address rows are both ascending, so one cursor each finds a record's kind.
        var (k, a, checked) = (0, 0, 0)
        records.consume { i, record in
            let i32 = Int32(i)
            if k < withPoints.count, withPoints[k] == i32 {
                defer { k += 1 }
                let point = points[k]
                guard zones[k] >= 0 else {
                    outside.append(reject(record, .outside, String(format: "point %.6f, %.6f is outside every zone", point.x, point.y)))
                    return
                }
                let c = LocatedCase(record: record.withoutFields, point: point, zones: index.refs[Int(zones[k])],
                                    method: .coordinates, confidence: 1)
                if let addresses, addresses.checked[k] {
                    addresses.locator.check(c, addresses.answers[addressOnly.count + checked], warnings: &warnings, stats: &stats)
                    checked += 1
                }
                located.append(c)
            } else if let addresses, a < addressOnly.count, addressOnly[a] == i32 {
                switch addresses.locator.place(record, addresses.answers[a], stats: &stats) {
                case .success(let c): located.append(c)
                case .failure(let r): unplaced.append(r)
                }
                a += 1
            }
        }
        var outcome = LocateOutcome(cases: located, rejected: rejected + outside + unplaced)
        outcome.warnings = warnings
        if let addresses {
            stats.seconds = Date().timeIntervalSince(addresses.started)
            outcome.geocode = stats
        }
        return outcome
    }

    /// What the geocoder makes of the address rows and of the addresses of the rows located by their
    /// points (`checked`: their positions, ascending), asked at once: each distinct normalised address once.
    private func geocodeAddresses(of records: CaseRecords, addressOnly: [Int32], withPoints: [Int32],
                                  zones: [Int32]) throws -> GeocodedAddresses? {
        guard let geocoder else { return nil }
        let started = Date()
        // Read from the records as the book needs them: an array of every row's address would be 160 MB
        // at ten million rows.
        let book = AddressBook(records.lazy.map(\.address))
        let locator = AddressLocator(geocoder: geocoder.withHome(from: book), gazetteerWarnings: gazetteerWarnings,
                                     gazetteerPath: gazetteerPath, cache: geocodeCache, progress: progress)
        // Which rows with points have their address checked: a bit each (ten million rows).
        var checked = Bits(count: withPoints.count)
        for (k, i) in withPoints.enumerated()
        where zones[k] >= 0 && !Self.isBlank(records[Int(i)].address) {
            checked[k] = true
        }
        var stats = locator.stats(addressRows: addressOnly.count, checkedRows: checked.setCount)
        // The asked addresses by their keys in the book, numbered as they come: no array of every asked
        // address's key or text.
        var asked = DistinctKeys<Int32>(expected: addressOnly.count + checked.setCount)
        for i in addressOnly { asked.add(book.position(of: records[Int(i)].address)) }
        for (k, i) in withPoints.enumerated() where checked[k] { asked.add(book.position(of: records[Int(i)].address)) }
        let answers = try locator.geocode(asked, of: book, stats: &stats)
        return GeocodedAddresses(locator: locator, answers: answers, checked: checked, stats: stats, started: started)
    }

    private static let whiteSpace = CharacterSet.whitespacesAndNewlines

    /// Whether `address` is white space only (what `trimmingCharacters(in: .whitespacesAndNewlines)`
    /// leaves empty), scalar by scalar: most addresses stop at their first. The bridged NSString call
    /// was 1.5 % of the demo run's time.
    static func isBlank(_ address: String) -> Bool { address.unicodeScalars.allSatisfy(whiteSpace.contains) }

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

/// The geocoder's answers for a run's addresses: the address rows' first, then those of the `checked`
/// rows (located by their points; by their place among the rows with points).
private struct GeocodedAddresses {
    let locator: AddressLocator
    let answers: AddressAnswers
    let checked: Bits
    var stats: GeocodeStats
    let started: Date
}

/// What `locateAll` found: the cases, the rejects, and what the address geocoder did.
public struct LocateOutcome: Sendable {
    /// The cases, in chunks: a run gives them up a chunk at a time as the map's cases are made of them.
    public var cases: Chunked<LocatedCase>
    /// The cases as one array (tests, small runs).
    public var located: [LocatedCase] { Array(cases) }
    public var rejected: [RejectedRow]
    /// Case id → warning, for cases whose address and coordinates disagree (coordinates win).
    public var warnings: [String: String] = [:]
    public var geocode = GeocodeStats()
}

/// A fixed number of flags, one bit each.
struct Bits {
    private var words: [UInt64]
    /// How many are set.
    private(set) var setCount = 0
    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }
    subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            guard newValue != self[i] else { return }
            words[i >> 6] ^= 1 << UInt64(i & 63)
            setCount += newValue ? 1 : -1
        }
    }
}
