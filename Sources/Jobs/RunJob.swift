import Foundation
import Geometry
import Input
import Output
import Projection
import Rendering
import Risk
import Store

/// Everything `riskmap run` needs to know.
public struct RunOptions: Sendable {
    public var boundaries: URL
    public var cases: [URL]
    public var out: URL
    /// `--style FILE`; nil: the style built into the binary.
    public var style: URL?
    public var asOf: Day?
    public var window: Int?
    public var minZoom = 10
    public var maxZoom = 17
    public var tileSize = 256
    public var casesCRS: CRS = .wgs84
    public var boundariesCRS: CRS = .wgs84
    /// History: write OUT/YYYY-MM-DD and point OUT/current at it, keeping the newest `keep` days.
    public var keep: Int?
    /// The case database kept across runs (`--db`); nil: none.
    public var db: URL?
    /// Archives of the tile layers (see `ArchiveJob` for the file of each layer).
    public var mbtiles: URL?
    public var pmtiles: URL?
    /// `--shard K/N`: render only this part of the tiles; every document is written in full.
    public var shard: TileShard = .whole
    /// Bars for the long phases (reading, locating, geocoding, tiles, archives); silent by default.
    public var progress: ProgressSink = .silent
    /// Tiles one zone layer may draw in this run (`--max-tiles`; see `TileBudget`).
    public var maxTiles = 2_000_000
    /// Bounds on vertices, point posts and zone extents (`--max-vertices`, `--max-posts`, ...).
    public var boundaryLimits = BoundaryLimits()
    /// `--force`: replace `out` (and the archives) even when riskmap did not write them.
    public var force = false
    public init(boundaries: URL, cases: [URL], out: URL, style: URL? = nil) {
        self.boundaries = boundaries; self.cases = cases; self.out = out; self.style = style
    }
}

/// What a run did, for the one-line summary and `report.json`.
public struct RunSummary: Sendable {
    public var inputRows: Int
    public var located: Int
    public var rejected: Int
    public var counted: Int
    public var tiles: Int
    public var seconds: Double
    public var warnings: [String]
    public var out: URL
}

/// The daily job: boundaries and cases in; zone statistics, GeoJSON, tiles, viewer and report out.
public struct RunJob {
    public var options: RunOptions
    public init(options: RunOptions) { self.options = options }

    public func run() throws -> RunSummary {
        var clock = StepClock()
        let style = try Style.load(options.style)
        let asOf = options.asOf ?? Day.today()
        // An empty, foreign (not riskmap's) or non-SQLite --db stops the run before anything is touched.
        try options.db.map { try CaseStore.checkHeader($0.path) }
        // One writer per output folder, then one run per database (see RunLock), always in this order;
        // both held until this function returns. The output is checked first: a path riskmap may not
        // replace stops the run before the database is opened.
        let (outputLock, folder) = try claimOutput(options.out, history: options.keep.map { (day: asOf.description, keep: $0) },
                                                   archives: (options.mbtiles, options.pmtiles), force: options.force)
        let lock = try options.db.map { try RunLock(database: $0, waiting: sayWaiting) }
        defer { withExtendedLifetime((outputLock, lock)) {} }
        // A damaged database stops the run before the heavy work: its pages are checked (quick_check,
        // read-only) while the input is read; the store is opened, and written, only after that.
        let integrity = options.db.map { url in BackgroundTask { try CaseStore.verifyIntegrity(at: url) } }
        let boundaries = try BoundaryReader(folder: options.boundaries, defaultCRS: options.boundariesCRS,
                                            limits: options.boundaryLimits).read()
        try checkTileBudget(boundaries)
        clock.lap("read_boundaries")

        let input = try readCases()
        clock.lap("read_cases")
        if let damage = integrity?.wait() { throw damage }
        // Only an absent path makes a new database, and a failed run takes it away again.
        let newDatabase = options.db.flatMap { FileManager.default.fileExists(atPath: $0.path) ? nil : $0 }
        let store = try options.db.map { try CaseStore(url: $0, create: true) }
        // Every database write of the run from here on is one transaction, committed after the publish.
        let writes = try store?.beginRun()
        defer {
            if let newDatabase, writes?.isCommitted != true {
                writes?.rollback()
                CaseStore.discardNew(newDatabase)
            }
        }
        var locator = CaseLocator(boundaries: boundaries, defaultCRS: options.casesCRS)
        locator.progress = options.progress
        try locator.enableGeocoding()
        let boundaryFiles = BoundaryFiles(folder: options.boundaries)
        locator.geocodeCache = store.map { GeocodeCache(store: $0, boundaryFiles: boundaryFiles, crs: options.boundariesCRS) }
        let outcome = try locator.locateAll(input.records)
        var (located, rejected) = (outcome.located, outcome.rejected)
        rejected += input.rejects
        located.sort { ($0.record.file, $0.record.line) < ($1.record.file, $1.record.line) }
        clock.lap("locate")

        let window = Window(asOf: asOf, days: options.window ?? style.windowDays)
        let areas = zoneAreas(boundaries)
        // With --db the map is drawn from the database's history, this run's cases stored first.
        let relocated = try store.map { try relocateStored(in: $0, locator: locator) } ?? nil
        var database = try store.map { try save(located, removing: rejected, to: $0, boundaries: boundaries, areas: areas,
                                                 window: window, style: style) }
        database?.relocated = relocated
        clock.lap("database")
        try TestPoint.reached("after_database")
        let fingerprint = tileFingerprint(style: style, boundaryFiles: boundaryFiles)
        let previousTiles = PreviousTiles(folder: previousFolder, fingerprint: fingerprint)
        clock.lap("read_tile_state")
        let cases = try store.map { try MapCases(store: $0, window: window, style: style) }
            ?? MapCases(located: located, window: window, style: style)
        clock.lap("map_cases")
        let (stats, hotspots, heat) = try scoreAndDraw(cases, style: style, window: window, boundaries: boundaries,
                                                   areas: areas, previous: previousTiles.usable?.state)
        clock.lap("score")

        for level in ZoneLevel.allCases {
            try folder.write(GeoJSONWriter.zones(stats[level]!, style: style), to: level.fileName)
        }
        clock.lap("write_zones")
        try folder.write(GeoJSONWriter.cases(located, window: window, warnings: outcome.warnings), to: "cases.geojson")
        clock.lap("write_cases")
        try folder.write(RejectsWriter.csv(rejected, headers: input.headers), to: "rejects.csv")
        clock.lap("write_rejects")
        try folder.write(GeoJSONWriter.hotspots(hotspots), to: "hotspots.geojson")
        clock.lap("hotspots")

        let tiles = try TileJob(options: options, style: style, stats: stats, heat: heat,
                                fingerprint: fingerprint, previous: previousTiles)
            .render(into: folder)
        if let state = tiles.state { try folder.write(state.encoded(), to: TileState.fileName) }
        let tileCounts = tiles.counts
        clock.lap("tiles")
        clock.record(tiles.seconds.map { ("tiles_\($0.0)", $0.1) })

        let bounds = boundaries.bounds ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        _ = try ArchiveJob(options: options, bounds: bounds).write(tiles.archived)
        try folder.write(MapDocuments.tileJSON(bounds: bounds, minZoom: options.minZoom, maxZoom: options.maxZoom,
                                               tileSize: options.tileSize), to: "tiles.json")
        try folder.write(MapDocuments.legend(style: style), to: "legend.json")
        try folder.write(MapDocuments.viewer(bounds: bounds), to: "index.html")
        // Without Leaflet the run still publishes (the viewer names what is missing) and warns with the fix.
        let viewerWarnings = try MapDocuments.copyLeaflet(into: folder) ? [] : [Leaflet.missingMessage()]
        let warnings = boundaries.warnings + input.warnings + locator.gazetteerWarnings + viewerWarnings

        let counted = cases.counted
        clock.lap("documents")
        let report = RunReport(inputRows: input.rowCount, located: located, rejected: rejected, counted: counted,
                               stats: stats, style: style, window: window, files: options.cases.map(\.relativePath),
                               tiles: tileCounts, timings: clock.laps + [("total", clock.total)], warnings: warnings,
                               geocode: outcome.geocode.report, addressWarnings: outcome.geocode.disagreements,
                               shard: shardName, database: database?.report, tileUpdates: tiles.updates)
        try folder.write(report.jsonText(), to: "report.json")
        try TestPoint.reached("publish")
        try folder.publish()
        try commitAfterPublish(writes)
        return RunSummary(inputRows: input.rowCount, located: located.count, rejected: rejected.count,
                          counted: counted, tiles: tileCounts.values.reduce(0, +), seconds: clock.total,
                          warnings: warnings, out: options.out)
    }

    /// THE seam between the published map and the case database: called right after the output folder
    /// is published, never before, so the database never gets ahead of the map a user sees. A run that
    /// fails before it leaves the database as it was (`RunTransaction` rolls back when released). A kill
    /// between publish and commit leaves the database one run behind the map; the next run's export
    /// stores those cases again.
    func commitAfterPublish(_ writes: RunTransaction?) throws {
        guard let writes else { return }
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

    /// Every level's zone statistics, the hotspots and the heat layer's renderer (its density field).
    /// They share nothing: one task each, all at once in one parallel loop (nested parallel loops
    /// would run their inner loops one by one).
    func scoreAndDraw(_ cases: MapCases, style: Style, window: Window, boundaries: Boundaries,
                      areas: [ZoneLevel: [String: Double]], previous: TileState?)
        throws -> (stats: [ZoneLevel: [ZoneStats]], hotspots: [Hotspot], heat: HeatmapRenderer) {
        let ramp = try TileJob.heatRamp(style)
        let scorer = Scorer(style: style, window: window)
        let repeats = scorer.repeatedAddresses(cases.scoring)
        let levels = ZoneLevel.allCases
        let scored = Slots<[ZoneStats]>(levels.count), found = Slots<[Hotspot]>(1), drawn = Slots<HeatmapRenderer>(1)
        let runOptions = options
        DispatchQueue.concurrentPerform(iterations: levels.count + 2) { task in
            switch task {
            case levels.count:
                found[0] = HotspotFinder(cellMetres: style.hotspots.cellMetres).find(cases.hotspots, top: style.hotspots.count)
            case levels.count + 1:
                drawn[0] = TileJob.heatRenderer(points: cases.heat, style: style, ramp: ramp, options: runOptions,
                                                 previous: previous)
            default:
                let level = levels[task]
                scored[task] = scorer.score(level: level, zones: boundaries.zones(level), cases: cases.scoring,
                                            categories: cases.table.resolved, areas: areas[level] ?? [:], repeats: repeats,
                                            previous: cases.previous.map { $0[level] ?? [:] })
            }
        }
        return (Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, scored[$0]!) }), found[0]!, drawn[0]!)
    }

    /// The published folder of the previous run: OUT, or what OUT/current names with `--keep` (followed
    /// once, when `PreviousTiles` opens it).
    var previousFolder: URL {
        options.keep == nil ? options.out : options.out.appendingPathComponent("current")
    }

    /// Everything every tile depends on at once: a difference from the previous run's means a full render.
    func tileFingerprint(style: Style, boundaryFiles: BoundaryFiles) -> String {
        ([TileState.version, "style:\(style.contentHash)", "crs:\(options.boundariesCRS)",
          "zoom:\(options.minZoom)-\(options.maxZoom)", "size:\(options.tileSize)", "shard:\(options.shard)"]
            + boundaryFiles.hashes).joined(separator: " ")
    }

    /// A shard's report says which part it drew, so that `merge` can check it has them all.
    var shardName: String? {
        options.shard.count == 1 ? nil : options.shard.description
    }

    /// Every cases file, with duplicate ids across and within files rejected (the first row stands).
    func readCases() throws -> CaseInput {
        var input = CaseInput()
        var seen: [String: (file: String, line: Int)] = [:]
        let bar = options.progress.bar("reading cases")
        defer { bar.finish() }
        for (done, url) in options.cases.enumerated() {
            bar.update(done, of: options.cases.count)
            let file = try CaseFileReader.read(url: url, displayName: url.relativePath, defaultCRS: options.casesCRS)
            input.rowCount += file.rowCount
            input.headers[url.relativePath] = file.header
            input.rejects += file.rejects
            for r in file.records {
                if let first = seen[r.id] {
                    input.rejects.append(RejectedRow(file: r.file, line: r.line, id: r.id, reason: .duplicateID,
                                                     detail: "id already used at \(first.file) line \(first.line)",
                                                     fields: r.fields))
                } else {
                    seen[r.id] = (r.file, r.line)
                    input.records.append(r)
                }
            }
        }
        return input
    }

    /// Stores this run's located cases (a case id seen before is replaced) and the zones. A case whose
    /// row is rejected this time (bar a repeated id within the run: its first row stands) loses its old
    /// record, as a full run on the latest export would not count it either.
    func save(_ located: [LocatedCase], removing rejected: [RejectedRow], to store: CaseStore, boundaries: Boundaries,
              areas: [ZoneLevel: [String: Double]], window: Window, style: Style) throws -> DatabaseUpdate {
        let gone = rejected.filter { $0.reason != .duplicateID && !$0.id.isEmpty }.map(\.id)
        let counts = try store.save(cases: located, removing: gone, zones: ZoneLevel.allCases.flatMap { level in
            boundaries.zones(level).map { ($0, areas[level]?[$0.id] ?? 0) }
        }, run: StoredRun(asOf: window.asOf, windowDays: window.days, boundaries: options.boundaries.path), style: style)
        return DatabaseUpdate(path: store.url.path, counts: counts)
    }

    /// When the stored cases were located with other boundaries (or another gazetteer), locates them
    /// again: by their point when their row had coordinates, else by their address. A case that falls
    /// in no zone now keeps its record but counts nowhere. Returns how many were located again, nil
    /// when nothing had to be done.
    func relocateStored(in store: CaseStore, locator: CaseLocator) throws -> Int? {
        guard let fingerprint = locator.locationFingerprint else { return nil }
        let recorded = try store.locatedWith()
        guard recorded != fingerprint else { return nil }
        if recorded == nil, try store.isEmpty() {
            try store.relocate([], fingerprint: fingerprint)
            return nil
        }
        let stored = try store.storedLocations()
        let byPoint = stored.filter { $0.method == .coordinates && $0.point != nil }
        var updates = zip(byPoint, try locator.zoneIDs(of: byPoint.map { $0.point! })).map { c, ids in
            CaseStore.Relocated(rowid: c.rowid, point: c.point, street: ids?.street, community: ids?.community, post: ids?.post)
        }
        let byAddress = stored.filter { !($0.method == .coordinates && $0.point != nil) }
        if let geocoder = locator.geocoder?.withHome(from: stored.map(\.address)) {
            for (c, r) in zip(byAddress, geocoder.geocodeAll(byAddress.map(\.address))) {
                updates.append(r.isLocated
                    ? CaseStore.Relocated(rowid: c.rowid, point: r.point, street: r.zones.street, community: r.zones.community, post: r.zones.post)
                    : CaseStore.Relocated(rowid: c.rowid, point: nil, street: nil, community: nil, post: nil))
            }
        }
        try store.relocate(updates, fingerprint: fingerprint)
        return updates.count
    }

    func zoneAreas(_ boundaries: Boundaries) -> [ZoneLevel: [String: Double]] {
        var areas: [ZoneLevel: [String: Double]] = [:]
        for level in ZoneLevel.allCases {
            areas[level] = Dictionary(boundaries.zones(level).map { ($0.id, geodesicArea($0.geometry) / 1e6) },
                                      uniquingKeysWith: { a, _ in a })
        }
        return areas
    }
}

/// What a run did to the case database, for report.json.
struct DatabaseUpdate {
    var path: String
    var counts: CaseStore.SaveCounts
    /// Stored cases located again because the boundaries or the gazetteer changed.
    var relocated: Int?
    var report: RunReport.Database {
        RunReport.Database(path: path, casesStored: counts.stored, casesAdded: counts.added, casesReplaced: counts.replaced,
                           casesRemoved: counts.removed, casesRelocated: relocated ?? 0)
    }
}

/// The case rows of all files of a run.
struct CaseInput {
    var records: [CaseRecord] = []
    var rejects: [RejectedRow] = []
    var rowCount = 0
    var headers: [String: [String]] = [:]
    var warnings: [String] = []
}

/// Wall-clock seconds per step.
struct StepClock {
    private let start = Date()
    private var last = Date()
    private(set) var laps: [(String, Double)] = []
    mutating func lap(_ name: String) {
        let now = Date()
        laps.append((name, now.timeIntervalSince(last)))
        last = now
    }
    var total: Double { Date().timeIntervalSince(start) }
    /// Adds sub-step timings measured elsewhere (they are part of the last lap, not added to the total).
    mutating func record(_ parts: [(String, Double)]) { laps += parts }
}

extension RunJob {
    /// Every zone layer within `maxTiles` (this shard's part of it), checked before anything is drawn or
    /// stored. The heat layer is drawn where the located cases are, inside the streets: the street
    /// layer's count bounds it too.
    func checkTileBudget(_ boundaries: Boundaries) throws {
        let tileOptions = TileOptions(minZoom: options.minZoom, maxZoom: options.maxZoom, tileSize: options.tileSize)
        for level in ZoneLevel.allCases {
            let zones = boundaries.zones(level)
            let budget = TileBudget(boxes: zones.map(\.geometry.boundingBox), options: tileOptions)
            let tiles = budget.tiles / Double(options.shard.count)
            guard tiles > Double(options.maxTiles) else { continue }
            var message = "the \(level.rawValue) layer would draw up to \(Self.count(tiles)) tiles at zoom "
                + "\(options.minZoom)...\(options.maxZoom)\(options.shard.count > 1 ? " in shard \(options.shard)" : ""), "
                + "more than the limit of \(options.maxTiles) per layer"
            if let (i, alone) = budget.largest {
                message += "; \(level.rawValue) '\(zones[i].id)' alone covers \(Self.count(alone))"
            }
            throw InputError(file: options.boundaries.appendingPathComponent(level.fileName).path,
                             message + " (lower --max-zoom, split the run with --shard, or raise --max-tiles)")
        }
    }

    static func count(_ n: Double) -> String { n < 1e15 ? String(Int64(n)) : String(format: "%.3g", n) }
}

/// Checks that `out` (and the archive paths) may be written, takes the output's lock — waiting, and
/// saying so, while another run writes it — and opens the staging folder, which recovers what a
/// killed run left. Used by `run` and `merge`.
func claimOutput(_ out: URL, history: (day: String, keep: Int)?, archives: (mbtiles: URL?, pmtiles: URL?),
                 force: Bool, marked: Bool = true) throws -> (RunLock, OutputFolder) {
    try OutputFolder.check(destination: out, history: history, force: force)
    try ArchiveJob.checkPaths(mbtiles: archives.mbtiles, pmtiles: archives.pmtiles, force: force)
    try FileManager.default.createDirectory(at: out.standardizedFileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    let lock = try RunLock(lockFile: OutputFolder.lockFile(for: out), guarding: "the output folder \(out.path)",
                           waiting: sayWaiting)
    return (lock, try OutputFolder(destination: out, history: history, force: force, marked: marked))
}

/// A lock's message that the run waits for another.
func sayWaiting(_ message: String) {
    FileHandle.standardError.write(Data("riskmap: \(message)\n".utf8))
}
