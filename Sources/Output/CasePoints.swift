import Foundation
import Geometry

/// How `cases.geojson` places cases (`run --case-points`). A complaint's exact point can lead to the
/// complainant's door, and complaint handling rules require the complainant to be protected: a map
/// published beyond the bureau should carry snapped points or none.
public enum CasePoints: Equatable, Sendable, CustomStringConvertible {
    /// The located point (internal use).
    case exact
    /// The centre of the grid cell of about `metres` × `metres` that holds the point.
    case snap(metres: Double)
    /// No point: the features keep their zones, method, day and category, with a null geometry.
    case none

    /// Cells below 10 m would publish the point all but exactly; above 100 km, nothing useful.
    public static let snapRange: ClosedRange<Double> = 10...100_000

    /// `exact`, `snap:METRES` or `none`; nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "exact": self = .exact
        case "none": self = .none
        default:
            guard text.hasPrefix("snap:"), let m = Double(text.dropFirst(5)), m.isFinite,
                  Self.snapRange.contains(m) else { return nil }
            self = .snap(metres: m)
        }
    }

    /// As written on the command line, and in report.json's `case_points`.
    public var description: String {
        switch self {
        case .exact: "exact"
        case .none: "none"
        case .snap(let m): "snap:" + (m == m.rounded() ? String(Int(m)) : String(m))
        }
    }

    /// Metres per degree of latitude (the mean over the WGS 84 ellipsoid); the cells are "about N
    /// metres": within 1 % anywhere below 80° latitude, which is all a privacy grid needs.
    static let metresPerDegree = 111_320.0

    /// Where the feature's point goes: the point, its cell's centre, or nil.
    ///
    /// Cells are rows of `metres` of latitude; within a row, columns of `metres` at the row's middle
    /// latitude. Every point of a cell moves to the same centre, whatever the map or the other cases,
    /// so the same place snaps the same way every day.
    public func place(_ p: Coordinate) -> Coordinate? {
        switch self {
        case .exact: return p
        case .none: return nil
        case .snap(let metres):
            let dLat = metres / Self.metresPerDegree
            let row = (p.y / dLat).rounded(.down)
            let lat = (row + 0.5) * dLat
            let dLon = dLat / max(cos(lat * .pi / 180), 0.01)
            let lon = ((p.x / dLon).rounded(.down) + 0.5) * dLon
            return Coordinate(lon, lat)
        }
    }
}
