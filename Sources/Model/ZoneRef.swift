/// The zone ids a case, a place or a point reaches at each level, nil where not known: the one
/// street/community/post triple of riskmap (located cases, scoring and hotspot cases, geocoder
/// answers, relocated database rows all hold one). Three optional strings rather than a dictionary:
/// a run makes one per case, millions.
public struct ZoneRef: Sendable, Hashable, Codable {
    public var street: String?
    public var community: String?
    public var post: String?
    /// The grid cell (`ZoneLevel.grid`) of the case's point, when the map has a grid: set when the
    /// map's cases are collected, never stored or compared by `common`/`fits` (a cell is not nested).
    public var grid: String?
    @inlinable public init(street: String? = nil, community: String? = nil, post: String? = nil) {
        self.street = street; self.community = community; self.post = post
    }

    /// From ids by level (levels missing from the dictionary are nil).
    public init(_ ids: [ZoneLevel: String]) {
        self.init(street: ids[.street], community: ids[.community], post: ids[.post])
    }

    @inlinable public subscript(level: ZoneLevel) -> String? {
        get {
            switch level {
            case .street: street
            case .community: community
            case .post: post
            case .grid: grid
            }
        }
        set {
            switch level {
            case .street: street = newValue
            case .community: community = newValue
            case .post: post = newValue
            case .grid: grid = newValue
            }
        }
    }

    /// The finest level with an id; nil when none.
    @inlinable public var finest: ZoneLevel? { post != nil ? .post : community != nil ? .community : street != nil ? .street : nil }
    /// No street: the case or place is in no zone.
    @inlinable public var isEmpty: Bool { street == nil }

    /// The levels both share, from the street down, stopping at the first difference.
    public func common(with o: ZoneRef) -> ZoneRef {
        guard street == o.street else { return ZoneRef() }
        guard community == o.community else { return ZoneRef(street: street) }
        guard post == o.post else { return ZoneRef(street: street, community: community) }
        return self
    }
    /// True when no level where both are known differs (a street-only reference fits its communities).
    public func fits(_ o: ZoneRef) -> Bool {
        ZoneLevel.allCases.allSatisfy { self[$0] == nil || o[$0] == nil || self[$0] == o[$0] }
    }
    /// `street/community/post` with `-` for unknown levels.
    public var text: String { [street, community, post].map { $0 ?? "-" }.joined(separator: "/") }
}
