import ArgumentParser
import Foundation
import Input
import Jobs
import Store

extension ZoneLevel: ExpressibleByArgument {}
extension StatsSort: ExpressibleByArgument {}
extension StatsFormat: ExpressibleByArgument {}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Zone statistics for analysts, filtered and sorted, as a table, CSV or JSON.",
        discussion: """
        With --db the statistics are computed afresh from every case stored by `riskmap run --db`, with the
        style's rules, for any category and any days (default: the as-of day and window of the last run).
        Without --db they are read from the zone GeoJSON in --out (that run's window only).

        Examples:
          riskmap stats --db cases.sqlite --level community --category 噪声 --since 2026-11-01 --until 2026-11-22 --top 10
          riskmap stats --db cases.sqlite --explain FT0101
          riskmap stats --out output --level street --format json
          riskmap stats --db cases.sqlite --hotspots --top 5
        """)

    @Option(help: ArgumentHelp("Case database written by `riskmap run --db`.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Without --db: the output folder whose zone GeoJSON is read.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("Risk rules (with --db).", valueName: "file"))
    var style: String = "styles/default.toml"

    @Option(help: "Zone level: street, community or post.")
    var level: ZoneLevel = .community

    @Option(help: ArgumentHelp("Only the zones inside this zone of the level above.", valueName: "id"))
    var parent: String?

    @Option(help: ArgumentHelp("Only cases of this category (a key of the style or one of its words; needs --db).", valueName: "name"))
    var category: String?

    @Option(help: ArgumentHelp("First day counted, YYYY-MM-DD (needs --db).", valueName: "date"))
    var since: Day?

    @Option(help: ArgumentHelp("Last day counted, YYYY-MM-DD (needs --db).", valueName: "date"))
    var until: Day?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Last day counted, with --window (needs --db).", valueName: "date"))
    var asOf: Day?

    @Option(help: ArgumentHelp("Days counted up to --as-of (needs --db).", valueName: "days"))
    var window: Int?

    @Option(help: "Sort by cases, score, trend or density (highest first).")
    var sort: StatsSort = .score

    @Option(help: ArgumentHelp("Show only the first N zones (or hotspots).", valueName: "n"))
    var top: Int?

    @Option(help: "Output: table, csv or json (an array with one object per zone, as in the zone GeoJSON).")
    var format: StatsFormat = .table

    @Option(help: ArgumentHelp("Show how this zone's score was built, category by category.", valueName: "zone-id"))
    var explain: String?

    @Flag(help: "List the density peaks of the cases instead of zones.")
    var hotspots = false

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let window, window < 1 { throw ValidationError("--window must be at least 1 day") }
        if let since, let until, until < since { throw ValidationError("--until \(until) is before --since \(since)") }
    }

    func run() throws {
        try db.map { try DatabaseOwnership.check(URL(fileURLWithPath: $0)) }
        var o = StatsOptions(db: db.map { URL(fileURLWithPath: $0) }, out: URL(fileURLWithPath: out),
                             style: URL(fileURLWithPath: style))
        o.level = level; o.parent = parent; o.category = category; o.since = since; o.until = until
        o.asOf = asOf; o.window = window; o.sort = sort; o.top = top; o.format = format
        o.explain = explain; o.hotspots = hotspots
        print(try StatsJob(options: o).run(), terminator: "")
    }
}
