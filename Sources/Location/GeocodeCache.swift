import Support
import Foundation
import Geocoding
import Geometry
import Input
import Model
import Projection
import Store

/// The three boundary files of a folder, each named with the hash of its content: what the tiles, the
/// geocoder and the stored cases' zones depend on. Read once per run.
public struct BoundaryFiles: Sendable {
    public let hashes: [String]
    public init(folder: URL) {
        hashes = ZoneLevel.allCases.map { "\($0.fileName):\(Self.hash(folder.appendingPathComponent($0.fileName)))" }
    }

    static func hash(_ file: URL) -> String {
        (try? Data(contentsOf: file)).map(fnv1a64Hex) ?? "missing"
    }
}

/// The case database's geocode cache as a run uses it (`riskmap run --db`): set `CaseLocator.geocodeCache`
/// and `locateAll` geocodes only the distinct normalised addresses the database has no result for, then
/// stores theirs.
///
/// A result depends only on the normalised address (the key), the home district (the scope) and the
/// geocoder's index and code (the fingerprint: the three boundary files and the CRS they are read in,
/// the gazetteer file, `Geocoder.logicVersion`). A result stored under another fingerprint is never used.
public struct GeocodeCache: Sendable {
    public let store: CaseStore
    /// The fingerprint's parts that do not depend on the gazetteer (that is added per run).
    let boundariesPart: String

    public init(store: CaseStore, boundaryFiles: BoundaryFiles, crs: CRS) {
        self.store = store
        boundariesPart = (["geocoder:\(Geocoder.logicVersion)", "crs:\(crs)"] + boundaryFiles.hashes).joined(separator: " ")
    }

    /// The fingerprint of a run whose geocoder read the gazetteer at `gazetteerPath` ("": none).
    func fingerprint(gazetteerPath: String) -> String {
        boundariesPart + " gazetteer:" + (gazetteerPath.isEmpty ? "none" : BoundaryFiles.hash(URL(fileURLWithPath: gazetteerPath)))
    }

    /// What `geocoder` makes of each of the book's keys `wanted` (distinct, in their order): each is
    /// looked up in the database; the ones not found (or whose stored bytes do not decode) are geocoded
    /// on all cores, the key's sample address standing for it, and stored. Hits and misses count keys.
    func answers(_ wanted: [Int], of book: AddressBook, geocoder: Geocoder,
                 fingerprint: String, bar: ProgressBar? = nil) throws -> (answers: [GeocodeAnswer], hits: Int, misses: Int) {
        let keys = wanted.map { book.keys[$0] }
        let home = geocoder.home.description
        var found = try store.cachedGeocodes(fingerprint: fingerprint, home: home, keys: keys)
            .map { $0.flatMap(GeocodeAnswer.init(bytes:)) }
        let missing = found.indices.filter { found[$0] == nil }
        var fresh: [String: Data] = [:]
        for (slot, answer) in zip(missing, geocoder.geocode(missing.map { wanted[$0] }, of: book, bar: bar,
                                                            keeping: GeocodeAnswer.init)) {
            found[slot] = answer
            fresh[keys[slot]] = answer.bytes
        }
        try store.storeGeocodes(fingerprint: fingerprint, home: home, fresh)
        return (found.map { $0! }, keys.count - missing.count, missing.count)
    }
}

/// For each key, the position of its first appearance among the distinct keys, and the distinct keys
/// in order of first appearance.
func distinctKeys<Key: FixedWidthInteger>(_ keys: [Key]) -> (of: [Key], first: [Int]) {
    var distinct = DistinctKeys<Key>(expected: keys.count)
    for k in keys { distinct.add(k) }
    return (distinct.of, distinct.first)
}

/// `distinctKeys`, filled a key at a time. The positions are of the keys' own type: a run adds a 4-byte
/// key for each of its ten million rows.
struct DistinctKeys<Key: FixedWidthInteger> {
    private(set) var of: [Key] = []
    private(set) var first: [Int] = []
    private var position: [Key: Key] = [:]

    init(expected count: Int) { of.reserveCapacity(count) }

    mutating func add(_ key: Key) {
        if let p = position[key] { of.append(p); return }
        first.append(Int(key))
        position[key] = Key(first.count - 1)
        of.append(Key(first.count - 1))
    }
}

/// What a run uses of a `GeocodeResult`, and what the geocode cache keeps of it. Rejected addresses are
/// kept too: working them out costs the same.
struct GeocodeAnswer: Equatable, Sendable {
    var reason: RejectReason?
    var detail: String
    var lon: Double?
    var lat: Double?
    var zones: ZoneRef
    var method: LocationMethod?
    var confidence: Double
    var match: MatchKind?
    /// The deciding candidate's name, for the disagreement warning.
    var best: String?

    var isLocated: Bool { reason == nil }
    var point: Coordinate? { lon.flatMap { x in lat.map { Coordinate(x, $0) } } }
}

extension GeocodeAnswer {
    init(reason: RejectReason?, detail: String, lon: Double?, lat: Double?, street: String?, community: String?, post: String?,
         method: LocationMethod?, confidence: Double, match: MatchKind?, best: String?) {
        self.init(reason: reason, detail: detail, lon: lon, lat: lat, zones: ZoneRef(street: street, community: community, post: post),
                  method: method, confidence: confidence, match: match, best: best)
    }

    init(_ r: GeocodeResult) {
        reason = r.rejectReason
        detail = r.detail
        lon = r.point?.x
        lat = r.point?.y
        zones = r.zones
        method = r.method
        confidence = r.confidence
        match = r.match
        best = r.best?.name
    }
}

/// The cache's bytes of an answer: a format byte, then the fields in order, each text as its UTF-8 length
/// plus one (LEB128; 0 for nil) and its bytes, each number as a presence byte and its 8 IEEE 754 bytes.
/// A tenth of what JSON costs to read, where reading is what a cache does most (13,709 answers: 0.12 s
/// through JSONDecoder, release build). Bytes that do not read back exactly are no answer (a miss).
extension GeocodeAnswer {
    static let format: UInt8 = 1

    var bytes: Data {
        var out = ByteWriter(reserving: 64 + detail.utf8.count)
        out.byte(Self.format)
        out.text(reason?.rawValue); out.text(detail); out.number(lon); out.number(lat)
        out.text(zones.street); out.text(zones.community); out.text(zones.post)
        out.text(method?.rawValue); out.number(confidence); out.text(match?.rawValue); out.text(best)
        return Data(out.bytes)
    }

    init?(bytes data: Data) {
        guard let answer = data.withUnsafeBytes({ raw -> GeocodeAnswer? in
            var reader = ByteReader(raw: raw)
            guard reader.byte() == Self.format else { return nil }
            return GeocodeAnswer(reading: &reader)
        }) else { return nil }
        self = answer
    }

    private init?(reading r: inout ByteReader) {
        guard let reason = r.text(), let detail = r.text(), let lon = r.number(), let lat = r.number(),
              let street = r.text(), let community = r.text(), let post = r.text(), let method = r.text(),
              let confidence = r.number(), let match = r.text(), let best = r.text(), r.atEnd,
              let detail, let confidence, (lon == nil) == (lat == nil) else { return nil }
        /// nil: a text that names no case; .some(nil): no text.
        func value<E: RawRepresentable<String>>(_ text: String?) -> E?? {
            guard let text else { return .some(nil) }
            return E(rawValue: text).map { .some($0) }
        }
        guard let reason: RejectReason? = value(reason), let method: LocationMethod? = value(method),
              let match: MatchKind? = value(match) else { return nil }
        (self.reason, self.detail, self.lon, self.lat) = (reason, detail, lon, lat)
        zones = ZoneRef(street: street, community: community, post: post)
        (self.method, self.confidence, self.match, self.best) = (method, confidence, match, best)
    }
}
