import Foundation
import Support
import Output

/// `hotspots.geojson`: the density peaks of the window's cases, strongest first.
struct WriteHotspots: RunStage {
    let folder: OutputFolder
    var name: String { "hotspots" }

    func run(_ map: ScoredMap) throws {
        try folder.write(GeoJSONWriter.hotspots(map.hotspots), to: "hotspots.geojson")
    }
}
