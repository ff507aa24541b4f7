import CPROJ
import Geometry

/// Area in square metres on the WGS84 ellipsoid, using PROJ's geodesic routines (Karney's
/// algorithms, the same as `pyproj.Geod.geometry_area_perimeter`). Coordinates are WGS84 lon/lat.
/// Holes are subtracted; ring orientation does not matter (each ring's absolute area is used), so
/// data from sources with either winding convention gives the same answer.
public func geodesicArea(_ multiPolygon: MultiPolygon) -> Double {
    var geod = wgs84Geodesic()
    return multiPolygon.polygons.reduce(0.0) { total, polygon in
        let holes = polygon.holes.reduce(0.0) { $0 + ringArea($1, &geod) }
        return total + ringArea(polygon.exterior, &geod) - holes
    }
}

/// Area of one polygon, in square metres on WGS84.
public func geodesicArea(_ polygon: Polygon) -> Double {
    geodesicArea(MultiPolygon([polygon]))
}

private func wgs84Geodesic() -> geod_geodesic {
    var g = geod_geodesic()
    geod_init(&g, 6378137, 1 / 298.257223563)
    return g
}

/// Absolute geodesic area of a ring; the closing vertex is dropped because geod_polygonarea
/// closes the ring itself.
private func ringArea(_ ring: Ring, _ geod: inout geod_geodesic) -> Double {
    var pts = ring
    if pts.count > 1, pts.first == pts.last { pts.removeLast() }
    guard pts.count >= 3 else { return 0 }
    var lats = pts.map(\.y), lons = pts.map(\.x)
    var area = 0.0, perimeter = 0.0
    geod_polygonarea(&geod, &lats, &lons, Int32(pts.count), &area, &perimeter)
    return abs(area)
}
