import Foundation
import Geometry

/// A Lambert azimuthal equal-area plane (metres, WGS84 ellipsoid) centred on a place: where the grid
/// level's square cells are laid out. Equal-area, so that every whole cell has the same area on the
/// ground; centred on the map, so that the squares stay nearly square across a city or a province.
///
/// Like `CoordinateTransformer`, an instance owns PROJ contexts and is for one thread: make one per
/// worker (about 2 ms).
public final class EqualAreaPlane {
    public let centre: Coordinate
    private let forward: ProjOperation
    private let inverse: ProjOperation

    public init(centre: Coordinate) throws(CRSError) {
        self.centre = centre
        let plane = String(format: "+proj=laea +lat_0=%.9f +lon_0=%.9f +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs",
                           centre.y, centre.x)
        forward = try ProjOperation(from: "EPSG:4326", to: plane)
        inverse = try ProjOperation(from: plane, to: "EPSG:4326")
    }

    /// lon/lat → plane metres, in place (one PROJ call); a point PROJ cannot project becomes non-finite.
    public func project(_ points: inout [Coordinate]) { forward.transformInPlace(&points) }
    /// Plane metres → lon/lat, in place.
    public func unproject(_ points: inout [Coordinate]) { inverse.transformInPlace(&points) }

    public func project(_ shape: MultiPolygon) -> MultiPolygon { map(shape, forward) }
    public func unproject(_ shape: MultiPolygon) -> MultiPolygon { map(shape, inverse) }

    private func map(_ shape: MultiPolygon, _ op: ProjOperation) -> MultiPolygon {
        MultiPolygon(shape.polygons.map { p in
            Polygon(exterior: mapRing(p.exterior, op), holes: p.holes.map { mapRing($0, op) })
        })
    }
    private func mapRing(_ ring: Ring, _ op: ProjOperation) -> Ring {
        var r = ring
        op.transformInPlace(&r)
        return r
    }
}
