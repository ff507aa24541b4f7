import Foundation
import Geometry
import Input
import Jobs
import Projection

/// Where the API's answers come from today — the one place to change when the case database's
/// `StatsJob` (issue 5) and the address geocoder (issue 3) land:
/// - stats: from the zone GeoJSON of the folder being served (level, parent, sort, top, json/csv);
///   options that re-count cases (category, dates) answer 501 until `StatsJob` replaces this closure;
/// - locate: `q=LON,LAT` through `PointLookup` on the served zones; address text answers 501 until
///   the geocoder is wired in here.
extension ServerServices {
    public static func standard() -> ServerServices {
        // Zones for locating, read once per folder version (reading and indexing take a while).
        let boundaries = SnapshotMemo { try BoundaryReader(folder: $0.url, defaultCRS: .wgs84).read() }
        return ServerServices(
            stats: { query, root in try ZoneTables.shared.value(for: root).stats(query) },
            locate: { query, root in
                guard let point = parsePoint(query.q) else {
                    throw APIError.notImplemented("address geocoding is not available yet; give q=LON,LAT")
                }
                let lookup = PointLookup(boundaries: try boundaries.value(for: root))
                let located = try lookup.locate(point, crs: try parseCRS(query.crs))
                return APIAnswer(body: Data(located.json().utf8))
            })
    }

    /// `LON,LAT` (finite numbers); anything else is address text.
    static func parsePoint(_ q: String) -> Coordinate? {
        let parts = q.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]), x.isFinite, y.isFinite else { return nil }
        return Coordinate(x, y)
    }

    static func parseCRS(_ text: String) throws(APIError) -> CRS {
        do {
            let crs = try CRS(parsing: text)
            if case .epsg = crs { _ = try CoordinateTransformer(from: crs) }
            return crs
        } catch {
            throw .badRequest("crs: \(error)")
        }
    }
}
