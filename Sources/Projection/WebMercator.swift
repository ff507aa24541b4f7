import Foundation
import Geometry

/// Spherical Web Mercator (EPSG:3857), the projection of XYZ tiles. Pure Swift rather than PROJ
/// because tile rendering calls it for every vertex, and the sphere formulas are exact for 3857.
public enum WebMercator {
    /// EPSG:3857 uses the WGS84 semi-major axis as the sphere radius.
    public static let earthRadius = 6378137.0
    /// Half the world's width in metres (π·R): x and y run from −originShift to +originShift.
    public static let originShift = Double.pi * earthRadius
    /// The latitude where the projected world becomes a square; tiles stop here.
    public static let maxLatitude = 85.05112878

    /// Projects WGS84 lon/lat (degrees) to metres. Latitude is clamped to ±`maxLatitude`
    /// (PROJ returns huge finite values near the poles instead of failing).
    public static func project(_ lonLat: Coordinate) -> Coordinate {
        let lat = min(max(lonLat.y, -maxLatitude), maxLatitude)
        let x = lonLat.x * .pi / 180 * earthRadius
        // asinh(tan φ) rather than ln(tan(π/4 + φ/2)): the same value, as PROJ computes it, but odd in
        // φ to the last bit, so the map stays symmetric about the equator.
        let y = asinh(tan(lat * .pi / 180)) * earthRadius
        return Coordinate(x, y)
    }

    /// Metres back to WGS84 lon/lat (degrees).
    public static func unproject(_ metres: Coordinate) -> Coordinate {
        let lon = metres.x / earthRadius * 180 / .pi
        let lat = atan(sinh(metres.y / earthRadius)) * 180 / .pi
        return Coordinate(lon, lat)
    }
}
