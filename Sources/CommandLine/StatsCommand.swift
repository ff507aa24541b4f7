import ArgumentParser
import Foundation
import Support
import Input
import Location
import Pipeline
import Publishing
import Stats
import Tiles
import Model
import Store
import Risk

extension ZoneLevel: ExpressibleByArgument {
    /// `grid` too: the grid level is accepted wherever a level is (it exists when the style has `[grid]`).
    public static var allValueStrings: [String] { mapLevels.map(\.rawValue) }
}
extension StatsSort: ExpressibleByArgument {}
extension StatsFormat: ExpressibleByArgument {}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Zone statistics for analysts, filtered and sorted, as a table, CSV or JSON.",
        discussion: """
        With --db the statistics are computed afresh from every case stored by `riskmap run --db`, with the style's rules (--style, else the built-in style), for any category and any days (default: the as-of day and window of the last run). Without --db they are read from the zone GeoJSON in --out (that run's window only).

        Examples:
          riskmap stats --db cases.sqlite --level community --category 噪声 \\
                        --since 2026-11-01 --until 2026-11-22 --top 10
          riskmap stats --db cases.sqlite --explain FT0101
          riskmap stats --out output --level street --format json
          riskmap stats --db cases.sqlite --hotspots --top 5
          riskmap stats --db cases.sqlite --out output --emerging --level community --steps 12 --step-days 7

        --emerging lists each zone's Emerging Hot Spot category (README "Emerging hot spots"): case counts per zone in --steps steps of --step-days days ending at the last run's as-of day (or --as-of), Gi* per step with the style's [gi] weights, a Mann-Kendall trend of the z-scores. The database keeps no zone shapes, so the weights come from the zone GeoJSON of --out (<out>/communities.geojson for --level community): give the --out of the run that wrote --db.
          riskmap stats --db cases.sqlite --repeats --min-cases 4 --within 30
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The case database written by `riskmap run --db`. Example: --db cases.sqlite.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Without --db: the output folder of a run, whose zone GeoJSON is read.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("With --db: a style file (TOML) whose rules score the zones, instead of the built-in style.", valueName: "file"))
    var style: String?

    @Option(help: "Zone level: street, community, post, or grid (the regular grid of [grid] cell_m in the style).")
    var level: ZoneLevel = .community

    @Option(help: ArgumentHelp("Only the zones inside this zone of the level above, by its id. Example: --level community --parent FT01.", valueName: "id"))
    var parent: String?

    @Option(help: ArgumentHelp("Only cases of this category: a key of the style or one of its words (needs --db). Example: --category 噪声.", valueName: "name"))
    var category: String?

    @Option(help: ArgumentHelp("First day counted, YYYY-MM-DD (needs --db).", valueName: "date"))
    var since: Day?

    @Option(help: ArgumentHelp("Last day counted, YYYY-MM-DD (needs --db).", valueName: "date"))
    var until: Day?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Last day counted, YYYY-MM-DD, with --window (needs --db).", valueName: "date"))
    var asOf: Day?

    @Option(help: ArgumentHelp("Days counted up to --as-of (needs --db).", valueName: "days"))
    var window: Int?

    @Option(help: "Sort by cases, score, trend or density (highest first).")
    var sort: StatsSort = .score

    @Option(help: ArgumentHelp("Show only the first N zones (or hotspots).", valueName: "n"))
    var top: Int?

    @Option(help: "Output: table, csv or json (an array with one object per zone, as in the zone GeoJSON).")
    var format: StatsFormat = .table

    @Option(help: ArgumentHelp("Show how this zone's score was built, category by category (needs --db). Example: --explain FT0101.", valueName: "zone-id"))
    var explain: String?

    @Flag(help: "List the density peaks of the cases instead of zones.")
    var hotspots = false

    @Flag(help: "List each zone's emerging hot spot category from the database's history (needs --db; shapes from --out).")
    var emerging = false

    @Option(name: .customLong("step-days"), help: ArgumentHelp("With --emerging: days per time step (default: the style's [emerging] step_days, 7).", valueName: "days"))
    var stepDays: Int?

    @Option(help: ArgumentHelp("With --emerging: the number of time steps, the last ending at the as-of day (default: the style's [emerging] steps, 12).", valueName: "n"))
    var steps: Int?
    @Flag(help: "List repeat complaints instead of zones (needs --db): addresses, and places (cases within --within metres of each other), with at least --min-cases cases in the window. They carry addresses: for the command centre.")
    var repeats = false

    @Option(name: .customLong("min-cases"), help: ArgumentHelp("With --repeats: cases an address or place needs to be listed (default: the style's repeats.min_cases, 3).", valueName: "k"))
    var minCases: Int?

    @Option(help: ArgumentHelp("With --repeats: cases whose points lie within this many metres of each other are one place (default: the style's repeats.within_m, 50).", valueName: "metres"))
    var within: Double?

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let window, window < 1 { throw ValidationError("--window must be at least 1 day") }
        if let since, let until, until < since { throw ValidationError("--until \(until) is before --since \(since)") }
        if let stepDays, !(1...366).contains(stepDays) { throw ValidationError("--step-days must be 1...366 days, got \(stepDays)") }
        if let steps, !(2...1_000).contains(steps) { throw ValidationError("--steps must be 2...1000 (a trend needs two steps), got \(steps)") }
        if !emerging, stepDays != nil || steps != nil { throw ValidationError("--step-days and --steps go with --emerging") }
        if !repeats, minCases != nil || within != nil {
            throw ValidationError("\(minCases != nil ? "--min-cases" : "--within") goes with --repeats")
        }
        if let minCases, !RepeatsRule.minCasesRange.contains(minCases) {
            throw ValidationError("--min-cases must be at least \(RepeatsRule.minCasesRange.lowerBound), got \(minCases)")
        }
        if let within, !RepeatsRule.withinRange.contains(within) {
            throw ValidationError("--within must be 1 to 10000 metres, got \(within)")
        }
        if repeats, emerging { throw ValidationError("give --repeats or --emerging, not both") }
        if repeats, hotspots || explain != nil {
            throw ValidationError("give --repeats alone, without \(hotspots ? "--hotspots" : "--explain")")
        }
    }

    func run() throws {
        var q = StatsQuery(level: level, format: format)
        q.parent = parent; q.category = category; q.since = since; q.until = until
        q.asOf = asOf; q.window = window; q.sort = sort; q.top = top
        q.explain = explain; q.hotspots = hotspots
        q.emerging = emerging; q.stepDays = stepDays; q.steps = steps
        var options = StatsOptions(db: db.map { URL(fileURLWithPath: $0) }, out: URL(fileURLWithPath: out),
                                   style: style.map { URL(fileURLWithPath: $0) }, query: q)
        options.repeats = repeats ? RepeatsQuery(minCases: minCases, withinMetres: within) : nil
        print(try StatsJob(options: options).run(), terminator: "")
    }
}
