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
    public var style: URL
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
    public init(boundaries: URL, cases: [URL], out: URL, style: URL) {
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
        let style = try Style(url: options.style)
        // One run per database at a time (see RunLock); held until this function returns.
        let lock = try options.db.map { try RunLock(database: $0) { message in
            FileHandle.standardError.write(Data("riskmap: \(message)\n".utf8))
        } }
        defer { withExtendedLifetime(lock) {} }
        // Opened first: a damaged database stops the run before the heavy work.
        let store = try options.db.map { try CaseStore(url: $0, create: true) }
        let boundaries = try BoundaryReader(folder: options.boundaries, defaultCRS: options.boundariesCRS).read()
        clock.lap("read_boundaries")

        let input = try readCases()
        clock.lap("read_cases")
        var locator = CaseLocator(boundaries: boundaries, defaultCRS: options.casesCRS)
        try locator.enableGeocoding()
        locator.geocodeCache = store.map { GeocodeCache(store: $0, boundaries: options.boundaries, crs: options.boundariesCRS) }
        let outcome = try locator.locateAll(input.records)
        var (located, rejected) = (outcome.located, outcome.rejected)
        rejected += input.rejects
        located.sort { ($0.record.file, $0.record.line) < ($1.record.file, $1.record.line) }
        clock.lap("locate")

        let window = Window(asOf: options.asOf ?? Day.today(), days: options.window ?? style.windowDays)
        let areas = zoneAreas(boundaries)
        let stats = Scorer(style: style, window: window).score(cases: located, boundaries: boundaries, areas: areas)
        clock.lap("score")
        try store?.save(cases: located, zones: ZoneLevel.allCases.flatMap { level in
            boundaries.zones(level).map { ($0, areas[level]?[$0.id] ?? 0) }
        }, run: StoredRun(asOf: window.asOf, windowDays: window.days, boundaries: options.boundaries.path), style: style)
        clock.lap("database")

        let folder = try OutputFolder(destination: options.out,
                                      history: options.keep.map { (day: window.asOf.description, keep: $0) })
        for level in ZoneLevel.allCases {
            try folder.write(GeoJSONWriter.zones(stats[level]!, style: style), to: level.fileName)
        }
        clock.lap("write_zones")
        try folder.write(GeoJSONWriter.cases(located, window: window, warnings: outcome.warnings), to: "cases.geojson")
        clock.lap("write_cases")
        try folder.write(RejectsWriter.csv(rejected, headers: input.headers), to: "rejects.csv")
        clock.lap("write_rejects")
        try folder.write(GeoJSONWriter.hotspots(hotspots(located, window: window, style: style)), to: "hotspots.geojson")
        clock.lap("hotspots")

        let tiles = try TileJob(options: options, style: style, stats: stats, located: located, window: window,
                                fingerprint: try tileFingerprint(style: style), previousFolder: previousFolder)
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
        try MapDocuments.copyLeaflet(into: folder)

        let counted = located.filter { window.contains($0.record.day) }.count
        clock.lap("documents")
        let report = Report(inputRows: input.rowCount, located: located, rejected: rejected, counted: counted,
                            stats: stats, style: style, window: window, files: options.cases.map(\.relativePath),
                            tiles: tileCounts, timings: clock.laps + [("total", clock.total)],
                            warnings: boundaries.warnings + input.warnings + locator.gazetteerWarnings,
                            extra: outcome.geocode.reportFields.merging(shardField) { _, b in b }
                                .merging(tiles.reportFields) { _, b in b })
        try folder.write(report.json(), to: "report.json")
        try folder.publish()
        return RunSummary(inputRows: input.rowCount, located: located.count, rejected: rejected.count,
                          counted: counted, tiles: tileCounts.values.reduce(0, +), seconds: clock.total,
                          warnings: boundaries.warnings + input.warnings + locator.gazetteerWarnings, out: options.out)
    }

    /// The published folder of the previous run: OUT, or what OUT/current names with `--keep`.
    var previousFolder: URL {
        options.keep == nil ? options.out : options.out.appendingPathComponent("current").resolvingSymlinksInPath()
    }

    /// Everything every tile depends on at once: a difference from the previous run's means a full render.
    func tileFingerprint(style: Style) throws -> String {
        var parts = [TileState.version, "style:\(style.contentHash)", "crs:\(options.boundariesCRS)",
                     "zoom:\(options.minZoom)-\(options.maxZoom)", "size:\(options.tileSize)", "shard:\(options.shard)"]
        for name in ["streets.geojson", "communities.geojson", "posts.geojson"] {
            let data = (try? Data(contentsOf: options.boundaries.appendingPathComponent(name))) ?? Data()
            parts.append("\(name):\(fnv1a64Hex(data))")
        }
        return parts.joined(separator: " ")
    }

    /// A shard's report says which part it drew, so that `merge` can check it has them all.
    var shardField: [String: Any] {
        options.shard.count == 1 ? [:] : ["shard": options.shard.description]
    }

    /// Every cases file, with duplicate ids across and within files rejected (the first row stands).
    func readCases() throws -> CaseInput {
        var input = CaseInput()
        var seen: [String: (file: String, line: Int)] = [:]
        for url in options.cases {
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

    /// The density peaks of the located cases with a point in the window.
    func hotspots(_ located: [LocatedCase], window: Window, style: Style) -> [Hotspot] {
        let cases = located.compactMap { c -> HotspotCase? in
            guard let p = c.point, window.contains(c.record.day) else { return nil }
            return HotspotCase(point: p, zones: ZoneLevel.allCases.reduce(into: [:]) { $0[$1] = c.zone($1) })
        }
        return HotspotFinder(cellMetres: style.hotspots.cellMetres).find(cases, top: style.hotspots.count)
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
