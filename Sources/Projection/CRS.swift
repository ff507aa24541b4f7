import Foundation
import Geometry

/// A coordinate system named on the command line, in a CSV row or in a GeoJSON `crs` member.
public enum CRS: Hashable, Sendable, CustomStringConvertible {
    case wgs84
    /// China Geodetic Coordinate System 2000, geographic (EPSG:4490); within centimetres of WGS84.
    case cgcs2000
    /// The "Mars" offset used by Amap/Gaode, Tencent and Google China.
    case gcj02
    /// Baidu's offset on top of GCJ-02.
    case bd09
    /// Any EPSG code PROJ knows, e.g. 4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E).
    case epsg(Int)

    /// Reads `wgs84`, `cgcs2000`, `gcj02`, `bd09` (case and `-`/`_` insensitive), `EPSG:NNNN`,
    /// and the legacy GeoJSON forms `urn:ogc:def:crs:EPSG::NNNN` and `urn:ogc:def:crs:OGC:1.3:CRS84`.
    /// Whether PROJ knows an EPSG code is only found out when a transformer is made.
    public init(parsing text: String) throws(CRSError) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let compact = t.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        switch compact {
        case "wgs84", "epsg:4326", "crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "4326":
            self = .wgs84; return
        case "cgcs2000", "epsg:4490", "4490": self = .cgcs2000; return
        case "gcj02", "gcj", "mars", "amap", "gaode": self = .gcj02; return
        case "bd09", "bd09ll", "baidu": self = .bd09; return
        default: break
        }
        for prefix in ["epsg:", "urn:ogc:def:crs:epsg::", "urn:ogc:def:crs:epsg:"] where t.hasPrefix(prefix) {
            let rest = t.dropFirst(prefix.count).split(separator: ":").last.map(String.init) ?? ""
            if let code = Int(rest), code > 0 {
                self = code == 4326 ? .wgs84 : code == 4490 ? .cgcs2000 : .epsg(code)
                return
            }
        }
        throw CRSError.unknownName(text)
    }

    public var description: String {
        switch self {
        case .wgs84: "wgs84"
        case .cgcs2000: "cgcs2000"
        case .gcj02: "gcj02"
        case .bd09: "bd09"
        case .epsg(let c): "EPSG:\(c)"
        }
    }
}

public enum CRSError: Error, Equatable, CustomStringConvertible {
    case unknownName(String)
    /// PROJ could not build a transformation; the message is PROJ's.
    case projFailed(crs: String, message: String)
    public var description: String {
        switch self {
        case .unknownName(let n):
            "unknown coordinate system '\(n)' (use wgs84, cgcs2000, gcj02, bd09 or EPSG:NNNN)"
        case .projFailed(let c, let m): "coordinate system \(c): \(m)"
        }
    }
}
