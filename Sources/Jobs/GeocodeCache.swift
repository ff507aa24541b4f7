import Foundation
import Geocoding
import Geometry
import Input
import Projection
import Risk
import Store

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

    public init(store: CaseStore, boundaries folder: URL, crs: CRS) {
        self.store = store
        boundariesPart = (["geocoder:\(Geocoder.logicVersion)", "crs:\(crs)"] + ZoneLevel.allCases.map { level in
            "\(level.fileName):\(Self.hash(folder.appendingPathComponent(level.fileName)))"
        }).joined(separator: " ")
    }

    /// The fingerprint of a run whose geocoder read the gazetteer at `gazetteerPath` ("": none).
    func fingerprint(gazetteerPath: String) -> String {
        boundariesPart + " gazetteer:" + (gazetteerPath.isEmpty ? "none" : Self.hash(URL(fileURLWithPath: gazetteerPath)))
    }

    static func hash(_ file: URL) -> String {
        (try? Data(contentsOf: file)).map(fnv1a64Hex) ?? "missing"
    }

    /// What `geocoder` makes of each of `addresses` (in their order): each distinct normalised address is
    /// looked up once; the ones not found (or whose stored bytes do not decode) are geocoded on all cores,
    /// one address standing for each, and stored. Hits and misses count distinct normalised addresses.
    func answers(_ addresses: [String], geocoder: Geocoder,
                 fingerprint: String) throws -> (answers: [GeocodeAnswer], hits: Int, misses: Int) {
        var slotOfAddress: [String: Int] = [:], slotOfKey: [String: Int] = [:]
        var keys: [String] = [], sample: [String] = [], slots: [Int] = []
        slots.reserveCapacity(addresses.count)
        for address in addresses {
            if let slot = slotOfAddress[address] { slots.append(slot); continue }
            let key = Normalizer.normalizedString(address)
            let slot = slotOfKey[key] ?? keys.count
            if slot == keys.count { keys.append(key); sample.append(address); slotOfKey[key] = slot }
            slotOfAddress[address] = slot
            slots.append(slot)
        }
        let home = geocoder.home.description
        let stored = try store.cachedGeocodes(fingerprint: fingerprint, home: home, keys: keys)
        let decoder = JSONDecoder()
        var found = keys.map { key in stored[key].flatMap { try? decoder.decode(GeocodeAnswer.self, from: $0) } }
        let missing = found.indices.filter { found[$0] == nil }
        let encoder = JSONEncoder()
        var fresh: [String: Data] = [:]
        for (slot, result) in zip(missing, geocoder.geocodeAll(missing.map { sample[$0] })) {
            let answer = GeocodeAnswer(result)
            found[slot] = answer
            fresh[keys[slot]] = try? encoder.encode(answer)
        }
        try store.storeGeocodes(fingerprint: fingerprint, home: home, fresh)
        return (slots.map { found[$0]! }, keys.count - missing.count, missing.count)
    }
}

/// What a run uses of a `GeocodeResult`, and what the geocode cache keeps of it (as compact JSON: short
/// keys, nil fields left out). Rejected addresses are kept too: working them out costs the same.
struct GeocodeAnswer: Codable, Equatable, Sendable {
    var reason: RejectReason?
    var detail: String
    var lon: Double?
    var lat: Double?
    var street: String?
    var community: String?
    var post: String?
    var method: LocationMethod?
    var confidence: Double
    var match: MatchKind?
    /// The deciding candidate's name, for the disagreement warning.
    var best: String?

    enum CodingKeys: String, CodingKey {
        case reason = "r", detail = "d", lon = "x", lat = "y", street = "s", community = "c", post = "p", method = "m"
        case confidence = "f", match = "k", best = "b"
    }

    init(_ r: GeocodeResult) {
        reason = r.rejectReason
        detail = r.detail
        lon = r.point?.x
        lat = r.point?.y
        (street, community, post) = (r.zones.street, r.zones.community, r.zones.post)
        method = r.method
        confidence = r.confidence
        match = r.match
        best = r.best?.name
    }

    var isLocated: Bool { reason == nil }
    var point: Coordinate? { lon.flatMap { x in lat.map { Coordinate(x, $0) } } }
    var zones: ZonePath { ZonePath(street: street, community: community, post: post) }
}
