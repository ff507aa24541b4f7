import Foundation
import Geometry
import Input
import Location
import Model
import Output
import Publishing
import Risk
import Store
import Support
import Tiles

/// The daily job: boundaries and cases in; zone statistics, GeoJSON, tiles, viewer and report out.
///
/// A pipeline of typed stages (`Stages/`), each timed under its name in report.json:
/// read boundaries → read cases → locate → [store, with `--db`] → write cases → read tile state →
/// collect the map's cases (this run's, giving up the located cases a chunk at a time as the map's and
/// the repeat finder's cases are made of them, then the repeats found; or the database's window with
/// `--db`) → score → draw tiles (zones, rejects and hotspots written beside them) → archives and
/// documents → publish (`PublishRun`). A shard (`--shard K/N`) runs the same stages; only the tile
/// stage draws a part of the pyramid. With `--db`, `repeats.csv` is found beside them, from the stored
/// cases on (`WriteRepeats`).
public struct RunJob {
    public var options: RunOptions
    public init(options: RunOptions) { self.options = options }

    public func run() throws -> RunSummary {
        var clock = StageClock()
        let style = try Style.load(options.style)
        let basemap = options.basemap(style: style)
        let published = options.published(basemap: basemap)
        let window = Window(asOf: options.asOf ?? Day.today(), days: options.window ?? style.windowDays)
        var settings = options.tileSettings(published)
        settings.asOf = window.asOf.description
        // An empty, foreign (not riskmap's) or non-SQLite --db stops the run before anything is touched.
        try options.db.map { try CaseStore.checkHeader($0.path) }
        // One writer per output folder, then one run per database (see RunLock), always in this order;
        // both held until this function returns. The output is checked first: a path riskmap may not
        // replace stops the run before the database is opened.
        let (outputLock, folder) = try claimOutput(options.out, history: options.keep.map { (day: window.asOf.description, keep: $0) },
                                                   archives: (options.mbtiles, options.pmtiles), force: options.force,
                                                   pyramids: published)
        let databaseLock = try options.db.map { try RunLock(database: $0, waiting: sayWaiting) }
        defer { withExtendedLifetime((outputLock, databaseLock)) {} }
        // A damaged database stops the run before the heavy work: its pages are checked (quick_check,
        // read-only) while the input is read; the store is opened, and written, only after that.
        let integrity = options.db.map { url in BackgroundTask { try CaseStore.verifyIntegrity(at: url) } }

        let boundaries = try clock.run(ReadBoundaries(options: options, gridCellMetres: style.gridCellMetres,
                                                        styleFile: style.file), ())
        // The zones are indexed and the geocoder made (the gazetteer read) on a thread of their own while
        // the cases are read: 0.05 s of the demo's run, on a core the reading leaves idle. Its errors
        // count after the reading's, as when it ran after it.
        let boundaryFiles = BoundaryFiles(folder: options.boundaries)
        nonisolated(unsafe) let job = self
        let locating = BackgroundValue { try job.makeLocator(boundaries) }
        defer { _ = try? locating.value() }
        let input = try clock.run(ReadCases(options: options), ())
        Memory.returnFreePages()
        if let damage = integrity?.wait() { throw damage }
        let database = try RunDatabase(options.db)
        defer { database?.discardIfUncommitted() }

        var locator = try locating.value()
        // With `--db`, the database's geocode cache.
        locator.geocodeCache = database.map { GeocodeCache(store: $0.store, boundaryFiles: boundaryFiles, crs: options.boundariesCRS) }
        let located = try clock.run(LocateCases(locator: locator, files: options.cases), input)
        Memory.returnFreePages()
        let areas = ZoneAreas(boundaries)
        let update = try database.map { db in
            try clock.run(StoreCases(store: db.store, locator: locator, boundaries: boundaries, areas: areas, window: window,
                                     style: style, boundariesFolder: options.boundaries), located)
        }
        try TestPoint.reached("after_database")
        // With `--db` the repeat finder runs on a thread of its own, from the stored cases; without, it
        // runs once its cases are made (with the map's, below).
        var repeats = database.map { WriteRepeats(style: style, window: window, store: $0.store) }
        defer { repeats?.finish() }
        try clock.run(WriteCases(folder: folder, window: window, points: options.casePoints), located)
        // The map's bounds per pyramid: the TileJSON's, and every archive's.
        settings.bounds = Dictionary(uniqueKeysWithValues: settings.pyramids.map { ($0, Self.bounds(boundaries, in: $0)) })
        let fingerprint = tileFingerprint(style: style, boundaryFiles: boundaryFiles, pyramids: settings.pyramids)
        let previous = try clock.run(ReadTileState(folder: options.previousFolder, fingerprint: fingerprint), ())
        var cases: MapCases?
        if let database {
            cases = try clock.run(CollectStoredCases(store: database.store, window: window, style: style, grid: boundaries.grid), ())
            // Everything made of the located cases is made (the report keeps `located.counts`): let them
            // go before the map is scored and drawn.
            _ = located.held.take()
        } else {
            // The located cases are given up as the map's and the repeat finder's cases are made; the
            // repeats are found at once, and their cases let go, before the map is scored.
            let (map, input) = try clock.run(CollectRunCases(window: window, style: style, grid: boundaries.grid), located)
            cases = map
            repeats = try WriteRepeats(style: style, window: window, finding: input)
        }
        Memory.returnFreePages()
        let map = try clock.run(ScoreZones(style: style, window: window, boundaries: boundaries, areas: areas,
                                           tiles: settings, previous: previous.usable?.state, history: database?.store), cases!)
        // Scored: what the tiles and documents need is in the map.
        let counted = cases!.counted
        cases = nil

        // The documents are written on a thread of their own while the tiles draw (the drawing leaves a
        // core idle now and then: between layers, at each layer's end). Both only read the map and the
        // rejects, and write different files of the folder; each is timed on its own clock. (cases.geojson
        // was written before the map's cases were collected: the located cases are gone by now.)
        nonisolated(unsafe) let shared = (folder: folder, located: located, map: map, headers: input.headers)
        let documents = BackgroundValue { [style] in
            var own = StageClock()
            try own.run(WriteZones(folder: shared.folder, style: style, published: published), shared.map)
            try own.run(WriteRejects(folder: shared.folder, headers: shared.headers), shared.located)
            try own.run(WriteHotspots(folder: shared.folder), shared.map)
            return own.laps
        }
        // A failed drawing waits for the documents too: nothing may write into the folder once it is gone.
        defer { _ = try? documents.value() }
        let tiles = try clock.run(DrawTiles(folder: folder, settings: settings, style: style,
                                            fingerprint: fingerprint, previous: previous), map)
        clock.record(try documents.value())
        clock.record(tiles.seconds.map { ("tiles_\($0.0)", $0.1) })
        let viewerWarnings = try clock.run(WriteMapDocuments(folder: folder, options: options, style: style, bounds: settings.bounds,
                                                             basemap: basemap), tiles)

        clock.record([("repeats", try repeats?.write(into: folder) ?? 0)])
        let outcome = RunOutcome(input: input, located: located, counted: counted, map: map, tiles: tiles, database: update,
                                 warnings: boundaries.warnings + input.warnings + locator.gazetteerWarnings + map.warnings + viewerWarnings,
                                 published: published)
        return try PublishRun(options: options, folder: folder, style: style, window: window, database: database)
            .run((outcome, clock))
    }

    /// The run's locator: the zones indexed once, the geocoder over them and the gazetteer.
    func makeLocator(_ boundaries: Boundaries) throws -> CaseLocator {
        var locator = CaseLocator(index: ZoneIndex(boundaries: boundaries), defaultCRS: options.casesCRS)
        locator.progress = options.progress
        try locator.enableGeocoding()
        return locator
    }

    /// Everything every tile depends on at once: a difference from the previous run's means a full render.
    /// The pyramids beside WGS-84 count too: a run that adds one has no previous tiles of it to keep.
    func tileFingerprint(style: Style, boundaryFiles: BoundaryFiles, pyramids: [PublishedCRS]) -> String {
        ([TileState.version, "style:\(style.contentHash)", "crs:\(options.boundariesCRS)",
          "zoom:\(options.minZoom)-\(options.maxZoom)", "size:\(options.tileSize)", "shard:\(options.shard)", "tiles:\(options.tiles)"]
            + pyramids.filter { $0 != .wgs84 }.map { "pyramid:\($0.rawValue)" }
            + boundaryFiles.hashes).joined(separator: " ")
    }

    /// The map's extent in a published coordinate system: the box of the streets' shapes there.
    static func bounds(_ boundaries: Boundaries, in crs: PublishedCRS) -> BoundingBox {
        boundaries.zones(.street).compactMap { crs.fromWGS84($0.geometry).boundingBox }.reduce(nil) { $0?.union($1) ?? $1 }
            ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
    }
}

/// The case database of a `--db` run: the store, and the run's one transaction, committed only after
/// the publish (`PublishRun`). A database this run created is taken away again when the run fails.
final class RunDatabase {
    let store: CaseStore
    let writes: RunTransaction
    /// The path, when this run created the file.
    private let created: URL?

    /// nil without `--db`. Only an absent path makes a new database.
    init?(_ url: URL?) throws {
        guard let url else { return nil }
        created = FileManager.default.fileExists(atPath: url.path) ? nil : url
        store = try CaseStore(url: url, create: true)
        writes = try store.beginRun()
    }

    func discardIfUncommitted() {
        guard let created, !writes.isCommitted else { return }
        writes.rollback()
        CaseStore.discardNew(created)
    }
}
