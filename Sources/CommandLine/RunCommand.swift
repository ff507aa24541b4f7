import ArgumentParser
import Foundation
import Input
import Jobs
import Projection
import Rendering
import Store

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daily job: locate every case, score every zone, write tiles, GeoJSON, viewer and report.",
        discussion: """
        Reads the boundaries folder and the cases files, locates every case into its street, community and
        sentinel-post zone, scores every zone by the style's rules and writes into --out: streets/communities/
        posts.geojson, cases.geojson, rejects.csv, report.json, tiles/{heat,street,community,post}/{z}/{x}/{y}.png,
        tiles.json, legend.json and index.html. The folder is replaced only when everything is written, in one
        rename, and only when riskmap wrote it (its .riskmap-output marker) or it is empty or absent; a second
        run on the same --out waits for the first.

        With --db the run stores its cases in the case database first and draws the map from every stored
        case of the window (the history of all runs): the daily job then needs only the day's export, and
        publishes the map a full run on every case would. cases.geojson, rejects.csv and report.json's
        input_rows/located/rejected describe this run's files; counted and levels the database's window.

        Examples:
          riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22
          riskmap run --boundaries boundaries/demo --cases export-2026-11-23.csv --as-of 2026-11-23 \\
                      --db cases.sqlite --keep 30 --out /srv/riskmap
        """)

    @Option(help: ArgumentHelp("Folder with streets.geojson, communities.geojson, posts.geojson [, gazetteer.csv].",
                               valueName: "dir"))
    var boundaries: String

    @Option(help: ArgumentHelp("A cases CSV (UTF-8 or GB18030); repeat for several files.", valueName: "file"))
    var cases: [String] = []

    @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("Risk rules and colours.", valueName: "file"))
    var style: String = "styles/default.toml"

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the map is for, YYYY-MM-DD (default: today). Later cases are located, not counted.", valueName: "date"))
    var asOf: Day?

    @Option(help: ArgumentHelp("Only cases received in (as-of − DAYS, as-of] count (default: the style's window_days).", valueName: "days"))
    var window: Int?

    @Option(name: .customLong("min-zoom"), help: "Lowest tile zoom.")
    var minZoom = 10

    @Option(name: .customLong("max-zoom"), help: "Highest tile zoom (at most 18).")
    var maxZoom = 17

    @Option(name: .customLong("tile-size"), help: "Tile size in pixels: 256, or 512 for MapLibre's tileSize 512.")
    var tileSize = 256

    @Option(name: .customLong("cases-crs"), help: ArgumentHelp("Coordinate system of case coordinates when a row does not say: wgs84, cgcs2000, gcj02, bd09 or EPSG:NNNN.", valueName: "crs"))
    var casesCRS: String = "wgs84"

    @Option(name: .customLong("boundaries-crs"), help: ArgumentHelp("Coordinate system of boundary files without a crs member.", valueName: "crs"))
    var boundariesCRS: String = "wgs84"

    @Option(help: ArgumentHelp("History: write OUT/YYYY-MM-DD/ for the as-of day, point the link OUT/current at it when complete, and keep the newest N day folders.", valueName: "n"))
    var keep: Int?
    @Option(help: ArgumentHelp("SQLite database of every case seen, kept across daily runs (made when missing): the run stores its cases, then scores and draws every stored case of the window; `riskmap stats --db` reads it.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Also write the tiles as MBTiles 1.3: FILE holds the heat layer, FILE-street, FILE-community and FILE-post (the name before the extension) the zone layers.", valueName: "file"))
    var mbtiles: String?

    @Option(help: ArgumentHelp("Also write the tiles as PMTiles v3: FILE holds the heat layer, FILE-street, FILE-community and FILE-post (the name before the extension) the zone layers.", valueName: "file"))
    var pmtiles: String?

    @Option(help: ArgumentHelp("Render only part K of N of the tiles (1 ≤ K ≤ N), the same part on every machine; every shard writes all documents. Combine the shards with `riskmap merge`.", valueName: "k/n"))
    var shard: String?

    @Flag(help: "Replace --out, the day folder of --keep and the archive files even when riskmap did not write them (a folder without the .riskmap-output marker, a file, a link). Without it such a path stops the run (exit 1) untouched.")
    var force = false

    func validate() throws {
        if let shard, TileShard(parsing: shard) == nil {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/8 (got '\(shard)')")
        }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        if cases.isEmpty { throw ValidationError("give at least one --cases FILE") }
        if !(0...18).contains(minZoom) || !(0...18).contains(maxZoom) || minZoom > maxZoom {
            throw ValidationError("--min-zoom and --max-zoom must be 0...18 with min ≤ max")
        }
        if ![256, 512].contains(tileSize) { throw ValidationError("--tile-size must be 256 or 512") }
        if let window, window < 1 { throw ValidationError("--window must be at least 1 day") }
    }

    func run() throws {
        var options = RunOptions(boundaries: URL(fileURLWithPath: boundaries), cases: cases.map { URL(fileURLWithPath: $0) },
                                 out: URL(fileURLWithPath: out), style: URL(fileURLWithPath: style))
        options.asOf = asOf
        options.window = window
        options.keep = keep
        options.minZoom = minZoom
        options.maxZoom = maxZoom
        options.tileSize = tileSize
        options.casesCRS = try parseCRS(casesCRS, option: "--cases-crs")
        options.boundariesCRS = try parseCRS(boundariesCRS, option: "--boundaries-crs")
        options.db = db.map { URL(fileURLWithPath: $0) }
        // Someone else's SQLite file is refused before anything opens it (opening would change it).
        try options.db.map(DatabaseOwnership.check)
        options.mbtiles = mbtiles.map { URL(fileURLWithPath: $0) }
        options.pmtiles = pmtiles.map { URL(fileURLWithPath: $0) }
        options.shard = shard.flatMap(TileShard.init(parsing:)) ?? .whole
        options.force = force
        let s = try RunJob(options: options).run()
        for w in s.warnings { FileHandle.standardError.write(Data("riskmap: warning: \(w)\n".utf8)) }
        print("riskmap run: \(s.inputRows) rows, \(s.located) located, \(s.rejected) rejected, \(s.counted) counted, "
              + "\(s.tiles) tiles in \(String(format: "%.1f", s.seconds)) s → \(out)")
    }
}

/// An unknown coordinate system stops the run (exit 1) with the option named; PROJ is asked whether
/// it knows an EPSG code.
func parseCRS(_ text: String, option: String) throws -> CRS {
    do {
        let crs = try CRS(parsing: text)
        if case .epsg = crs { _ = try CoordinateTransformer(from: crs) }
        return crs
    } catch {
        throw InputError(file: option, "\(error)")
    }
}
