import Geometry

// What a map is drawn from, per case: scoring, hotspots and the heat layer each need a different
// slice of a located case (or of a database row), kept small because a run makes millions. Their
// accessors are inlinable: the layers above call them once per case.

/// What scoring needs of a case; made from a located case (run) or a database row (stats).
public struct ScoringCase: Sendable {
    public var day: Day
    /// Index into the `CategoryTable` the cases were made with.
    public var category: Int
    /// `AddressKey.of(address)`; 0 when there is none.
    public var address: UInt64
    public var zones: ZoneRef
    @inlinable public init(day: Day, category: Int, address: UInt64, zones: ZoneRef) {
        self.day = day; self.category = category; self.address = address; self.zones = zones
    }
    public init(day: Day, category: Int, address: UInt64, street: String?, community: String?, post: String?) {
        self.init(day: day, category: category, address: address,
                  zones: ZoneRef(street: street, community: community, post: post))
    }
    @inlinable public var street: String? { zones.street }
    @inlinable public var community: String? { zones.community }
    @inlinable public var post: String? { zones.post }
    @inlinable public func zone(_ level: ZoneLevel) -> String? { zones[level] }
}

/// A case with a point, for hotspots.
public struct HotspotCase: Sendable {
    public var point: Coordinate
    public var zones: ZoneRef
    @inlinable public init(point: Coordinate, zones: ZoneRef) { self.point = point; self.zones = zones }
    public init(point: Coordinate, street: String?, community: String?, post: String?) {
        self.init(point: point, zones: ZoneRef(street: street, community: community, post: post))
    }
    public init(point: Coordinate, zones: [ZoneLevel: String]) { self.init(point: point, zones: ZoneRef(zones)) }
}

/// One case for the heat layer: its WGS84 position and its weight (the category weight).
public struct HeatPoint: Sendable, Equatable {
    public var lon: Double, lat: Double, weight: Double
    @inlinable public init(lon: Double, lat: Double, weight: Double) { self.lon = lon; self.lat = lat; self.weight = weight }
}
