import Foundation
import Input
import Model
import Rendering
import Risk
import Support
import Tiles

/// What the map shows: every level's zone statistics, the density peaks and the heat layer's
/// renderer (its density field computed).
struct ScoredMap {
    var stats: [ZoneLevel: [ZoneStats]]
    var hotspots: [Hotspot]
    var heat: HeatmapRenderer
}

/// Scores every level's zones, finds the hotspots and computes the heat layer's density field. They
/// share nothing: one task each, all at once in one parallel loop (nested parallel loops would run
/// their inner loops one by one).
struct ScoreZones: RunStage {
    let style: Style
    let window: Window
    let boundaries: Boundaries
    let areas: ZoneAreas
    let tiles: TileSettings
    /// The previous run's tile state, whose density field the heat layer builds on.
    let previous: TileState?
    var name: String { "score" }

    private enum Product { case zones([ZoneStats]), hotspots([Hotspot]), heat(HeatmapRenderer) }

    func run(_ cases: MapCases) throws -> ScoredMap {
        let ramp = try TileJob.heatRamp(style)
        let scorer = Scorer(style: style, window: window)
        let repeats = scorer.repeatedAddresses(cases.scoring)
        let levels = boundaries.levels
        let products = parallelMap(levels.count + 2) { task -> Product in
            switch task {
            case levels.count:
                return .hotspots(HotspotFinder(cellMetres: style.hotspots.cellMetres).find(cases.hotspots, top: style.hotspots.count))
            case levels.count + 1:
                return .heat(TileJob.heatRenderer(points: cases.heat, style: style, ramp: ramp, options: tiles, previous: previous))
            default:
                let level = levels[task]
                return .zones(scorer.score(level: level, zones: boundaries.zones(level), cases: cases.scoring,
                                           categories: cases.table.resolved, areas: areas.of(level), repeats: repeats,
                                           previous: cases.previous.map { $0[level] ?? [:] }))
            }
        }
        var stats: [ZoneLevel: [ZoneStats]] = [:], hotspots: [Hotspot] = [], heat: HeatmapRenderer?
        for (task, product) in products.enumerated() {
            switch product {
            case .zones(let s): stats[levels[task]] = s
            case .hotspots(let h): hotspots = h
            case .heat(let h): heat = h
            }
        }
        guard let heat else { preconditionFailure("the heat task always runs") }
        return ScoredMap(stats: stats, hotspots: hotspots, heat: heat)
    }
}
