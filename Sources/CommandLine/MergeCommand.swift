import ArgumentParser
import Foundation
import Jobs

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the output folders of `riskmap run --shard K/N` into one output folder.",
        discussion: """
        Every shard renders its share of the tiles and the same GeoJSON, report and viewer; merge copies
        all tiles and the documents of the first shard, and stops (exit 1) when the shards' documents
        differ (they were not run on the same input). A shard folder with a `current` link is followed.

        Example:
          riskmap merge --out output shards/1 shards/2 shards/3
        """)

    @Option(help: ArgumentHelp("The merged output folder (replaced only when complete).", valueName: "dir"))
    var out: String = "output"

    @Argument(help: ArgumentHelp("The shards' output folders.", valueName: "shard-dir"))
    var shards: [String]

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give the shards' output folders") }
    }

    func run() throws {
        let r = try MergeJob(shards: shards.map { URL(fileURLWithPath: $0) }, out: URL(fileURLWithPath: out)).run()
        print("riskmap merge: \(shards.count) shards, \(r.tiles) tiles in \(String(format: "%.1f", r.seconds)) s → \(out)")
    }
}
