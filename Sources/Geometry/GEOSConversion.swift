import CGEOS

// Conversions between the plain value types and GEOS geometries.
extension GEOSContext {
    /// A GEOS (multi)polygon from a value. Rings are closed if their last coordinate isn't the first.
    func geometry(_ multiPolygon: MultiPolygon) throws -> GEOSGeometry {
        var parts: [OpaquePointer?] = []
        for polygon in multiPolygon.polygons { parts.append(try makePolygon(polygon)) }
        let collection = parts.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(handle, Int32(GEOS_MULTIPOLYGON.rawValue), buf.baseAddress, UInt32(buf.count))
        }
        return try own(collection, "create multipolygon")
    }

    func geometry(_ polygon: Polygon) throws -> GEOSGeometry {
        try own(makePolygon(polygon), "create polygon")
    }

    func point(_ c: Coordinate) throws -> GEOSGeometry {
        try own(GEOSGeom_createPointFromXY_r(handle, c.x, c.y), "create point")
    }

    func multiPoint(_ cs: [Coordinate]) throws -> GEOSGeometry {
        var parts: [OpaquePointer?] = cs.map { GEOSGeom_createPointFromXY_r(handle, $0.x, $0.y) }
        let g = parts.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(handle, Int32(GEOS_MULTIPOINT.rawValue), buf.baseAddress, UInt32(buf.count))
        }
        return try own(g, "create multipoint")
    }

    /// A rectangle polygon.
    func rectangle(_ box: BoundingBox) throws -> GEOSGeometry {
        try own(GEOSGeom_createRectangle_r(handle, box.minX, box.minY, box.maxX, box.maxY), "create rectangle")
    }

    /// An unowned polygon pointer (GEOS takes ownership of the rings); caller passes it on.
    private func makePolygon(_ polygon: Polygon) throws -> OpaquePointer {
        guard let shell = makeRing(polygon.exterior) else { throw error("create ring") }
        var holes: [OpaquePointer?] = []
        for h in polygon.holes {
            guard let r = makeRing(h) else { throw error("create ring") }
            holes.append(r)
        }
        let p = holes.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createPolygon_r(handle, shell, buf.baseAddress, UInt32(buf.count))
        }
        guard let p else { throw error("create polygon") }
        return p
    }

    private func makeRing(_ ring: Ring) -> OpaquePointer? {
        var flat: [Double] = []
        flat.reserveCapacity(ring.count * 2 + 2)
        for c in ring { flat.append(c.x); flat.append(c.y) }
        if let f = ring.first, let l = ring.last, f != l { flat.append(f.x); flat.append(f.y) }
        let seq = flat.withUnsafeBufferPointer {
            GEOSCoordSeq_copyFromBuffer_r(handle, $0.baseAddress, UInt32(flat.count / 2), 0, 0)
        }
        guard let seq else { return nil }
        return GEOSGeom_createLinearRing_r(handle, seq)
    }
}

extension GEOSGeometry {
    /// The polygonal part of this geometry as a value (points and lines in a collection are dropped).
    func polygons() -> MultiPolygon {
        var out: [Polygon] = []
        collectPolygons(pointer, into: &out)
        return MultiPolygon(out)
    }

    /// The points of this geometry (Point, MultiPoint, or points within a collection).
    func points() -> [Coordinate] {
        var out: [Coordinate] = []
        collectPoints(pointer, into: &out)
        return out
    }

    private func collectPolygons(_ g: OpaquePointer, into out: inout [Polygon]) {
        let h = context.handle
        switch Int(GEOSGeomTypeId_r(h, g)) {
        case Int(GEOS_POLYGON.rawValue):
            guard GEOSisEmpty_r(h, g) == 0, let shell = GEOSGetExteriorRing_r(h, g) else { return }
            var holes: [Ring] = []
            for i in 0..<GEOSGetNumInteriorRings_r(h, g) {
                if let r = GEOSGetInteriorRingN_r(h, g, i) { holes.append(ring(r)) }
            }
            out.append(Polygon(exterior: ring(shell), holes: holes))
        case Int(GEOS_MULTIPOLYGON.rawValue), Int(GEOS_GEOMETRYCOLLECTION.rawValue):
            for i in 0..<GEOSGetNumGeometries_r(h, g) {
                if let part = GEOSGetGeometryN_r(h, g, i) { collectPolygons(part, into: &out) }
            }
        default: break
        }
    }

    private func collectPoints(_ g: OpaquePointer, into out: inout [Coordinate]) {
        let h = context.handle
        switch Int(GEOSGeomTypeId_r(h, g)) {
        case Int(GEOS_POINT.rawValue):
            var x = 0.0, y = 0.0
            if GEOSisEmpty_r(h, g) == 0, GEOSGeomGetX_r(h, g, &x) == 1, GEOSGeomGetY_r(h, g, &y) == 1 {
                out.append(Coordinate(x, y))
            }
        case Int(GEOS_MULTIPOINT.rawValue), Int(GEOS_GEOMETRYCOLLECTION.rawValue):
            for i in 0..<GEOSGetNumGeometries_r(h, g) {
                if let part = GEOSGetGeometryN_r(h, g, i) { collectPoints(part, into: &out) }
            }
        default: break
        }
    }

    private func ring(_ r: OpaquePointer) -> Ring {
        let h = context.handle
        guard let seq = GEOSGeom_getCoordSeq_r(h, r) else { return [] }
        var n: UInt32 = 0
        GEOSCoordSeq_getSize_r(h, seq, &n)
        var flat = [Double](repeating: 0, count: Int(n) * 2)
        flat.withUnsafeMutableBufferPointer { _ = GEOSCoordSeq_copyToBuffer_r(h, seq, $0.baseAddress, 0, 0) }
        return (0..<Int(n)).map { Coordinate(flat[2 * $0], flat[2 * $0 + 1]) }
    }
}
