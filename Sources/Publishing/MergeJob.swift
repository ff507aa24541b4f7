import Foundation
import Support
import Geometry
import Output
import Rendering
import Archives
import Model

/// Combines the output folders of `riskmap run --shard K/N` into one: the tiles of every shard, and
/// the documents (GeoJSON, viewer ...) that every shard writes alike, taken from the first. The
/// merged `report.json` is the first shard's with the tile counts of the merged pyramid and no
/// `shard` field, so it equals a single run's report but for `timings_s` and `generated_at`.
/// With `mbtiles`/`pmtiles` the archives are written from the merged tiles, as a single run writes them.
/// Shards run with `--publish-crs gcj02` merge their `tiles-gcj02/` pyramid (and its archives) alike.
public struct MergeJob {
    public var shards: [URL]
    public var out: URL
    public var mbtiles: URL?
    public var pmtiles: URL?
    /// History as in `run --keep N`: publish OUT/YYYY-MM-DD (the shards' as-of day) and move OUT/current.
    public var keep: Int?
    /// Replace `out` (and the archives) even when riskmap did not write them, as `run --force`.
    public var force: Bool
    public init(shards: [URL], out: URL, mbtiles: URL? = nil, pmtiles: URL? = nil, keep: Int? = nil, force: Bool = false) {
        self.shards = shards; self.out = out; self.mbtiles = mbtiles; self.pmtiles = pmtiles; self.keep = keep
        self.force = force
    }

    /// Files every shard writes with the same content; a difference means the shards did not run on
    /// the same input and stops the merge.
    static let sharedDocuments = ["streets.geojson", "communities.geojson", "posts.geojson", "grid.geojson", "cases.geojson",
                                  "rejects.csv", "repeats.csv", "hotspots.geojson", "tiles.json", "legend.json", "index.html"]
        + PublishedCRS.allCases.filter { $0 != .wgs84 }.flatMap { crs in
            ZoneLevel.mapLevels.map { crs.fileName($0.fileName) } + (crs.hasTiles ? [crs.tileJSONFile] : [])
        }

    public func run() throws -> (tiles: Int, seconds: Double) {
        let started = Date()
        let roots = try shards.map(resolve)
        try checkShards(roots)
        try checkDocuments(roots)
        let first = try report(roots[0])
        let pyramids = (first.publishCRS ?? ["wgs84"]).compactMap(PublishedCRS.init(rawValue:)).filter(\.hasTiles)
        // As `run`: out checked, one writer at a time (held until the merge returns), leftovers recovered.
        // No marker: the merged folder holds exactly the files of a single run's map (ShardTests), and
        // its report.json (written last, with every report's fields) proves it riskmap's and complete.
        let (lock, folder) = try claimOutput(out, history: keep.map { (day: first.asOf, keep: $0) }, archives: (mbtiles, pmtiles),
                                             force: force, marked: false, pyramids: pyramids)
        defer { withExtendedLifetime(lock) {} }
        try copyTree(roots[0], into: folder.staging, skipping: Set(pyramids.map(\.tilesFolder) + ["tiles", "report.json"]))
        var counts: [PublishedCRS: [String: Int]] = [:]
        let outside = PendingArchives()
        for crs in pyramids {
            let tileJSON = try tileSet(folder, crs: crs)
            for name in MapDocuments.allLayers {
                let info = LayerArchives.info(name, crs: crs, bounds: tileJSON.bounds, minZoom: tileJSON.minZoom,
                                              maxZoom: tileJSON.maxZoom, tileSize: tileJSON.tileSize, asOf: first.asOf)
                if let n = try mergeLayer(name, crs: crs, roots: roots, into: folder, info: info, outside: outside) {
                    counts[crs, default: [:]][name] = n
                }
            }
        }
        try folder.write(try mergedReport(roots, counts: counts), to: "report.json")
        try outside.commit()
        try folder.publish()
        return (counts.values.map { $0.values.reduce(0, +) }.reduce(0, +), Date().timeIntervalSince(started))
    }

    /// A shard folder, or the day its `current` link names.
    func resolve(_ url: URL) throws -> URL {
        let current = url.appendingPathComponent("current")
        let root = FileManager.default.fileExists(atPath: current.path) ? current.resolvingSymlinksInPath() : url
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("report.json").path) else {
            throw MergeError("\(url.path): not a riskmap output folder (no report.json)")
        }
        return root
    }

    /// The shards must be parts 1...N of one N, each once: a missing part would leave holes in the map.
    func checkShards(_ roots: [URL]) throws {
        var parts: [Int: URL] = [:]
        var total: Int?
        for root in roots {
            let text = try report(root).shard ?? "1/1"
            guard let shard = TileShard(parsing: text) else { throw MergeError("\(root.path)/report.json: bad shard '\(text)'") }
            if let total, total != shard.count {
                throw MergeError("\(root.path) is shard \(shard) but \(roots[0].path) is one of \(total): not one set of shards")
            }
            total = shard.count
            if let other = parts[shard.index] { throw MergeError("\(root.path) and \(other.path) are both shard \(shard)") }
            parts[shard.index] = root
        }
        let missing = (1...(total ?? 1)).filter { parts[$0] == nil }
        if !missing.isEmpty {
            throw MergeError("shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(total!)" }.joined(separator: ", ")) missing: give every shard's folder")
        }
    }

    func checkDocuments(_ roots: [URL]) throws {
        let fm = FileManager.default
        for name in Self.sharedDocuments {
            let first = fm.contents(atPath: roots[0].appendingPathComponent(name).path)
            for root in roots.dropFirst() where fm.contents(atPath: root.appendingPathComponent(name).path) != first {
                throw MergeError("\(root.path)/\(name) differs from \(roots[0].path)/\(name): the shards were not run on the same input")
            }
        }
    }

    func report(_ root: URL) throws -> RunReport {
        let url = root.appendingPathComponent("report.json")
        do {
            return try DocumentJSON.decode(RunReport.self, from: try Data(contentsOf: url))
        } catch {
            throw MergeError("\(url.path): not a report.json riskmap run writes: \(DocumentJSON.describe(error))")
        }
    }

    /// The first shard's report with the merged tile counts of each pyramid (every layer, 0 where no
    /// shard drew one) and `tile_updates` summed over the shards (rendered, kept, deleted per layer).
    func mergedReport(_ roots: [URL], counts: [PublishedCRS: [String: Int]]) throws -> String {
        let reports = try roots.map(report)
        var merged = reports[0]
        merged.shard = nil
        func layers(_ crs: PublishedCRS) -> [String: Int] {
            // The grid's and the significance layers only when the shards drew them.
            let names = MapDocuments.layers { reports[0].tiles[$0] != nil }
            return Dictionary(uniqueKeysWithValues: names.map { ($0, counts[crs]?[$0] ?? 0) })
        }
        merged.tiles = layers(.wgs84)
        if merged.tilesGCJ02 != nil { merged.tilesGCJ02 = layers(.gcj02) }
        if let first = merged.tileUpdates {
            merged.tileUpdates = .summed(reports.compactMap(\.tileUpdates), mode: first.mode)
        }
        return merged.jsonText()
    }

    private func copyTree(_ from: URL, into to: URL, skipping: Set<String>) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: from.path) where !skipping.contains(name) && !name.hasPrefix(".") {
            try fm.copyItem(at: from.appendingPathComponent(name), to: to.appendingPathComponent(name))
        }
    }

    /// One layer of one pyramid from every shard, written as the shards wrote it — files under
    /// `{tiles folder}/{layer}/`, or the archive `{tiles folder}/{layer}.pmtiles|.mbtiles` (`run --tiles`)
    /// rewritten from the shards' archives tile by tile — and into the outside archives `--mbtiles`/
    /// `--pmtiles` name. The same tile from two shards must be the same bytes. Returns the tiles
    /// merged, nil when no shard has the layer.
    private func mergeLayer(_ name: String, crs: PublishedCRS, roots: [URL], into folder: OutputFolder, info: TileSetInfo,
                            outside: PendingArchives) throws -> Int? {
        let fm = FileManager.default
        let archiveKind = TileArchiveKind.allCases.first { kind in
            roots.contains { fm.fileExists(atPath: $0.appendingPathComponent(LayerArchives.inFolder(name, crs: crs, kind: kind)).path) }
        }
        let folders = roots.map { $0.appendingPathComponent("\(crs.tilesFolder)/\(name)") }
        guard archiveKind != nil || folders.contains(where: { fm.fileExists(atPath: $0.path) }) else { return nil }
        var builders: [(builder: any TileArchiveBuilder, url: URL)] = []
        for (base, kind) in [(mbtiles, TileArchiveKind.mbtiles), (pmtiles, .pmtiles)] {
            guard let base else { continue }
            let url = LayerArchives.url(base, layer: name, crs: crs)
            builders.append((try makeTileArchiveBuilder(kind, spoolDirectory: url.deletingLastPathComponent()), url))
        }
        var count = 0
        if let kind = archiveKind {
            let url = folder.url(LayerArchives.inFolder(name, crs: crs, kind: kind))
            let merged = try makeTileArchiveBuilder(kind, spoolDirectory: url.deletingLastPathComponent())
            count = try mergeArchives(roots.map { $0.appendingPathComponent(LayerArchives.inFolder(name, crs: crs, kind: kind)) },
                                      layer: "\(crs.tilesFolder)/\(name)", into: [merged] + builders.map(\.builder))
            try merged.finish(info: info, to: url)
        } else {
            for shard in folders {
                count += try copyTiles(from: shard, to: folder.url("\(crs.tilesFolder)/\(name)"), layer: "\(crs.tilesFolder)/\(name)",
                                       archives: builders.map(\.builder))
            }
        }
        for b in builders { outside.add(b.builder, info: info, url: b.url) }
        return count
    }

    /// Every tile of the shards' archives of one layer into `targets`.
    private func mergeArchives(_ shards: [URL], layer: String, into targets: [any TileArchiveBuilder]) throws -> Int {
        let readers = try shards.filter { FileManager.default.fileExists(atPath: $0.path) }.map(openTileArchive)
        var seen: [TileID: Int] = [:]
        for (i, reader) in readers.enumerated() {
            try reader.forEachTile { id, png in
                if let other = seen[id] {
                    guard try readers[other].tile(id) == png else { throw MergeError("tile \(layer)/\(id).png differs between shards") }
                    return
                }
                seen[id] = i
                for t in targets { try t.put(id, png) }
            }
        }
        return seen.count
    }

    /// Copies every `z/x/y.png` of one shard's layer folder (and puts it into `archives`); the same tile
    /// from two shards must be the same bytes. Returns the tiles new to the merged folder.
    private func copyTiles(from: URL, to: URL, layer: String, archives: [any TileArchiveBuilder]) throws -> Int {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: from.path) else { return 0 }
        var count = 0
        while let relative = walker.nextObject() as? String {
            let parts = relative.dropLast(4).split(separator: "/").compactMap { Int($0) }
            guard relative.hasSuffix(".png"), parts.count == 3 else { continue }
            let source = from.appendingPathComponent(relative), target = to.appendingPathComponent(relative)
            if fm.fileExists(atPath: target.path) {
                guard fm.contentsEqual(atPath: source.path, andPath: target.path) else {
                    throw MergeError("tile \(layer)/\(relative) differs between shards")
                }
                continue
            }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: source, to: target)
            if !archives.isEmpty {
                let png = Array(try Data(contentsOf: source)), id = TileID(z: parts[0], x: parts[1], y: parts[2])
                for a in archives { try a.put(id, png) }
            }
            count += 1
        }
        return count
    }

    /// Zooms, tile size and bounds of a merged pyramid, from its TileJSON (the shards' own).
    private func tileSet(_ folder: OutputFolder, crs: PublishedCRS) throws -> (minZoom: Int, maxZoom: Int, tileSize: Int, bounds: BoundingBox) {
        let url = folder.url(crs.tileJSONFile)
        let tileJSON: TileJSON
        do {
            tileJSON = try DocumentJSON.decode(TileJSON.self, from: try Data(contentsOf: url))
        } catch {
            throw MergeError("\(url.path): not a tiles.json riskmap writes: \(DocumentJSON.describe(error))")
        }
        guard let minZoom = tileJSON.minzoom, let maxZoom = tileJSON.maxzoom, let tileSize = tileJSON.tileSize,
              let b = tileJSON.bounds, b.count == 4 else {
            throw MergeError("\(url.path): no minzoom, maxzoom, tileSize or bounds")
        }
        return (minZoom, maxZoom, tileSize, BoundingBox(minX: b[0], minY: b[1], maxX: b[2], maxY: b[3]))
    }
}

public struct MergeError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
