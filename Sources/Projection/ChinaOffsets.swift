import Foundation
import Geometry

/// GCJ-02 ("Mars", used by Amap/Gaode, Tencent, Google China) and BD-09 (Baidu) offsets.
///
/// PROJ does not model these (OSGeo/PROJ#982, wontfix), so they are implemented here after
/// prcoords (CC0, https://github.com/Artoria2e5/PRCoords), which the tests use as the oracle.
/// All coordinates are `x` = longitude, `y` = latitude, in degrees.
///
/// Behaviour outside China follows prcoords: WGS84 ↔ GCJ-02 is the identity outside its rough China
/// box (the offset is only applied by Chinese map providers), while GCJ-02 ↔ BD-09 is a pure formula
/// applied everywhere. One deliberate difference: prcoords' iterative inverse (`gcj_wgs_bored`)
/// ignores the China box; here the inverse of an identity is the identity.
public enum ChinaOffsets {
    // Krasovsky 1940 ellipsoid, which GCJ-02 uses to turn its metre offsets into degrees.
    static let gcjA = 6378245.0
    static let gcjEE = 0.00669342162296594323
    // Baidu's constant shifts, in degrees.
    static let bdDLat = 0.0060
    static let bdDLon = 0.0065
    /// The inverses stop once a step moves less than this (degrees, ~0.1 µm); each step shrinks the
    /// error by ~1e-3, so 2–4 steps suffice and `maxIterations` is only a guard.
    static let inverseTolerance = 1e-12
    static let maxIterations = 20

    /// prcoords' `sanity_in_china_p`: a loose box around China (and some neighbours).
    public static func isInChinaBox(_ c: Coordinate) -> Bool {
        (0.8293...55.8271).contains(c.y) && (72.004...137.8347).contains(c.x)
    }

    public static func wgs84ToGCJ02(_ wgs: Coordinate) -> Coordinate {
        guard isInChinaBox(wgs) else { return wgs }
        return gcjForward(wgs)
    }

    /// Exact inverse of `wgs84ToGCJ02` (to ~1e-12 deg). The common one-step inverse
    /// (gcj − (f(gcj) − gcj)) is off by up to 2.4 m in Shenzhen, more than a building.
    public static func gcj02ToWGS84(_ gcj: Coordinate) -> Coordinate {
        guard isInChinaBox(gcj) else { return gcj }
        return invert(gcjForward, at: gcj)
    }

    public static func gcj02ToBD09(_ gcj: Coordinate) -> Coordinate {
        let (x, y) = (gcj.x, gcj.y)
        // Baidu perturbs the polar form of (lon, lat) — degrees used as plain numbers.
        let r = (x * x + y * y).squareRoot() + 0.00002 * sin(y * .pi / 180 * 3000)
        let theta = atan2(y, x) + 0.000003 * cos(x * .pi / 180 * 3000)
        return Coordinate(r * cos(theta) + bdDLon, r * sin(theta) + bdDLat)
    }

    /// Exact inverse of `gcj02ToBD09`; prcoords' closed-form `bd_gcj` is only good to ~1e-7 deg.
    public static func bd09ToGCJ02(_ bd: Coordinate) -> Coordinate {
        invert(gcj02ToBD09, at: bd, start: bdRoughInverse(bd))
    }

    public static func wgs84ToBD09(_ wgs: Coordinate) -> Coordinate {
        gcj02ToBD09(wgs84ToGCJ02(wgs))
    }

    public static func bd09ToWGS84(_ bd: Coordinate) -> Coordinate {
        gcj02ToWGS84(bd09ToGCJ02(bd))
    }

    // MARK: - Internals

    /// The GCJ-02 forward formula without the China check.
    static func gcjForward(_ wgs: Coordinate) -> Coordinate {
        let (dLatM, dLonM) = gcjOffsetMetres(x: wgs.x - 105, y: wgs.y - 35)
        let radLat = wgs.y * .pi / 180
        let magic = 1 - gcjEE * sin(radLat) * sin(radLat)
        // Length of one degree of latitude / longitude on Krasovsky (metres per degree).
        let latDegLen = (gcjA * (1 - gcjEE)) / pow(magic, 1.5) * .pi / 180
        let lonDegLen = gcjA * cos(radLat) / magic.squareRoot() * .pi / 180
        return Coordinate(wgs.x + dLonM / lonDegLen, wgs.y + dLatM / latDegLen)
    }

    /// The published GCJ-02 distortion, in metres north and east, of (lon − 105, lat − 35).
    /// Term order follows prcoords so results agree to the last bits.
    static func gcjOffsetMetres(x: Double, y: Double) -> (dLat: Double, dLon: Double) {
        let dLat = (-100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
            + (2 * sin(x * 6 * .pi) + 2 * sin(x * 2 * .pi) + 2 * sin(y * .pi) + 4 * sin(y / 3 * .pi)
               + 16 * sin(y / 12 * .pi) + 32 * sin(y / 30 * .pi)) * 20 / 3)
        let dLon = (300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
            + (2 * sin(x * 6 * .pi) + 2 * sin(x * 2 * .pi) + 2 * sin(x * .pi) + 4 * sin(x / 3 * .pi)
               + 15 * sin(x / 12 * .pi) + 30 * sin(x / 30 * .pi)) * 20 / 3)
        return (dLat, dLon)
    }

    /// prcoords' closed-form `bd_gcj`: a good starting point for the iteration.
    static func bdRoughInverse(_ bd: Coordinate) -> Coordinate {
        let x = bd.x - bdDLon, y = bd.y - bdDLat
        let r = (x * x + y * y).squareRoot() - 0.00002 * sin(y * .pi / 180 * 3000)
        let theta = atan2(y, x) - 0.000003 * cos(x * .pi / 180 * 3000)
        return Coordinate(r * cos(theta), r * sin(theta))
    }

    /// Solves forward(p) = target by fixed-point iteration p ← p − (forward(p) − target).
    /// It converges because both offsets vary slowly: their derivatives are ~1e-3.
    static func invert(_ forward: (Coordinate) -> Coordinate, at target: Coordinate,
                       start: Coordinate? = nil) -> Coordinate {
        var p = start ?? target
        for _ in 0..<maxIterations {
            let f = forward(p)
            let (dx, dy) = (f.x - target.x, f.y - target.y)
            p = Coordinate(p.x - dx, p.y - dy)
            if abs(dx) <= inverseTolerance && abs(dy) <= inverseTolerance { break }
        }
        return p
    }
}
