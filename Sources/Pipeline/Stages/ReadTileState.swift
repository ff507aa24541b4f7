import Foundation
import Support
import Tiles

/// Opens the previous run's published folder and its tile state (see `PreviousTiles`): what an
/// incremental run builds on.
struct ReadTileState: RunStage {
    let folder: URL
    let fingerprint: String
    var name: String { "read_tile_state" }

    func run(_: Void) throws -> PreviousTiles {
        PreviousTiles(folder: folder, fingerprint: fingerprint)
    }
}
