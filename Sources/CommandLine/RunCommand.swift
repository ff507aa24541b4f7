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
import Output
import Projection
import Rendering
import Risk
import Store

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daily job: locate every case, score every zone, write tiles, GeoJSON, viewer and report.",
        discussion: """
        Reads the boundaries folder and the cases files, locates every case into its street, community and sentinel-post zone, scores every zone by the style's rules and writes into --out: streets/communities/posts.geojson, cases.geojson, rejects.csv, repeats.csv (repeat complaints, for the command centre: never served), report.json, tiles/{heat,street,community,post}/{z}/{x}/{y}.png, tiles.json, legend.json and index.html. The folder is replaced only when everything is written, in one rename, and only when riskmap wrote it (its .riskmap-output marker) or it is empty or absent (--force overrides); a second run on the same --out waits for the first.

        Without --style the style built into riskmap is used (the one `riskmap style --print` shows), from whatever folder riskmap runs in; report.json records which style a run used.

        With --db the run stores its cases in the case database first and draws the map from every stored case of the window (the history of all runs): the daily job then needs only the day's export, and publishes the map a full run on every case would. cases.geojson, rejects.csv and report.json's input_rows/located/rejected describe this run's files; counted and levels the database's window.

        Progress bars go to standard error when it is a terminal; the one-line summary goes to standard output (both silenced by --quiet).

        Examples:
          riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv \\
                      --as-of 2026-11-22
          riskmap run --boundaries boundaries/demo --cases export-2026-11-23.csv \\
                      --as-of 2026-11-23 --db cases.sqlite --keep 30 --out /srv/riskmap
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The boundaries folder: streets.geojson, communities.geojson and posts.geojson (GeoJSON FeatureCollections with id, name and parent properties), and optionally gazetteer.csv (name,kind,lon,lat) for addresses finer than a zone name. Example: --boundaries boundaries/demo.",
                               valueName: "dir"))
    var boundaries: String

    @Option(help: ArgumentHelp("A cases CSV export (UTF-8 or GB18030, with an id, a received date and coordinates or an address per row); repeat the option for several files, e.g. --cases 12345.csv --cases sentinel.csv.", valueName: "file"))
    var cases: [String]

    @Option(help: ArgumentHelp("The output folder, made when missing and replaced only when the run is complete. Example: --out /srv/riskmap.", valueName: "dir"))
    var out: String = "output"

    @Option(help: ArgumentHelp("A style file (TOML) with the risk rules and colours, instead of the built-in style; start from the output of `riskmap style --print`.", valueName: "file"))
    var style: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the map is for, YYYY-MM-DD (default: today). Cases received later are located but not counted.", valueName: "date"))
    var asOf: Day?

    @Option(help: ArgumentHelp("Only cases received in (as-of − DAYS, as-of] count (default: the style's window_days, 30 in the built-in style). Example: --window 7.", valueName: "days"))
    var window: Int?

    @Option(name: .customLong("min-zoom"), help: ArgumentHelp("The lowest tile zoom drawn (0 to 18).", valueName: "z"))
    var minZoom = 10

    @Option(name: .customLong("max-zoom"), help: ArgumentHelp("The highest tile zoom drawn (0 to 18, at least --min-zoom); every zoom level up roughly quadruples the tiles.", valueName: "z"))
    var maxZoom = 17

    @Option(name: .customLong("tile-size"), help: ArgumentHelp("Tile size in pixels: 256, or 512 for MapLibre's tileSize 512.", valueName: "pixels"))
    var tileSize = 256

    @Option(name: .customLong("cases-crs"), help: ArgumentHelp("Coordinate system of case coordinates when a row does not say: wgs84, cgcs2000, gcj02 (Amap, Tencent), bd09 (Baidu) or EPSG:NNNN. Example: --cases-crs gcj02.", valueName: "crs"))
    var casesCRS: String = "wgs84"

    @Option(name: .customLong("boundaries-crs"), help: ArgumentHelp("Coordinate system of boundary files without a crs member, named as for --cases-crs. Example: --boundaries-crs EPSG:4547.", valueName: "crs"))
    var boundariesCRS: String = "wgs84"

    @Option(help: ArgumentHelp("Keep a history: write OUT/YYYY-MM-DD/ for the as-of day, point the link OUT/current at it when complete, and keep the newest N day folders. Example: --keep 30.", valueName: "n"))
    var keep: Int?
    @Option(help: ArgumentHelp("SQLite database of every case seen, kept across daily runs (made when missing): the run stores its cases, then scores and draws every stored case of the window; `riskmap stats --db` reads it. Example: --db cases.sqlite.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Where the tiles go: folder (tiles/{layer}/{z}/{x}/{y}.png, one file per tile), pmtiles or mbtiles (one archive per layer, tiles/{layer}.pmtiles or .mbtiles, and no tile files: what a province-sized map wants). `riskmap serve` answers /tiles/{layer}/{z}/{x}/{y}.png from either. Example: --tiles pmtiles.", valueName: "folder|pmtiles|mbtiles"))
    var tiles = "folder"

    @Option(help: ArgumentHelp("Also write the tiles as MBTiles 1.3: FILE holds the heat layer, FILE-street, FILE-community and FILE-post (the name before the extension) the zone layers. Example: --mbtiles risk.mbtiles.", valueName: "file"))
    var mbtiles: String?

    @Option(help: ArgumentHelp("Also write the tiles as PMTiles v3: FILE holds the heat layer, FILE-street, FILE-community and FILE-post (the name before the extension) the zone layers. Example: --pmtiles risk.pmtiles.", valueName: "file"))
    var pmtiles: String?

    @Option(name: .customLong("publish-crs"), help: ArgumentHelp("Also publish the map in these coordinate systems (comma-separated; wgs84 is always written): gcj02 adds tiles-gcj02/{layer}/{z}/{x}/{y}.png, tiles-gcj02.json and streets/communities/posts.gcj02.geojson, which line up with Amap and Tencent basemaps; bd09 adds *.bd09.geojson for Baidu's JS API. With --mbtiles/--pmtiles the GCJ-02 tiles go into FILE-gcj02 (heat), FILE-gcj02-street, ... Example: --publish-crs gcj02,bd09.", valueName: "list"))
    var publishCRS: String = "wgs84"

    @Option(name: .customLong("basemap-url"), help: ArgumentHelp("The viewer's basemap: an XYZ tile URL template with {z}, {x}, {y} (and {s} for --basemap-subdomains), instead of the style's [basemap]; `none`: no basemap whatever the style says. Without one the viewer has no basemap and works offline. Example: --basemap-url 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'.", valueName: "template"))
    var basemapURL: String?

    @Option(name: .customLong("basemap-crs"), help: ArgumentHelp("The basemap's coordinate system: wgs84 (OSM, Tianditu; cgcs2000 is the same here) or gcj02 (Amap, Tencent). With gcj02 the viewer shows the GCJ-02 pyramid, and gcj02 is published as if --publish-crs named it.", valueName: "crs"))
    var basemapCRS: String?

    @Option(name: .customLong("basemap-attribution"), help: ArgumentHelp("The basemap's attribution, shown in the viewer's corner (its licence usually requires one). Example: --basemap-attribution '© OpenStreetMap contributors'.", valueName: "text"))
    var basemapAttribution: String?

    @Option(name: .customLong("basemap-subdomains"), help: ArgumentHelp("Values of {s} in --basemap-url: comma-separated (t0,t1,t2) or one character each (abc).", valueName: "list"))
    var basemapSubdomains: String?

    @Option(help: ArgumentHelp("Render only part K of N of the tiles (1 ≤ K ≤ N), the same part on every machine; every shard writes all documents. Combine the shards with `riskmap merge`. Example: --shard 2/8.", valueName: "k/n"))
    var shard: String?

    @Option(name: .customLong("case-points"), help: ArgumentHelp("How cases.geojson places cases: exact (the located point, for internal use), snap:METRES (the centre of a grid cell of about METRES × METRES, 10 to 100000, for dashboards others see) or none (no point; zones, day and category stay). An exact point can lead to a complainant's door. Example: --case-points snap:200.", valueName: "exact|snap:metres|none"))
    var casePoints = "exact"

    @OptionGroup var limits: LimitOptions

    @Option(name: .customLong("max-tiles"), help: ArgumentHelp("Refuse a run whose zone layer would draw more tiles than this (of this shard), counted before drawing.", valueName: "n"))
    var maxTiles = 2_000_000

    @Flag(help: "Replace --out, the day folder of --keep and the archive files even when riskmap did not write them (a folder without the .riskmap-output marker, a file, a link). Without it such a path stops the run (exit 1) untouched.")
    var force = false

    func validate() throws {
        if maxTiles < 1 { throw ValidationError("--max-tiles must be at least 1") }
        if let shard, TileShard(parsing: shard) == nil {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/8 (got '\(shard)')")
        }
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
        if !(0...18).contains(minZoom) || !(0...18).contains(maxZoom) || minZoom > maxZoom {
            throw ValidationError("--min-zoom and --max-zoom must be 0...18 with min ≤ max")
        }
        if ![256, 512].contains(tileSize) { throw ValidationError("--tile-size must be 256 or 512") }
        if TileOutput(tiles) == nil {
            throw ValidationError("--tiles must be \(TileOutput.names.joined(separator: ", ")) (got '\(tiles)')")
        }
        if let window, window < 1 { throw ValidationError("--window must be at least 1 day") }
        if CasePoints(parsing: casePoints) == nil {
            throw ValidationError("--case-points must be exact, none or snap:METRES with METRES from 10 to 100000, e.g. snap:200 (got '\(casePoints)')")
        }
        if let unknown = PublishedCRS.parse(list: publishCRS).unknown {
            throw ValidationError("--publish-crs: '\(unknown)' is not a coordinate system riskmap publishes; "
                                  + "give a comma-separated list of wgs84, gcj02, bd09 (e.g. --publish-crs gcj02)")
        }
        if let basemapCRS, Basemap.Datum(naming: basemapCRS) == nil {
            throw ValidationError("--basemap-crs: \(Basemap.Datum.problem(basemapCRS))")
        }
        if let basemapURL, basemapURL != "none", let problem = Basemap.problem(url: basemapURL) {
            throw ValidationError("--basemap-url: \(problem)")
        }
    }

    /// The basemap the command line names; nil when no option is given (the style's `[basemap]`
    /// stands). With --basemap-url the basemap is the command line's alone (crs wgs84 unless given);
    /// without it the other options replace those keys of the style's `[basemap]`, and without that
    /// they are a bad command line.
    func basemap(style: Style) throws -> Basemap? {
        guard basemapURL != "none" else { return nil }
        guard basemapURL != nil || basemapCRS != nil || basemapAttribution != nil || basemapSubdomains != nil else { return nil }
        guard var b = basemapURL.map({ Basemap(url: $0) }) ?? style.basemap else {
            let given = [("--basemap-crs", basemapCRS), ("--basemap-attribution", basemapAttribution),
                         ("--basemap-subdomains", basemapSubdomains)].filter { $0.1 != nil }.map(\.0)
            throw ValidationError("\(given.joined(separator: ", ")) needs --basemap-url (the style \(style.file) has no [basemap] url)")
        }
        if let basemapCRS, let datum = Basemap.Datum(naming: basemapCRS) { b.datum = datum }
        if let basemapAttribution { b.attribution = basemapAttribution }
        if let basemapSubdomains { b.subdomains = Basemap.subdomains(basemapSubdomains) }
        return b
    }

    func run() throws {
        var options = RunOptions(boundaries: URL(fileURLWithPath: boundaries), cases: cases.map { URL(fileURLWithPath: $0) },
                                 out: URL(fileURLWithPath: out), style: style.map { URL(fileURLWithPath: $0) })
        options.asOf = asOf
        options.window = window
        options.keep = keep
        options.minZoom = minZoom
        options.maxZoom = maxZoom
        options.tileSize = tileSize
        options.casesCRS = try parseCRS(casesCRS, option: "--cases-crs")
        options.boundariesCRS = try parseCRS(boundariesCRS, option: "--boundaries-crs")
        options.db = db.map { URL(fileURLWithPath: $0) }
        options.tiles = TileOutput(tiles) ?? .folder
        options.mbtiles = mbtiles.map { URL(fileURLWithPath: $0) }
        options.pmtiles = pmtiles.map { URL(fileURLWithPath: $0) }
        options.shard = shard.flatMap(TileShard.init(parsing:)) ?? .whole
        options.progress = global.progress
        options.maxTiles = maxTiles
        options.boundaryLimits = limits.boundaryLimits
        options.force = force
        options.casePoints = CasePoints(parsing: casePoints) ?? .exact
        options.publishCRS = PublishedCRS.parse(list: publishCRS).crs
        options.noBasemap = basemapURL == "none"
        if basemapURL != nil || basemapCRS != nil || basemapAttribution != nil || basemapSubdomains != nil {
            options.basemap = try basemap(style: Style.load(options.style))
        }
        let s = try RunJob(options: options).run()
        for w in s.warnings { global.warn(w) }
        global.summary("riskmap run: \(s.inputRows) rows, \(s.located) located, \(s.rejected) rejected, \(s.counted) counted, "
              + "\(s.tiles) tiles in \(String(format: "%.1f", s.seconds)) s → \(out)")
    }
}

/// An unknown coordinate system stops the run (exit 1) with the option named; PROJ is asked whether
/// it knows an EPSG code.
func parseCRS(_ text: String, option: String) throws -> CRS {
    do {
        return try CRS(checking: text)
    } catch {
        throw InputError(file: option, "\(error)")
    }
}

/// `--max-vertices`, `--max-posts`, `--max-zone-span`, `--max-zone-ratio`: the bounds a boundaries
/// folder must keep (see `BoundaryLimits`), for the commands that read one.
struct LimitOptions: ParsableArguments {
    static let defaults = BoundaryLimits()

    @Option(name: .customLong("max-vertices"), help: ArgumentHelp("Refuse a zone with more vertices than this.", valueName: "n"))
    var maxVertices = defaults.maxVertices

    @Option(name: .customLong("max-posts"), help: ArgumentHelp("Refuse a community with more point posts than this.", valueName: "n"))
    var maxPosts = defaults.maxPostsPerCommunity

    @Option(name: .customLong("max-zone-span"), help: ArgumentHelp("Refuse a zone whose box is wider or higher than this many degrees.", valueName: "degrees"))
    var maxZoneSpan = defaults.maxZoneSpanDegrees

    @Option(name: .customLong("max-zone-ratio"), help: ArgumentHelp("Refuse a street or community whose box area is more than this many times the median of its level.", valueName: "factor"))
    var maxZoneRatio = defaults.maxZoneAreaRatio

    func validate() throws {
        if maxVertices < 4 { throw ValidationError("--max-vertices must be at least 4") }
        if maxPosts < 1 { throw ValidationError("--max-posts must be at least 1") }
        if !(maxZoneSpan > 0 && maxZoneSpan <= 360) { throw ValidationError("--max-zone-span must be a number of degrees in (0, 360]") }
        if !(maxZoneRatio >= 1 && maxZoneRatio.isFinite) { throw ValidationError("--max-zone-ratio must be a finite number ≥ 1") }
    }

    var boundaryLimits: BoundaryLimits {
        var l = BoundaryLimits()
        l.maxVertices = maxVertices
        l.maxPostsPerCommunity = maxPosts
        l.maxZoneSpanDegrees = maxZoneSpan
        l.maxZoneAreaRatio = maxZoneRatio
        return l
    }
}
