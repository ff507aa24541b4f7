import Foundation
import Support
import Model
import Output
import Risk
import Tiles
import Model

/// What the stages of a run produced, for its report.
struct RunOutcome {
    var input: CaseInput
    var located: LocatedCases
    /// Cases located and inside the window (of the database's history with `--db`).
    var counted: Int
    var map: ScoredMap
    var tiles: TileJob.Result
    var database: DatabaseUpdate?
    var warnings: [String]
    /// The coordinate systems published (`RunOptions.published`).
    var published: [PublishedCRS]
}

/// The last stage: `report.json`, then the folder published, then — never before — the database
/// committed. Not timed under a name of its own: the report it writes holds the other stages' times.
struct PublishRun: RunStage {
    let options: RunOptions
    let folder: OutputFolder
    let style: Style
    let window: Window
    let database: RunDatabase?
    var name: String { "publish" }

    func run(_ input: (outcome: RunOutcome, clock: StageClock)) throws -> RunSummary {
        let outcome = input.outcome
        let total = input.clock.total
        try folder.write(report(outcome, timings: input.clock.laps + [("total", total)]).jsonText(), to: "report.json")
        try TestPoint.reached("publish")
        try folder.publish()
        try commitAfterPublish()
        return RunSummary(inputRows: outcome.input.rowCount, located: outcome.located.counts.count,
                          rejected: outcome.located.rejected.count, counted: outcome.counted,
                          tiles: outcome.tiles.total, seconds: total, warnings: outcome.warnings,
                          out: options.out)
    }

    func report(_ o: RunOutcome, timings: [(String, Double)]) -> RunReport {
        // A shard's report says which part it drew, so that `merge` can check it has them all.
        var report = RunReport(inputRows: o.input.rowCount, located: o.located.counts, rejected: o.located.rejected, counted: o.counted,
                               stats: o.map.stats, style: style, window: window, files: options.cases.map(\.relativePath),
                               tiles: o.tiles.counts, tilesGCJ02: o.tiles.pyramids[.gcj02]?.counts,
                               publishCRS: o.published.map(\.rawValue), timings: timings, warnings: o.warnings,
                               geocode: o.located.geocode.report, addressWarnings: o.located.geocode.disagreements,
                               shard: options.shard.count == 1 ? nil : options.shard.description, database: o.database?.report,
                               tileUpdates: o.tiles.updates)
        report.casePoints = options.casePoints.description
        return report
    }

    /// THE seam between the published map and the case database: called right after the output folder
    /// is published, never before, so the database never gets ahead of the map a user sees. A run that
    /// fails before it leaves the database as it was (`RunTransaction` rolls back when released). A kill
    /// between publish and commit leaves the database one run behind the map; the next run's export
    /// stores those cases again.
    func commitAfterPublish() throws {
        guard let writes = database?.writes else { return }
        do {
            try writes.commit { warning in
                // The cases are safe in the log (SQLite copies it over when the database is next opened).
                FileHandle.standardError.write(Data("riskmap: warning: \(warning)\n".utf8))
            }
        } catch {
            throw InputError(file: writes.store.url.path, "the map was published to \(options.out.path), but the case "
                             + "database could not be updated, it stays as before this run: \(error)")
        }
    }
}
