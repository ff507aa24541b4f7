import Foundation
import Support
import Input
import Model
import Rendering

/// Reads the boundaries folder (`BoundaryReader`, with the run's limits), lays the style's grid over
/// the streets when it has one, and checks, before anything is drawn or stored, that every zone layer
/// stays within `--max-tiles`.
struct ReadBoundaries: RunStage {
    let options: RunOptions
    /// `[grid] cell_m`, and the style file that says so (for errors).
    var gridCellMetres: Double? = nil
    var styleFile = ""
    var name: String { "read_boundaries" }

    func run(_: Void) throws -> Boundaries {
        var boundaries = try BoundaryReader(folder: options.boundaries, defaultCRS: options.boundariesCRS,
                                            limits: options.boundaryLimits).read()
        if let gridCellMetres {
            boundaries.grid = try ZoneGrid(streets: boundaries.streets, cellMetres: gridCellMetres, styleFile: styleFile)
        }
        try checkTileBudget(boundaries)
        return boundaries
    }

    /// Every zone layer within `maxTiles` (this shard's part of it). The heat layer is drawn where the
    /// located cases are, inside the streets: the street layer's count bounds it too.
    func checkTileBudget(_ boundaries: Boundaries) throws {
        let tileOptions = options.tileSettings().tileOptions
        for level in ZoneLevel.allCases {
            let zones = boundaries.zones(level)
            let budget = TileBudget(boxes: zones.map(\.geometry.boundingBox), options: tileOptions)
            let tiles = budget.tiles / Double(options.shard.count)
            guard tiles > Double(options.maxTiles) else { continue }
            var message = "the \(level.rawValue) layer would draw up to \(Self.count(tiles)) tiles at zoom "
                + "\(options.minZoom)...\(options.maxZoom)\(options.shard.count > 1 ? " in shard \(options.shard)" : ""), "
                + "more than the limit of \(options.maxTiles) per layer"
            if let (i, alone) = budget.largest {
                message += "; \(level.rawValue) '\(zones[i].id)' alone covers \(Self.count(alone))"
            }
            throw InputError(file: options.boundaries.appendingPathComponent(level.fileName).path,
                             message + " (lower --max-zoom, split the run with --shard, or raise --max-tiles)")
        }
    }

    static func count(_ n: Double) -> String { n < 1e15 ? String(Int64(n)) : String(format: "%.3g", n) }
}
