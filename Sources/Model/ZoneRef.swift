import Foundation

/// The zone ids a case, a place or a point reaches at each level, nil where not known: the one
/// street/community/post triple of riskmap (located cases, scoring and hotspot cases, geocoder
/// answers, relocated database rows all hold one). A handle to interned ids rather than the strings
/// themselves: a run makes one per case, millions.
public struct ZoneRef: Sendable, Hashable, Codable {
    /// The ids, interned: a run holds a reference per case in several arrays (located, scoring,
    /// hotspot and repeat cases), ten million at a province, but only as many distinct ones as the map
    /// has zones (and grid cells). Four bytes a case instead of four optional strings (64); two
    /// references are equal exactly when their handles are.
    private var handle: UInt32

    public var street: String? { get { ids.street } set { replace(\.street, by: newValue) } }
    public var community: String? { get { ids.community } set { replace(\.community, by: newValue) } }
    public var post: String? { get { ids.post } set { replace(\.post, by: newValue) } }
    /// The grid cell (`ZoneLevel.grid`) of the case's point, when the map has a grid: set when the
    /// map's cases are collected, never stored or compared by `common`/`fits` (a cell is not nested).
    public var grid: String? { get { ids.grid } set { replace(\.grid, by: newValue) } }
    private var ids: ZoneIDs { zoneRefTable[handle] }
    private mutating func replace(_ level: WritableKeyPath<ZoneIDs, String?>, by id: String?) {
        var changed = ids
        changed[keyPath: level] = id
        handle = zoneRefTable.intern(changed)
    }
    public init(street: String? = nil, community: String? = nil, post: String? = nil) {
        handle = zoneRefTable.intern(ZoneIDs(street: street, community: community, post: post, grid: nil))
    }

    private enum CodingKeys: String, CodingKey { case street, community, post, grid }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        handle = zoneRefTable.intern(ZoneIDs(
            street: try c.decodeIfPresent(String.self, forKey: .street), community: try c.decodeIfPresent(String.self, forKey: .community),
            post: try c.decodeIfPresent(String.self, forKey: .post), grid: try c.decodeIfPresent(String.self, forKey: .grid)))
    }
    public func encode(to encoder: any Encoder) throws {
        let ids = self.ids
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(ids.street, forKey: .street)
        try c.encodeIfPresent(ids.community, forKey: .community)
        try c.encodeIfPresent(ids.post, forKey: .post)
        try c.encodeIfPresent(ids.grid, forKey: .grid)
    }

    /// From ids by level (levels missing from the dictionary are nil).
    public init(_ ids: [ZoneLevel: String]) {
        self.init(street: ids[.street], community: ids[.community], post: ids[.post])
    }

    public subscript(level: ZoneLevel) -> String? {
        get {
            let ids = self.ids
            switch level {
            case .street: return ids.street
            case .community: return ids.community
            case .post: return ids.post
            case .grid: return ids.grid
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
    public var finest: ZoneLevel? {
        let ids = self.ids
        return ids.post != nil ? .post : ids.community != nil ? .community : ids.street != nil ? .street : nil
    }
    /// No street: the case or place is in no zone.
    public var isEmpty: Bool { street == nil }

    /// The levels both share, from the street down, stopping at the first difference.
    public func common(with o: ZoneRef) -> ZoneRef {
        let (a, b) = (ids, o.ids)
        guard a.street == b.street else { return ZoneRef() }
        guard a.community == b.community else { return ZoneRef(street: a.street) }
        guard a.post == b.post else { return ZoneRef(street: a.street, community: a.community) }
        return self
    }
    /// True when no level where both are known differs (a street-only reference fits its communities).
    public func fits(_ o: ZoneRef) -> Bool {
        ZoneLevel.allCases.allSatisfy { self[$0] == nil || o[$0] == nil || self[$0] == o[$0] }
    }
    /// `street/community/post` with `-` for unknown levels.
    public var text: String { [street, community, post].map { $0 ?? "-" }.joined(separator: "/") }
}

/// The ids of a `ZoneRef`.
struct ZoneIDs: Hashable, Sendable {
    var street: String?, community: String?, post: String?, grid: String?
}

/// Every distinct `ZoneIDs` a process has made, by handle (0: no ids).
let zoneRefTable = InternTable(empty: ZoneIDs(), of: "zone references")
