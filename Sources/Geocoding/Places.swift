import Geometry
import Model

/// A named thing an address can mention: a zone (by name or alias), a road, a door, an estate, a
/// building or a POI. Gazetteer places carry a point and the zones it falls in.
public struct Place: Sendable, Hashable {
    public var name: String
    public var kind: PlaceKind
    public var point: Coordinate?
    /// Empty for a gazetteer point outside every zone, and for roads (they cross zones).
    public var zones: ZoneRef
    /// The door number, for doors.
    public var number: Int?
}
