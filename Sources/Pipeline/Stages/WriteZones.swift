import Foundation
import Support
import Model
import Output
import Risk

/// `streets.geojson`, `communities.geojson`, `posts.geojson`: every zone with its statistics.
struct WriteZones: RunStage {
    let folder: OutputFolder
    let style: Style
    var name: String { "write_zones" }

    func run(_ map: ScoredMap) throws {
        for level in ZoneLevel.allCases {
            try folder.write(GeoJSONWriter.zones(map.stats[level] ?? [], style: style), to: level.fileName)
        }
    }
}
