import Foundation
import Geometry

/// Spherical Web Mercator (EPSG:3857), the projection of XYZ tiles: the one Web Mercator of riskmap.
/// Pure Swift rather than PROJ because tile rendering calls it for every vertex, and the sphere
/// formulas are exact for 3857. Two forms of the same projection, each matching its oracle to the last
/// bit: metres (`project`, as PROJ computes them) and normalised world coordinates (`world`, as
/// mercantile computes tile indices).
public enum WebMercator {
    // The constants are inlinable computed values, not stored `let`s: renderers in other modules use
    // them for every vertex and pixel, and a public stored global costs an accessor call (and blocks
    // constant folding) on each use outside this module.

    /// EPSG:3857 uses the WGS84 semi-major axis as the sphere radius.
    @inlinable public static var earthRadius: Double { 6378137.0 }
    /// Half the world's width in metres (π·R): x and y run from −originShift to +originShift.
    @inlinable public static var originShift: Double { Double.pi * earthRadius }
    /// The latitude where the projected world becomes a square; tiles stop here.
    @inlinable public static var maxLatitude: Double { 85.05112878 }

    /// Projects WGS84 lon/lat (degrees) to metres. Latitude is clamped to ±`maxLatitude`
    /// (PROJ returns huge finite values near the poles instead of failing).
    @inlinable
    public static func project(_ lonLat: Coordinate) -> Coordinate {
        let lat = min(max(lonLat.y, -maxLatitude), maxLatitude)
        let x = lonLat.x * .pi / 180 * earthRadius
        // asinh(tan φ) rather than ln(tan(π/4 + φ/2)): the same value, as PROJ computes it, but odd in
        // φ to the last bit, so the map stays symmetric about the equator.
        let y = asinh(tan(lat * .pi / 180)) * earthRadius
        return Coordinate(x, y)
    }

    /// Metres back to WGS84 lon/lat (degrees).
    @inlinable
    public static func unproject(_ metres: Coordinate) -> Coordinate {
        let lon = metres.x / earthRadius * 180 / .pi
        let lat = atan(sinh(metres.y / earthRadius)) * 180 / .pi
        return Coordinate(lon, lat)
    }

    @inlinable public static var circumference: Double { 2 * Double.pi * earthRadius }
    // CPython's math.radians / math.degrees multiply by these constants; so do we (bit-identical results).
    @inlinable public static var degToRad: Double { Double.pi / 180.0 }
    @inlinable public static var radToDeg: Double { 180.0 / Double.pi }

    /// lon/lat → normalised world coordinates: x in [0, 1] west→east, y in [0, 1] north→south
    /// (EPSG:3857 metres scaled by 1/circumference and shifted; y flipped to match pixel rows).
    /// Latitude is clamped to ±85.05112878 so that the poles stay finite.
    @inlinable @inline(__always)
    public static func world(lon: Double, lat: Double) -> (x: Double, y: Double) {
        let clamped = Swift.min(Swift.max(lat, -maxLatitude), maxLatitude)
        let x = lon / 360.0 + 0.5
        let sinlat = sin(clamped * degToRad)
        let y = 0.5 - 0.25 * log((1.0 + sinlat) / (1.0 - sinlat)) / Double.pi
        return (x, y)
    }

    /// Latitude of the world row `y` (0 = north edge, 1 = south edge).
    @inlinable
    public static func latitude(worldY y: Double) -> Double {
        atan(sinh(Double.pi * (1 - 2 * y))) * radToDeg
    }
}
