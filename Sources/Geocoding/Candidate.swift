import Geometry
import Input
import Model

/// How a name in the address was matched.
public enum MatchKind: String, Sendable, Codable, CaseIterable {
    /// The name as written (after normalisation).
    case exact
    /// One of the zone's `aliases`.
    case alias
    /// One or two characters wrong or missing.
    case fuzzy
    /// A door number missing from the gazetteer: the nearest door on the same road.
    case nearestDoor = "nearest-door"
    /// A road without a door number: only the zones all its doors agree on.
    case road
}

/// One place an address may mean, with the zones it leads to and how sure that is (0..1).
public struct Candidate: Sendable, Hashable {
    public var name: String
    public var kind: PlaceKind
    public var match: MatchKind
    public var point: Coordinate?
    public var zones: ZoneRef
    public var score: Double
    /// Characters edited for a fuzzy match.
    public var edits = 0

    public var label: String { "\(name) (\(kind.rawValue), \(match.rawValue), \(zones.text))" }
}

/// What the geocoder made of one address.
public struct GeocodeResult: Sendable {
    public var address: String
    public var normalized: String
    public var components: AddressComponents
    /// Set when the address could not be located; `detail` says why.
    public var rejectReason: RejectReason?
    public var detail = ""
    public var point: Coordinate?
    public var zones = ZoneRef()
    /// `address` with a gazetteer point, `name` with zone names only; nil when rejected.
    public var method: LocationMethod?
    public var confidence = 0.0
    /// How the deciding name matched.
    public var match: MatchKind?
    public var best: Candidate?
    /// Other places the address could mean, best first.
    public var runnersUp: [Candidate] = []

    public var isLocated: Bool { rejectReason == nil }
}
