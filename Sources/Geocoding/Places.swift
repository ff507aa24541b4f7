import Geometry
import Input

/// The zone ids a place or a case reaches, finest level last; nil where not known.
public struct ZonePath: Sendable, Hashable, Codable {
    public var street: String?
    public var community: String?
    public var post: String?
    public init(street: String? = nil, community: String? = nil, post: String? = nil) {
        self.street = street; self.community = community; self.post = post
    }

    public subscript(level: ZoneLevel) -> String? {
        switch level {
        case .street: street
        case .community: community
        case .post: post
        }
    }
    public var finest: ZoneLevel? { post != nil ? .post : community != nil ? .community : street != nil ? .street : nil }
    public var isEmpty: Bool { street == nil }

    /// The levels both paths share, from the street down, stopping at the first difference.
    public func common(with o: ZonePath) -> ZonePath {
        guard street == o.street else { return ZonePath() }
        guard community == o.community else { return ZonePath(street: street) }
        guard post == o.post else { return ZonePath(street: street, community: community) }
        return self
    }
    /// True when no level where both are known differs (a street-only path fits its communities).
    public func fits(_ o: ZonePath) -> Bool {
        ZoneLevel.allCases.allSatisfy { self[$0] == nil || o[$0] == nil || self[$0] == o[$0] }
    }
    public var text: String { [street, community, post].map { $0 ?? "-" }.joined(separator: "/") }
}

/// A named thing an address can mention: a zone (by name or alias), a road, a door, an estate, a
/// building or a POI. Gazetteer places carry a point and the zones it falls in.
public struct Place: Sendable, Hashable {
    public var name: String
    public var kind: PlaceKind
    public var point: Coordinate?
    /// Empty for a gazetteer point outside every zone, and for roads (they cross zones).
    public var zones: ZonePath
    /// The door number, for doors.
    public var number: Int?
}
