import ArgumentParser
import Foundation
import Support
import Model
import Stats

extension EvaluateFormat: ExpressibleByArgument {}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Backtest: did each day's red zones get the next period's cases? Hit rate, area share, PAI and PEI*, beside a naive baseline.",
        discussion: """
        For each day D from --from to --to, the map `riskmap run --db` would have drawn as of D (the style's window ending D) is set against the cases stored for the days after it, (D, D + horizon]. Per level, summed over the days: hit_rate = next-period cases in red zones / next-period cases located at the level; area_share = red area / the level's area; PAI = hit_rate / area_share (0 when nothing is red); PEI* = hits / the most hits zones of the same area could have had (0...1). The baseline flags, each day, as many zones as the map has red: those with the most cases in the window (ties by id). Every day needs a whole window before it and a whole horizon after it in the database's history; a date outside is refused with the days that would do.

        Examples:
          riskmap evaluate --db cases.sqlite --from 2026-09-01 --to 2026-10-24
          riskmap evaluate --db cases.sqlite --from 2026-09-01 --to 2026-10-24 --horizon 7 --format json
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The case database written by `riskmap run --db`. Example: --db cases.sqlite.", valueName: "file"))
    var db: String

    @Option(help: ArgumentHelp("The first day whose map is evaluated, YYYY-MM-DD.", valueName: "date"))
    var from: Day

    @Option(help: ArgumentHelp("The last day whose map is evaluated, YYYY-MM-DD (at least --from).", valueName: "date"))
    var to: Day

    @Option(help: ArgumentHelp("Days after each day whose cases it must predict (1 to 3660).", valueName: "days"))
    var horizon: Int = 30

    @Option(help: "Output: table, or json (one object per level, the baseline's figures under `baseline`).")
    var format: EvaluateFormat = .table

    @Option(help: ArgumentHelp("A style file (TOML) whose rules draw each day's map, instead of the built-in style.", valueName: "file"))
    var style: String?

    @Option(help: ArgumentHelp("The output folder of a run on this database: its zone files give the zones' neighbours, and the backtest then also measures each day's significant Gi* hot spots (`hot_spots`). Leave it out, or name a folder without zone files, to measure the red zones and the baseline only.", valueName: "dir"))
    var out: String = "output"

    func validate() throws {
        guard EvaluateOptions.horizonRange.contains(horizon) else {
            throw ValidationError("--horizon must be 1 to 3660 days, got \(horizon): the next period is the days (D, D + horizon]")
        }
        if to < from { throw ValidationError("--to \(to) is before --from \(from)") }
    }

    func run() throws {
        let options = EvaluateOptions(db: URL(fileURLWithPath: db), from: from, to: to, horizon: horizon, format: format,
                                      style: style.map { URL(fileURLWithPath: $0) }, out: URL(fileURLWithPath: out))
        print(try EvaluateJob(options: options).run(), terminator: "")
    }
}
