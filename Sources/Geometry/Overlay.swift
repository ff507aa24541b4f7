import CGEOS

// Set operations, validity and constructive operations on GEOS geometries, inside this module (see
// `PolygonOperations.swift` for what other layers call).
extension GEOSGeometry {
    func intersection(_ other: GEOSGeometry) throws -> GEOSGeometry {
        try context.own(GEOSIntersection_r(context.handle, pointer, other.pointer), "intersection")
    }
    func difference(_ other: GEOSGeometry) throws -> GEOSGeometry {
        try context.own(GEOSDifference_r(context.handle, pointer, other.pointer), "difference")
    }
    /// The part inside `box` (GEOS's ClipByRect: for axis-aligned rectangles, much faster than
    /// `intersection`).
    func clipped(to box: BoundingBox) throws -> GEOSGeometry {
        try context.own(GEOSClipByRect_r(context.handle, pointer, box.minX, box.minY, box.maxX, box.maxY), "clip by rectangle")
    }
    func union(_ other: GEOSGeometry) throws -> GEOSGeometry {
        try context.own(GEOSUnion_r(context.handle, pointer, other.pointer), "union")
    }
    /// Whether the two meet; GEOS's error (its predicate's exception value 2) is thrown, not read as
    /// "they do not".
    func intersects(_ other: GEOSGeometry) throws -> Bool {
        switch GEOSIntersects_r(context.handle, pointer, other.pointer) {
        case 1: return true
        case 0: return false
        default: throw context.error("intersects")
        }
    }
    /// nil when valid, else GEOS's reason ("Self-intersection[114.05 22.54]").
    func invalidityReason() -> String? {
        if GEOSisValid_r(context.handle, pointer) == 1 { return nil }
        guard let r = GEOSisValidReason_r(context.handle, pointer) else { return "invalid geometry" }
        defer { GEOSFree_r(context.handle, r) }
        return String(cString: r)
    }
    func makeValid() throws -> GEOSGeometry {
        try context.own(GEOSMakeValid_r(context.handle, pointer), "make valid")
    }
    func pointOnSurface() throws -> GEOSGeometry {
        try context.own(GEOSPointOnSurface_r(context.handle, pointer), "point on surface")
    }
    /// The Voronoi cells of this geometry's vertices, as polygons clipped to nothing (GEOS extends
    /// them to cover `envelope`).
    func voronoiCells(envelope: GEOSGeometry?) throws -> GEOSGeometry {
        try context.own(GEOSVoronoiDiagram_r(context.handle, pointer, envelope?.pointer, 0, 0), "voronoi")
    }
}

extension GEOSContext {
    /// The union of many geometries at once (cascaded; much faster than pairwise unions).
    func unaryUnion(_ geometries: [GEOSGeometry]) throws -> GEOSGeometry {
        // The collection takes ownership of its members, so hand it clones.
        var parts: [OpaquePointer?] = geometries.map { GEOSGeom_clone_r(handle, $0.pointer) }
        let collection = parts.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(handle, Int32(GEOS_GEOMETRYCOLLECTION.rawValue), buf.baseAddress,
                                        UInt32(buf.count))
        }
        let c = try own(collection, "collect")
        return try own(GEOSUnaryUnion_r(handle, c.pointer), "union")
    }
}
