import Foundation
import Support
import Geometry
import Model
import Output
import Publishing
import Risk
import Tiles

/// The archives (`--mbtiles`, `--pmtiles`, written to their files now that the run has everything) and TileJSON of every pyramid (`tiles.json`,
/// `tiles-gcj02.json`), the legend and the viewer with its Leaflet. Returns the warnings it has
/// (Leaflet missing: the run still publishes, the viewer names the fix).
struct WriteMapDocuments: RunStage {
    let folder: OutputFolder
    let options: RunOptions
    let style: Style
    /// The map's bounds in each published coordinate system with tiles.
    let bounds: [PublishedCRS: BoundingBox]
    let basemap: Basemap?
    var name: String { "documents" }

    func run(_ tiles: TileJob.Result) throws -> [String] {
        let bar = options.progress.bar("archives")
        try tiles.archives.commit()
        bar.finish()
        for (crs, pyramid) in tiles.pyramids.sorted(by: { $0.key < $1.key }) {
            let box = bounds[crs] ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
            try folder.write(MapDocuments.tileJSON(bounds: box, minZoom: options.minZoom, maxZoom: options.maxZoom,
                                                   tileSize: options.tileSize, layers: MapDocuments.layers { pyramid.counts[$0] != nil },
                                                   folder: crs.tilesFolder), to: crs.tileJSONFile)
        }
        try folder.write(MapDocuments.legend(style: style), to: "legend.json")
        // The viewer shows the pyramid that lines up with its basemap (WGS-84 without one).
        let shown = basemap?.datum.published ?? .wgs84
        try folder.write(MapDocuments.viewer(bounds: bounds[shown] ?? bounds[.wgs84] ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0),
                                             crs: shown, basemap: basemap), to: "index.html")
        return try MapDocuments.copyLeaflet(into: folder) ? [] : [Leaflet.missingMessage()]
    }
}
