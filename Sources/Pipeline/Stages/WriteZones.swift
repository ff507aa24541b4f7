import Foundation
import Geometry
import Support
import Model
import Output
import Risk

/// `streets.geojson`, `communities.geojson`, `posts.geojson`: every zone with its statistics; and the
/// same with the shapes in each other published coordinate system (`streets.gcj02.geojson`, ...): the
/// WGS-84 file's positions (7 decimals) converted, so that converting that file with any faithful
/// GCJ-02 / BD-09 implementation (prcoords) gives this one to the last decimal.
struct WriteZones: RunStage {
    let folder: OutputFolder
    let style: Style
    var published: [PublishedCRS] = [.wgs84]
    var name: String { "write_zones" }

    func run(_ map: ScoredMap) throws {
        for crs in published {
            for level in ZoneLevel.mapLevels where map.stats[level] != nil {
                let stats = (map.stats[level] ?? []).map { s in
                    var shifted = s
                    shifted.zone.geometry = crs == .wgs84 ? s.zone.geometry : s.zone.geometry.mapCoordinates { c in
                        crs.fromWGS84(Coordinate((c.x * 1e7).rounded() / 1e7, (c.y * 1e7).rounded() / 1e7))
                    }
                    return shifted
                }
                try folder.write(GeoJSONWriter.zones(stats, style: style), to: crs.fileName(level.fileName))
            }
        }
    }
}
