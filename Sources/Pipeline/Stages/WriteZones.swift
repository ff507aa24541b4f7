import Foundation
import Support
import Model
import Output
import Risk

/// `streets.geojson`, `communities.geojson`, `posts.geojson`: every zone with its statistics; and the
/// same with the shapes in each other published coordinate system (`streets.gcj02.geojson`, ...).
struct WriteZones: RunStage {
    let folder: OutputFolder
    let style: Style
    var published: [PublishedCRS] = [.wgs84]
    var name: String { "write_zones" }

    func run(_ map: ScoredMap) throws {
        for crs in published {
            for level in ZoneLevel.allCases {
                let stats = (map.stats[level] ?? []).map { s in
                    var shifted = s
                    shifted.zone.geometry = crs.fromWGS84(s.zone.geometry)
                    return shifted
                }
                try folder.write(GeoJSONWriter.zones(stats, style: style), to: crs.fileName(level.fileName))
            }
        }
    }
}
