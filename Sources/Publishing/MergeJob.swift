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
        for crs in pyramids {
            for root in roots {
                try copyTiles(from: root.appendingPathComponent(crs.tilesFolder), to: folder.url(crs.tilesFolder),
                              counts: &counts[crs, default: [:]])
            }
        }
        try folder.write(try mergedReport(roots, counts: counts), to: "report.json")
        for crs in pyramids { try writeArchives(folder, crs: crs, asOf: first.asOf) }
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

    /// Copies every `layer/z/x/y.png`; the same tile from two shards must be the same bytes.
    private func copyTiles(from: URL, to: URL, counts: inout [String: Int]) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: from.path) else { return }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".png") else { continue }
            let source = from.appendingPathComponent(relative), target = to.appendingPathComponent(relative)
            if fm.fileExists(atPath: target.path) {
                guard fm.contentsEqual(atPath: source.path, andPath: target.path) else {
                    throw MergeError("tile \(relative) differs between shards")
                }
                continue
            }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: source, to: target)
            counts[String(relative.prefix { $0 != "/" }), default: 0] += 1
        }
    }

    /// The archives of a merged pyramid; zooms, tile size and bounds come from its TileJSON.
    private func writeArchives(_ folder: OutputFolder, crs: PublishedCRS, asOf: String) throws {
        guard mbtiles != nil || pmtiles != nil else { return }
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
        var layers: [String: [TileID: [UInt8]]] = [:]
        for name in MapDocuments.allLayers where FileManager.default.fileExists(atPath: folder.url("\(crs.tilesFolder)/\(name)").path) {
            layers[name] = try readTiles(folder.url("\(crs.tilesFolder)/\(name)"))
        }
        var archives = ArchiveJob(mbtiles: mbtiles, pmtiles: pmtiles, minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize,
                                  bounds: BoundingBox(minX: b[0], minY: b[1], maxX: b[2], maxY: b[3]), asOf: asOf)
        archives.crs = crs
        _ = try archives.write(layers)
    }

    /// `z/x/y.png` under `root` → bytes.
    private func readTiles(_ root: URL) throws -> [TileID: [UInt8]] {
        var tiles: [TileID: [UInt8]] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return tiles }
        while let relative = walker.nextObject() as? String {
            let parts = relative.dropLast(4).split(separator: "/").compactMap { Int($0) }
            guard relative.hasSuffix(".png"), parts.count == 3 else { continue }
            tiles[TileID(z: parts[0], x: parts[1], y: parts[2])] = Array(try Data(contentsOf: root.appendingPathComponent(relative)))
        }
        return tiles
    }
}

public struct MergeError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
