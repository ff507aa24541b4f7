import ArgumentParser
import Foundation
import Support
import Location
import Pipeline
import Publishing
import Stats
import Tiles

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the output folders of `riskmap run --shard K/N` into one output folder.",
        discussion: """
        Every shard renders its share of the tiles and the same GeoJSON, report and viewer; merge copies all tiles and the documents of the first shard (report.json with the merged tile counts), and stops (exit 1) when the shards' documents differ (they were not run on the same input) or a shard of the set is missing or given twice. A shard folder with a `current` link is followed. --mbtiles and --pmtiles write the archives of the merged tiles, named as `riskmap run` names them.

        Example:
          riskmap merge --out output --pmtiles risk.pmtiles shards/1 shards/2 shards/3
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The merged output folder (replaced only when complete).", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("Also write the merged tiles as MBTiles (FILE: heat, FILE-street ... as `run --mbtiles`).", valueName: "file"))
    var mbtiles: String?

    @Option(help: ArgumentHelp("Also write the merged tiles as PMTiles (FILE: heat, FILE-street ... as `run --pmtiles`).", valueName: "file"))
    var pmtiles: String?

    @Option(help: ArgumentHelp("History, as `run --keep`: write OUT/YYYY-MM-DD/ (the shards' as-of day), point OUT/current at it, keep the newest N days.", valueName: "n"))
    var keep: Int?

    @Flag(help: "Replace --out and the archive files even when riskmap did not write them, as `run --force`.")
    var force = false

    @Argument(help: ArgumentHelp("The shards' output folders, one for every K of 1...N. Example: shards/1 shards/2 shards/3.", valueName: "shard-dir"))
    var shards: [String]

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give the shards' output folders") }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
    }

    func run() throws {
        let r = try MergeJob(shards: shards.map { URL(fileURLWithPath: $0) }, out: URL(fileURLWithPath: out),
                         mbtiles: mbtiles.map { URL(fileURLWithPath: $0) }, pmtiles: pmtiles.map { URL(fileURLWithPath: $0) }, keep: keep, force: force).run()
        global.summary("riskmap merge: \(shards.count) shards, \(r.tiles) tiles in \(String(format: "%.1f", r.seconds)) s → \(out)")
    }
}
