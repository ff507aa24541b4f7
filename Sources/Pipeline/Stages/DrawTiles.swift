import Foundation
import Support
import Output
import Risk
import Tiles
import Model

/// The tile layers (see `TileJob`), drawn in full or only where something changed since the previous
/// run, and the tile state the next run builds on.
struct DrawTiles: RunStage {
    let folder: OutputFolder
    let settings: TileSettings
    let style: Style
    let fingerprint: String
    let previous: PreviousTiles
    var name: String { "tiles" }

    func run(_ map: ScoredMap) throws -> TileJob.Result {
        let tiles = try TileJob(options: settings, style: style, stats: map.stats, heat: map.heat,
                                fingerprint: fingerprint, previous: previous).render(into: folder)
        if let state = tiles.state { try folder.writeStreaming(to: TileState.fileName, bytes: state.write) }
        return tiles
    }
}
