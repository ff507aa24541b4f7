import Foundation
import Support
import Model
import Geometry
import Output
import Publishing
import Risk
import Tiles

/// The archives (`--mbtiles`, `--pmtiles`), TileJSON, the legend and the viewer with its Leaflet.
/// Returns the warnings it has (Leaflet missing: the run still publishes, the viewer names the fix).
struct WriteMapDocuments: RunStage {
    let folder: OutputFolder
    let options: RunOptions
    let style: Style
    let bounds: BoundingBox
    /// The map's day: the archives' revision.
    let asOf: Day
    var name: String { "documents" }

    func run(_ tiles: TileJob.Result) throws -> [String] {
        _ = try ArchiveJob(mbtiles: options.mbtiles, pmtiles: options.pmtiles, minZoom: options.minZoom,
                           maxZoom: options.maxZoom, tileSize: options.tileSize, bounds: bounds, asOf: asOf.description,
                           progress: options.progress).write(tiles.archived)
        try folder.write(MapDocuments.tileJSON(bounds: bounds, minZoom: options.minZoom, maxZoom: options.maxZoom,
                                               tileSize: options.tileSize), to: "tiles.json")
        try folder.write(MapDocuments.legend(style: style), to: "legend.json")
        try folder.write(MapDocuments.viewer(bounds: bounds), to: "index.html")
        return try MapDocuments.copyLeaflet(into: folder) ? [] : [Leaflet.missingMessage()]
    }
}
