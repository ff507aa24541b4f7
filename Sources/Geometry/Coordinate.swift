/// A position in some coordinate system: `x` is longitude or easting, `y` latitude or northing.
/// Everything past the readers is WGS84 lon/lat unless a name says otherwise (`mercator`, `pixel`).
public struct Coordinate: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// An axis-aligned rectangle.
public struct BoundingBox: Hashable, Sendable, Codable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    /// The box around `coordinates`, or nil when there are none.
    public init?<S: Sequence>(of coordinates: S) where S.Element == Coordinate {
        var it = coordinates.makeIterator()
        guard let first = it.next() else { return nil }
        var box = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let c = it.next() { box.include(c) }
        self = box
    }
    public mutating func include(_ c: Coordinate) {
        minX = Swift.min(minX, c.x); minY = Swift.min(minY, c.y)
        maxX = Swift.max(maxX, c.x); maxY = Swift.max(maxY, c.y)
    }
    public func union(_ o: BoundingBox) -> BoundingBox {
        BoundingBox(minX: Swift.min(minX, o.minX), minY: Swift.min(minY, o.minY),
                    maxX: Swift.max(maxX, o.maxX), maxY: Swift.max(maxY, o.maxY))
    }
    public func intersects(_ o: BoundingBox) -> Bool {
        minX <= o.maxX && o.minX <= maxX && minY <= o.maxY && o.minY <= maxY
    }
    public func contains(_ c: Coordinate) -> Bool {
        c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY
    }
    public func expanded(by d: Double) -> BoundingBox {
        BoundingBox(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: Coordinate { Coordinate((minX + maxX) / 2, (minY + maxY) / 2) }
}

/// A closed ring: the first coordinate is repeated at the end.
public typealias Ring = [Coordinate]

/// A polygon: one exterior ring and any number of holes.
public struct Polygon: Hashable, Sendable {
    public var exterior: Ring
    public var holes: [Ring]
    public init(exterior: Ring, holes: [Ring] = []) { self.exterior = exterior; self.holes = holes }
    public var rings: [Ring] { [exterior] + holes }
    public var boundingBox: BoundingBox? { BoundingBox(of: exterior) }
    /// The same polygon with every coordinate passed through `transform`.
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> Polygon {
        Polygon(exterior: try exterior.map(transform), holes: try holes.map { try $0.map(transform) })
    }
}

/// One or more polygons: the shape of every zone.
public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]
    public init(_ polygons: [Polygon]) { self.polygons = polygons }
    public var isEmpty: Bool { polygons.isEmpty }
    public var boundingBox: BoundingBox? { BoundingBox(of: polygons.lazy.flatMap { $0.exterior }) }
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> MultiPolygon {
        MultiPolygon(try polygons.map { try $0.mapCoordinates(transform) })
    }
}

/// Signed area of a ring by the shoelace formula, in squared coordinate units:
/// positive when counter-clockwise (x east, y north).
public func signedArea(_ ring: Ring) -> Double {
    guard ring.count > 2 else { return 0 }
    var sum = 0.0
    for i in 0..<(ring.count - 1) {
        sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y
    }
    return sum / 2
}
