import Foundation
import Synchronization
import Support
import Geometry
import Model
import Output
import Rendering
import Risk
import Archives

/// What the tiles of a run are: zooms, tile size, the shard, where they go.
public struct TileSettings: Sendable {
    public var minZoom: Int
    public var maxZoom: Int
    public var tileSize: Int
    /// `--shard K/N`: draw only this part of every layer.
    public var shard: TileShard
    /// `--tiles`: files in folders, or one archive per layer in the output folder.
    public var output: TileOutput = .folder
    /// `--mbtiles FILE`, `--pmtiles FILE`: archives outside the output folder too (`LayerArchives.url`).
    public var mbtiles: URL?
    public var pmtiles: URL?
    /// The map's bounds per pyramid and its day, which every archive records (`LayerArchives.info`).
    public var bounds: [PublishedCRS: BoundingBox] = [:]
    public var asOf = ""
    public var progress: ProgressSink
    /// The pyramids drawn: WGS-84 (`tiles/`) first, then those `--publish-crs` adds (`tiles-gcj02/`).
    public var pyramids: [PublishedCRS]
    public init(minZoom: Int, maxZoom: Int, tileSize: Int, shard: TileShard = .whole,
                progress: ProgressSink = .silent, pyramids: [PublishedCRS] = [.wgs84]) {
        self.minZoom = minZoom; self.maxZoom = maxZoom; self.tileSize = tileSize; self.shard = shard
        self.progress = progress; self.pyramids = pyramids
    }
    public var tileOptions: TileOptions { TileOptions(minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize) }

    /// What the archive of `layer` in `crs`'s pyramid says about itself.
    func archiveInfo(_ layer: String, crs: PublishedCRS) -> TileSetInfo {
        LayerArchives.info(layer, crs: crs, bounds: bounds[crs] ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0),
                           minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize, asOf: asOf)
    }
}

/// Renders the tile layers (`tiles/{heat,street,community,post}/{z}/{x}/{y}.png`, or with `--tiles
/// pmtiles|mbtiles` one archive per layer, `tiles/{heat,…}.pmtiles`) into the output folder, and into
/// the archives `--mbtiles`/`--pmtiles` name (put in place by `PendingArchives.commit`).
public struct TileJob {
    public var options: TileSettings
    public var style: Style
    var stats: [ZoneLevel: [ZoneStats]]
    /// The heat layer's renderer (see `TileJob.heatRenderer`), built by the caller while it scores.
    var heat: HeatmapRenderer
    /// What every tile depends on at once (see `TileState`).
    var fingerprint: String
    /// The previous run's tiles, kept where nothing changed.
    var previous: PreviousTiles

    public init(options: TileSettings, style: Style, stats: [ZoneLevel: [ZoneStats]], heat: HeatmapRenderer,
                fingerprint: String, previous: PreviousTiles) {
        self.options = options; self.style = style; self.stats = stats; self.heat = heat
        self.fingerprint = fingerprint; self.previous = previous
    }

    /// What the layers of one pyramid produced.
    public struct Pyramid {
        /// Tiles per layer (files, or tiles the layer's archive addresses).
        public var counts: [String: Int] = [:]
        /// Per layer: tiles drawn by this run, kept from the previous one, and deleted (drawn before,
        /// empty now).
        public var rendered: [String: Int] = [:], kept: [String: Int] = [:], deleted: [String: Int] = [:]
    }

    /// What the layers produced.
    public struct Result {
        /// Per pyramid drawn (`TileSettings.pyramids`).
        public var pyramids: [PublishedCRS: Pyramid] = [:]
        /// Wall seconds per layer, in rendering order (`heat`, ..., then `gcj02_heat`, ...).
        public var seconds: [(String, Double)] = []
        /// "incremental", or "full" with the reason, for report.json.
        public var mode = "full"
        public var state: TileState?
        /// The archives `--mbtiles`/`--pmtiles` name, complete but for being written to their files.
        public var archives = PendingArchives()

        /// The WGS-84 pyramid's (`tiles/`).
        public var counts: [String: Int] { pyramids[.wgs84]?.counts ?? [:] }
        /// Tiles of every pyramid.
        public var total: Int { pyramids.values.map { $0.counts.values.reduce(0, +) }.reduce(0, +) }

        public var updates: RunReport.TileUpdates {
            let wgs = pyramids[.wgs84] ?? Pyramid()
            var u = RunReport.TileUpdates(mode: mode, rendered: wgs.rendered, kept: wgs.kept, deleted: wgs.deleted)
            if let gcj = pyramids[.gcj02] {
                u.gcj02 = RunReport.PyramidUpdates(rendered: gcj.rendered, kept: gcj.kept, deleted: gcj.deleted)
            }
            return u
        }
    }

    var tileOptions: TileOptions { options.tileOptions }

    /// `--shard K/N`: this run draws only its part of every layer's tiles; nil for the whole pyramid.
    var shardFilter: ((TileID) -> Bool)? {
        let shard = options.shard
        return shard.count == 1 ? nil : { shard.contains($0) }
    }

    public func render(into folder: OutputFolder) throws -> Result {
        var result = Result()
        result.mode = previous.mode
        var fills: [String: [String]] = [:]
        for crs in options.pyramids where crs.hasTiles {
            result.pyramids[crs] = try renderPyramid(crs, into: folder, fills: &fills, seconds: &result.seconds,
                                                     archives: result.archives)
        }
        // One state for every pyramid: they are drawn from the same fills, points and density.
        result.state = TileState(fingerprint: fingerprint, fills: fills, heat: heat.points, density: heat.field.fixed)
        return result
    }

    /// The four layers of one pyramid, under its folder (`tiles/`, `tiles-gcj02/`). A shifted pyramid
    /// draws the zones' shifted shapes and reads the heat layer's density at the WGS-84 point under
    /// each pixel (`DatumShift`); its tiles change where the WGS-84 pyramid's do, shifted.
    private func renderPyramid(_ crs: PublishedCRS, into folder: OutputFolder, fills: inout [String: [String]],
                               seconds: inout [(String, Double)], archives: PendingArchives) throws -> Pyramid {
        var pyramid = Pyramid()
        let usable = previous.usable
        let shift = crs == .wgs84 ? nil : DatumShift(crs)
        let points = heat.points
        let heatDirty = usable.map { previous -> Set<TileID> in
            let changed = changedPoints(previous.1.heat, points)
            return heatTiles(around: shift.map { s in changed.map { $0.moved(by: s) } } ?? changed,
                             bandwidthMetres: style.heatmap.bandwidthMetres, sampleLevel: heat.field.sampleLevel,
                             options: tileOptions, extraPixels: shift == nil ? 0 : 2)
        }
        let place = PyramidLayers(crs: crs, base: usable?.0, archives: archives)
        try layer("heat", place, into: folder, dirty: heatDirty, pyramid: &pyramid, seconds: &seconds) {
            including, _, onTile, progress in
            if let shift {
                try heat.render(shiftedBy: shift, including: including, onTile: onTile, progress: progress)
            } else {
                try heat.render(including: including, onTile: onTile, progress: progress)
            }
        }
        for level in ZoneLevel.mapLevels where stats[level] != nil {
            let (renderer, colours) = try choroplethRenderer(level, crs: crs)
            fills[level.rawValue] = colours
            let dirty = usable.map { renderer.tiles(drawing: changedZones($0.1.fills[level.rawValue], colours)) }
            try layer(level.rawValue, place, into: folder, dirty: dirty, pyramid: &pyramid, seconds: &seconds) {
                including, reaching, onTile, progress in
                try renderer.render(including: including, reaching: reaching, onTile: onTile, progress: progress)
            }
        }
        for (name, level, colour) in significanceLayers {
            let (renderer, colours) = try classRenderer(level, crs: crs, colour: colour)
            fills[name] = colours
            let dirty = usable.map { renderer.tiles(drawing: changedZones($0.1.fills[name], colours)) }
            try layer(name, place, into: folder, dirty: dirty, pyramid: &pyramid, seconds: &seconds) {
                including, reaching, onTile, progress in
                try renderer.render(including: including, reaching: reaching, onTile: onTile, progress: progress)
            }
        }
        return pyramid
    }

    /// The significance layers the style asks for (`[gi] tiles`, `[emerging] tiles`), over the finest
    /// level the map has (the grid, else the posts, …): `hotspots`, each zone in its Gi* class's colour,
    /// and with a history `emerging`, in its category's. Zones without a class or pattern are not drawn.
    var significanceLayers: [(name: String, level: ZoneLevel, colour: (ZoneStats) -> String?)] {
        guard let finest = ZoneLevel.mapLevels.reversed().first(where: { stats[$0]?.isEmpty == false }),
              let zones = stats[finest] else { return [] }
        var out: [(name: String, level: ZoneLevel, colour: (ZoneStats) -> String?)] = []
        if style.gi.tiles, zones.contains(where: { $0.gi != nil }) {
            out.append((MapDocuments.hotspotsLayer, finest, { $0.gi?.giClass.colour }))
        }
        if style.emerging.tiles, zones.contains(where: { $0.emerging != nil }) {
            out.append((MapDocuments.emergingLayer, finest, { $0.emerging?.colour }))
        }
        return out
    }

    /// A renderer of `level`'s zones filled by `colour` (at the style's fill opacity, outlined in a
    /// darker shade of the same colour); zones without a colour are left transparent.
    func classRenderer(_ level: ZoneLevel, crs: PublishedCRS, colour: (ZoneStats) -> String?) throws -> (ChoroplethRenderer, [String]) {
        let alpha = UInt8((style.fillOpacity * 255).rounded())
        let clear = RGBA8(r: 0, g: 0, b: 0, a: 0)
        let features = (stats[level] ?? []).filter { !$0.zone.geometry.isEmpty }.map { s -> ChoroplethFeature in
            guard let hex = colour(s), let c = RGBA8(hex: hex) else {
                return ChoroplethFeature(geometry: crs.fromWGS84(s.zone.geometry), fill: clear, stroke: clear)
            }
            let edge = RGBA8(r: c.r / 4 * 3, g: c.g / 4 * 3, b: c.b / 4 * 3)
            return ChoroplethFeature(geometry: crs.fromWGS84(s.zone.geometry), fill: c.withAlpha(alpha), stroke: edge)
        }
        return (ChoroplethRenderer(features: features, options: tileOptions), features.map(\.fill.hexString))
    }

    /// Indices of the zones whose colour differs from the previous run's (all when the count differs).
    func changedZones(_ old: [String]?, _ new: [String]) -> Set<Int> {
        guard let old, old.count == new.count else { return Set(new.indices) }
        return Set(new.indices.filter { old[$0] != new[$0] })
    }

    /// The renderer of the heat layer for `points` (in canonical order, see `MapCases`): building it
    /// computes the density field, the layer's heaviest step — from the previous run's field when
    /// there is one to build on.
    public static func heatRenderer(points: [HeatPoint], style: Style, ramp: HeatRamp, options: TileSettings,
                                    previous: TileState?) -> HeatmapRenderer {
        let heat = style.heatmap
        return HeatmapRenderer(points: points, bandwidthMetres: heat.bandwidthMetres, ramp: ramp,
                               options: options.tileOptions, updating: previous.map { ($0.heat, $0.density) })
    }

    /// The heat layer's colour ramp from the style's `[heatmap]`.
    public static func heatRamp(_ style: Style) throws -> HeatRamp {
        let heat = style.heatmap
        let colours = try heat.colors.map { try colour($0, style: style, key: "heatmap.colors") }
        return HeatRamp(breakpoints: heat.breakpoints, colors: colours, steps: heat.steps, opacity: heat.opacity)
    }

    /// A style colour. The style reader admits only `#RRGGBB`; this keeps a slip there an error, not a trap.
    static func colour(_ hex: String, style: Style, key: String) throws -> RGBA8 {
        guard let c = RGBA8(hex: hex) else {
            throw InputError(file: style.file, location: "key '\(key)'", "'\(hex)' is not a colour \"#RRGGBB\"")
        }
        return c
    }

    /// The renderer of a zone layer (the zones' shapes in `crs`) and the fill colour of each of its
    /// zones (for the tile state).
    func choroplethRenderer(_ level: ZoneLevel, crs: PublishedCRS = .wgs84) throws -> (ChoroplethRenderer, [String]) {
        let alpha = UInt8((style.fillOpacity * 255).rounded())   // the style admits 0...1 only
        let outline = try Self.colour(style.outline, style: style, key: "colors.outline")
        var fills: [RiskLevel: RGBA8] = [:]
        for (risk, hex) in style.colors { fills[risk] = try Self.colour(hex, style: style, key: "colors.\(risk.rawValue)") }
        let zones = (stats[level] ?? []).filter { !$0.zone.geometry.isEmpty }
        let features = zones.map { s -> ChoroplethFeature in
            ChoroplethFeature(geometry: crs.fromWGS84(s.zone.geometry), fill: (fills[s.level] ?? outline).withAlpha(alpha), stroke: outline)
        }
        return (ChoroplethRenderer(features: features, options: tileOptions), features.map(\.fill.hexString))
    }

    /// Draws a layer: `including` picks the tiles wanted (nil: all), `reaching` says whether any lies at
    /// or under a tile (nil: maybe), so that a walk down the pyramid can skip what holds none.
    typealias Render = (_ including: ((TileID) -> Bool)?, _ reaching: ((TileID) -> Bool)?,
                        _ onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                        _ progress: @escaping @Sendable (Int, Int) -> Void) throws -> Void

    /// Where a pyramid's layers go (`tiles`, `tiles-gcj02`), the previous run's folder they build on,
    /// the prefix of their timings in report.json (`heat`, `gcj02_heat`), and the run's pending
    /// outside archives.
    struct PyramidLayers {
        var crs: PublishedCRS
        var folder: String
        var timingPrefix: String
        var base: URL?
        var archives: PendingArchives

        init(crs: PublishedCRS, base: URL?, archives: PendingArchives) {
            self.crs = crs
            folder = crs.tilesFolder
            timingPrefix = crs == .wgs84 ? "" : "\(crs.rawValue)_"
            self.base = base
            self.archives = archives
        }
    }

    /// Renders one layer on all cores with a progress bar into its targets (`TileSink`). With a
    /// previous folder and the `dirty` tiles, every other tile of the previous run is kept (a hard link,
    /// or its bytes from the previous archive) and only the dirty ones are drawn.
    private func layer(_ name: String, _ place: PyramidLayers, into folder: OutputFolder, dirty: Set<TileID>?,
                       pyramid: inout Pyramid, seconds: inout [(String, Double)], _ render: Render) throws {
        let start = Date()
        let sink = try TileSink(layer: name, place: place, folder: folder, options: options, incremental: dirty != nil && place.base != nil)
        var including = shardFilter
        var reaching: ((TileID) -> Bool)?
        var before = Set<TileID>()
        if let base = place.base, let dirty {
            before = try keepTiles(from: base, layer: name, place: place, dirty: dirty, sink: sink)
            pyramid.kept[name] = sink.count
            including = { [shardFilter] id in dirty.contains(id) && (shardFilter?(id) ?? true) }
            let under = Self.ancestors(of: dirty, from: options.minZoom)
            reaching = { under.contains($0) }
        }
        let bar = options.progress.bar("\(place.folder) \(name)")
        try render(including, reaching, { tile, png in try sink.put(tile, png, rendered: true) },
                   { done, total in bar.update(done, of: total) })
        bar.finish()
        try sink.finish(info: options.archiveInfo(name, crs: place.crs))
        pyramid.rendered[name] = sink.rendered
        pyramid.kept[name] = pyramid.kept[name] ?? 0
        pyramid.deleted[name] = before.subtracting(sink.renderedIDs).count
        pyramid.counts[name] = sink.count
        seconds.append((place.timingPrefix + name, Date().timeIntervalSince(start)))
    }

    /// Every tile that is or contains one of `tiles`, down from `zoom`.
    static func ancestors(of tiles: Set<TileID>, from zoom: Int) -> Set<TileID> {
        var all = Set<TileID>()
        for t in tiles {
            var id: TileID? = t
            while let current = id, current.z >= zoom, all.insert(current).inserted { id = current.parent }
        }
        return all
    }

    /// Keeps every tile of the previous run's layer that is not dirty — from its folder (hard links)
    /// or its archive (the bytes, rewritten into the new one); returns the dirty tiles that existed
    /// there (deleted unless drawn again).
    private func keepTiles(from base: URL, layer name: String, place: PyramidLayers, dirty: Set<TileID>,
                           sink: TileSink) throws -> Set<TileID> {
        var before = Set<TileID>()
        if case .archive(let kind) = options.output {
            let url = base.appendingPathComponent(LayerArchives.inFolder(name, crs: place.crs, kind: kind))
            guard FileManager.default.fileExists(atPath: url.path) else { return before }
            try openTileArchive(url).forEachTile { id, png in
                if dirty.contains(id) { before.insert(id) } else { try sink.put(id, png, rendered: false) }
            }
            return before
        }
        let from = base.appendingPathComponent("\(place.folder)/\(name)")
        guard let walker = FileManager.default.enumerator(atPath: from.path) else { return before }
        while let relative = walker.nextObject() as? String {
            let parts = relative.dropLast(4).split(separator: "/").compactMap { Int($0) }
            guard relative.hasSuffix(".png"), parts.count == 3 else { continue }
            let id = TileID(z: parts[0], x: parts[1], y: parts[2])
            if dirty.contains(id) { before.insert(id); continue }
            try sink.keep(id, file: from.appendingPathComponent(relative))
        }
        return before
    }
}

/// The previous run's published folder and its tile state, and whether this run can build on them.
///
/// The folder is opened once and then read only through that descriptor (`/proc/self/fd/N`): the
/// tiles kept are those of the very folder whose state was read, even if its path (`--out`, or what
/// `current` names) came to name another folder meanwhile. And the state counts only when the
/// folder's `.riskmap-output` marker records its digest, i.e. it is the state that folder was
/// published with.
public final class PreviousTiles {
    /// The folder and its state when the state's fingerprint is this run's: only changed tiles are drawn.
    public let usable: (folder: URL, state: TileState)?
    /// "incremental", or "full" with the reason, for report.json.
    public let mode: String
    private let descriptor: Int32

    public init(folder: URL, fingerprint: String) {
        descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let pinned = descriptor >= 0 ? Self.path(of: descriptor, else: folder) : folder
        let data = descriptor >= 0
            ? try? Data(contentsOf: pinned.appendingPathComponent(TileState.fileName), options: .alwaysMapped) : nil
        let state = data.flatMap(TileState.init(data:))
        let published = data != nil && OutputMarker.read(pinned)?.tileState == data.map(OutputMarker.digest)
        usable = state.flatMap { $0.fingerprint == fingerprint && published ? (pinned, $0) : nil }
        mode = usable != nil ? "incremental" : state == nil ? "full (no previous tile state)"
            : !published ? "full (the previous tile state is not the one its folder was published with)"
            : "full (style, boundaries, zooms, tile size or shard changed)"
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// A path that names the folder open at `descriptor` whatever becomes of its own path.
    private static func path(of descriptor: Int32, else folder: URL) -> URL {
        #if os(Linux)
        URL(fileURLWithPath: "/proc/self/fd/\(descriptor)", isDirectory: true)
        #else
        folder
        #endif
    }
}

/// One layer's targets, fed by the workers from several threads at once: the files
/// `{tiles folder}/{layer}/{z}/{x}/{y}.png` (with `--tiles folder`), the layer's archive in the output
/// folder (`--tiles pmtiles|mbtiles`, finished when the layer is), and the outside archives of
/// `--mbtiles`/`--pmtiles` (handed to `PendingArchives`). Archives stream: each tile goes to a spool
/// as it comes, nothing is held until the end.
final class TileSink: Sendable {
    /// The layer's folder's path, with folder output. Tile paths are built as strings: Foundation's
    /// `URL.appendingPathComponent` cost as much per tile as creating the file's directory entry.
    private let root: String?
    /// The archive in the output folder, with archive output.
    private let inside: (builder: any TileArchiveBuilder, url: URL)?
    private let outside: [(builder: any TileArchiveBuilder, url: URL)]
    private let pending: PendingArchives
    private let tracksDrawn: Bool
    /// Flushes the layer's archive to disk as soon as it is complete. Not the tile files: flushing
    /// them while the tiles draw made the demo's folder run slower on a quiet machine (2.13–2.32 s
    /// against 1.87–1.88 s, `bench_run_floor.sh`, best of 5, twice each): thousands of fsyncs then
    /// contend with the creation of the next files. The publish flushes them (one syncfs for a big tree).
    private let durability: DurabilityQueue

    private struct State {
        var drawn = Set<TileID>()
        var count = 0, rendered = 0
        /// The z/x folders made so far (z << 40 | x).
        var columns = Set<Int>()
    }
    private let state = Mutex(State())

    init(layer name: String, place: TileJob.PyramidLayers, folder: OutputFolder, options: TileSettings, incremental: Bool) throws {
        switch options.output {
        case .folder:
            root = folder.url("\(place.folder)/\(name)").path
            inside = nil
        case .archive(let kind):
            root = nil
            let url = folder.url(LayerArchives.inFolder(name, crs: place.crs, kind: kind))
            inside = (try makeTileArchiveBuilder(kind, spoolDirectory: url.deletingLastPathComponent()), url)
        }
        var outside: [(builder: any TileArchiveBuilder, url: URL)] = []
        for (base, kind) in [(options.mbtiles, TileArchiveKind.mbtiles), (options.pmtiles, .pmtiles)] {
            guard let base else { continue }
            let url = LayerArchives.url(base, layer: name, crs: place.crs)
            outside.append((try makeTileArchiveBuilder(kind, spoolDirectory: url.deletingLastPathComponent()), url))
        }
        self.outside = outside
        pending = place.archives
        durability = folder.durability
        // Only an incremental run needs to know which tiles it drew (to count the ones it deleted).
        tracksDrawn = incremental
    }

    /// One tile: its file, and into every archive.
    func put(_ tile: TileID, _ png: [UInt8], rendered: Bool) throws {
        if let root {
            let dir = "\(root)/\(tile.z)/\(tile.x)"
            try makeColumn(dir, of: tile)
            try writeFile(png, to: "\(dir)/\(tile.y).png")
        }
        try inside?.builder.put(tile, png)
        for target in outside { try target.builder.put(tile, png) }
        count(tile, rendered: rendered)
    }

    /// A tile kept from the previous run's folder: hard-linked (or copied, across file systems), and
    /// read for the outside archives.
    func keep(_ tile: TileID, file source: URL) throws {
        if let root {
            let dir = "\(root)/\(tile.z)/\(tile.x)", target = "\(dir)/\(tile.y).png"
            try makeColumn(dir, of: tile)
            if link(source.path, target) != 0 { try FileManager.default.copyItem(atPath: source.path, toPath: target) }
        }
        if inside != nil || !outside.isEmpty {
            let png = Array(try Data(contentsOf: source))
            try inside?.builder.put(tile, png)
            for target in outside { try target.builder.put(tile, png) }
        }
        count(tile, rendered: false)
    }

    /// The layer is complete: its archive in the output folder is written, the outside ones wait for
    /// the run to end.
    func finish(info: TileSetInfo) throws {
        if let inside {
            try inside.builder.finish(info: info, to: inside.url)
            durability.add(inside.url.path)
        }
        for target in outside { pending.add(target.builder, info: info, url: target.url) }
    }

    private func count(_ tile: TileID, rendered: Bool) {
        state.withLock {
            $0.count += 1
            if rendered {
                $0.rendered += 1
                if tracksDrawn { $0.drawn.insert(tile) }
            }
        }
    }

    var count: Int { state.withLock { $0.count } }
    var rendered: Int { state.withLock { $0.rendered } }
    var renderedIDs: Set<TileID> { state.withLock { $0.drawn } }

    /// Makes `dir`, the z/x folder of `tile`, unless a tile of it came before: one mkdir per folder,
    /// not per tile. Under the lock, so that no worker writes into a folder another is still making.
    private func makeColumn(_ dir: String, of tile: TileID) throws {
        try state.withLock {
            guard !$0.columns.contains(tile.z << 40 | tile.x) else { return }
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            $0.columns.insert(tile.z << 40 | tile.x)
        }
    }

    /// Writes a tile's file. A small tile whose bytes an earlier one of this layer already has (the one
    /// PNG of a flat colour, shared by every tile inside a zone) becomes a hard link to that file: a
    /// directory entry instead of a new file. Files are never rewritten in place (every run writes a
    /// fresh folder), so sharing an inode is safe.
    private func writeFile(_ png: [UInt8], to path: String) throws {
        if png.count <= Self.linkedSize, let first = firsts.withLock({ $0[TileBytes(png)] }) {
            if link(first, path) == 0 { return }
        }
        try Self.create(path, png)
        if png.count <= Self.linkedSize {
            firsts.withLock { if $0.count < 4096 && $0[TileBytes(png)] == nil { $0[TileBytes(png)] = path } }
        }
    }
    /// Creates a tile's file with open/write/close. Not `Data.write`, which flushes every file to disk
    /// (fsync) — most of a tile's cost on this machine's disk, waited for by a drawing core; the
    /// publish makes the tiles durable all at once (`Durability.syncTree`: one syncfs for a big tree).
    static func create(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(file: path, "cannot create the tile: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw OutputError(file: path, "cannot write the tile: \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    /// Flat tiles are a few hundred bytes; edge tiles, which rarely repeat, are larger.
    static let linkedSize = 2048
    private let firsts = Mutex<[TileBytes: String]>([:])

}

/// A tile's bytes as a dictionary key, hashed as one block: `[UInt8]`'s own `Hashable` feeds the
/// hasher byte by byte, which showed in the zone layers' profiles.
private struct TileBytes: Hashable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
