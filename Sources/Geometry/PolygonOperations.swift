import CGEOS

// Polygon operations on plain values, GEOSwift-style: each call makes its own GEOS context and
// geometries and frees them before it returns, so no GEOS handle ever leaves this module, and a GEOS
// failure is a thrown `GEOSError`, never a silent `false`.

extension MultiPolygon {
    /// nil when GEOS finds the polygon valid, else its reason ("Self-intersection[114.05 22.54]").
    public func invalidityReason() throws -> String? {
        try GEOSContext().geometry(self).invalidityReason()
    }

    /// MakeValid's repair, its polygons only (slivers collapsed to lines or points are dropped).
    public func madeValid() throws -> MultiPolygon {
        try GEOSContext().geometry(self).makeValid().polygons()
    }

    /// The planar area of the part of `self` inside `other`, in squared coordinate units.
    public func intersectionArea(with other: MultiPolygon) throws -> Double {
        let geos = GEOSContext()
        return try geos.geometry(self).intersection(geos.geometry(other)).area()
    }

    /// The planar area, in squared coordinate units.
    public func planarArea() throws -> Double {
        try GEOSContext().geometry(self).area()
    }

    /// What of `self` no polygon of `others` covers.
    public func difference(unionOf others: [MultiPolygon]) throws -> MultiPolygon {
        let geos = GEOSContext()
        let union = try geos.unaryUnion(others.map { try geos.geometry($0) })
        return try geos.geometry(self).difference(union).polygons()
    }

    /// The union of many polygons at once (cascaded).
    public static func union(_ parts: [MultiPolygon]) throws -> MultiPolygon {
        let geos = GEOSContext()
        return try geos.unaryUnion(parts.map { try geos.geometry($0) }).polygons()
    }

    /// Every pair `i < j` of `polygons` that meet, with their shared part (empty when they only
    /// touch), in order of `i`, then `j`. Bounding boxes are compared first; each polygon is handed
    /// to GEOS once.
    public static func pairwiseIntersections(_ polygons: [MultiPolygon]) throws -> [(i: Int, j: Int, shared: MultiPolygon)] {
        let geos = GEOSContext()
        let geometries = try polygons.map { try geos.geometry($0) }
        var out: [(i: Int, j: Int, shared: MultiPolygon)] = []
        for i in polygons.indices {
            for j in (i + 1)..<polygons.count {
                guard let a = polygons[i].boundingBox, let b = polygons[j].boundingBox, a.intersects(b),
                      try geometries[i].intersects(geometries[j]) else { continue }
                out.append((i, j, try geometries[i].intersection(geometries[j]).polygons()))
            }
        }
        return out
    }
}
