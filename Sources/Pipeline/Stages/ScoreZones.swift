import Foundation
import Input
import Model
import Rendering
import Risk
import Support
import Tiles
import Store

/// What the map shows: every level's zone statistics, the density peaks and the heat layer's
/// renderer (its density field computed).
struct ScoredMap {
    var stats: [ZoneLevel: [ZoneStats]]
    var hotspots: [Hotspot]
    var heat: HeatmapRenderer
    /// What the statistics could not do (emerging hot spots on too short a history), for report.json.
    var warnings: [String] = []
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
    /// With `--db`: the history the emerging hot spots are read from.
    var history: CaseStore? = nil
    var name: String { "score" }

    private enum Product { case zones([ZoneStats], warning: String?), hotspots([Hotspot]), heat(HeatmapRenderer) }

    func run(_ cases: MapCases) throws -> ScoredMap {
        let ramp = try TileJob.heatRamp(style)
        let scorer = Scorer(style: style, window: window)
        let repeats = scorer.repeatedAddresses(cases.scoring)
        let levels = boundaries.levels
        let products = try parallelMap(levels.count + 2) { task throws -> Product in
            switch task {
            case levels.count:
                return .hotspots(HotspotFinder(cellMetres: style.hotspots.cellMetres).find(cases.hotspots, top: style.hotspots.count))
            case levels.count + 1:
                return .heat(TileJob.heatRenderer(points: cases.heat, style: style, ramp: ramp, options: tiles, previous: previous))
            default:
                let level = levels[task]
                var stats = scorer.score(level: level, zones: boundaries.zones(level), cases: cases.scoring,
                                         categories: cases.table.resolved, areas: areas.of(level), repeats: repeats,
                                         previous: cases.previous.map { $0[level] ?? [:] })
                let warning = try significance(&stats, level: level)
                return .zones(stats, warning: warning)
            }
        }
        var stats: [ZoneLevel: [ZoneStats]] = [:], hotspots: [Hotspot] = [], heat: HeatmapRenderer?, warnings: [String] = []
        for (task, product) in products.enumerated() {
            switch product {
            case .zones(let s, let warning):
                stats[levels[task]] = s
                if let warning { warnings.append(warning) }
            case .hotspots(let h): hotspots = h
            case .heat(let h): heat = h
            }
        }
        guard let heat else { preconditionFailure("the heat task always runs") }
        return ScoredMap(stats: stats, hotspots: hotspots, heat: heat, warnings: warnings)
    }

    /// Gi* of the level's zones and, with a database, their emerging hot spot categories, over the
    /// level's weights (made once, here). Returns a warning when the history is too short for the
    /// style's steps: the map is still drawn, without `emerging`.
    private func significance(_ stats: inout [ZoneStats], level: ZoneLevel) throws -> String? {
        let weights = try style.gi.spatialWeights(stats.map(\.zone.geometry))
        ZoneSignificance.assignGi(&stats, weights: weights, style: style.gi)
        guard let history else { return nil }
        let steps = style.emerging
        do {
            let series = level == .grid
                ? try gridSeries(history, steps: steps)
                : try history.zoneSeries(level: level, last: window.asOf, stepDays: steps.stepDays, steps: steps.steps)
            ZoneSignificance.assignEmerging(&stats, series: series, steps: steps.steps, weights: weights)
            return nil
        } catch let error as HistoryError {
            return "emerging hot spots (\(level.rawValue)): \(error) — [emerging] in the style"
        }
    }

    /// The grid's case counts per step: the database keeps points, not cells, so the points of the
    /// steps' days are placed in the cells here.
    private func gridSeries(_ store: CaseStore, steps: EmergingStyle) throws -> [String: [Int]] {
        guard let grid = boundaries.grid else { return [:] }
        return try store.pointSeries(last: window.asOf, stepDays: steps.stepDays, steps: steps.steps, place: grid.cellIDs)
    }
}
