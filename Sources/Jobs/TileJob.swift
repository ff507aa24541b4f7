import Foundation
import Geometry
import Input
import Output
import Rendering
import Risk

/// Renders the tile layers (`tiles/{heat,street,community,post}/{z}/{x}/{y}.png`) into the output
/// folder, and keeps them for the archives when `--mbtiles` or `--pmtiles` asks for them.
struct TileJob {
    var options: RunOptions
    var style: Style
    var stats: [ZoneLevel: [ZoneStats]]
    var located: [LocatedCase]
    var window: Window

    /// What the layers produced.
    struct Result {
        /// Tiles written per layer.
        var counts: [String: Int] = [:]
        /// Wall seconds per layer, in rendering order.
        var seconds: [(String, Double)] = []
        /// layer → tile → PNG, only when an archive is wanted.
        var archived: [String: [TileID: [UInt8]]] = [:]
    }

    var tileOptions: TileOptions {
        TileOptions(minZoom: options.minZoom, maxZoom: options.maxZoom, tileSize: options.tileSize)
    }

    /// `--shard K/N`: this run draws only its part of every layer's tiles; nil for the whole pyramid.
    var shardFilter: ((TileID) -> Bool)? {
        let shard = options.shard
        return shard.count == 1 ? nil : { shard.contains($0) }
    }

    func render(into folder: OutputFolder) throws -> Result {
        var result = Result()
        try layer("heat", into: folder, result: &result) { onTile, progress in
            try heatRenderer().render(including: shardFilter, onTile: onTile, progress: progress)
        }
        for level in ZoneLevel.allCases {
            try layer(level.rawValue, into: folder, result: &result) { onTile, progress in
                try choroplethRenderer(level).render(including: shardFilter, onTile: onTile, progress: progress)
            }
        }
        return result
    }

    /// The heat layer's cases: located to a point and inside the window, weighted by their category.
    func heatRenderer() -> HeatmapRenderer {
        let heat = style.heatmap
        // Category texts repeat a lot: match each distinct text against the style's words once.
        var weights: [String: Double] = [:]
        let points = located.compactMap { c -> HeatPoint? in
            guard let p = c.point, window.contains(c.record.day) else { return nil }
            let text = c.record.category
            let weight = weights[text] ?? style.resolve(category: text).weight
            weights[text] = weight
            return HeatPoint(lon: p.x, lat: p.y, weight: weight)
        }
        let ramp = HeatRamp(breakpoints: heat.breakpoints, colors: heat.colors.map { RGBA8(hex: $0)! },
                            steps: heat.steps, opacity: heat.opacity)
        return HeatmapRenderer(points: points, bandwidthMetres: heat.bandwidthMetres, ramp: ramp, options: tileOptions)
    }

    func choroplethRenderer(_ level: ZoneLevel) -> ChoroplethRenderer {
        let alpha = UInt8((style.fillOpacity * 255).rounded())
        let outline = RGBA8(hex: style.outline)!
        let features = (stats[level] ?? []).filter { !$0.zone.geometry.isEmpty }.map { s -> ChoroplethFeature in
            ChoroplethFeature(geometry: s.zone.geometry, fill: RGBA8(hex: style.colors[s.level]!)!.withAlpha(alpha),
                              stroke: outline)
        }
        return ChoroplethRenderer(features: features, options: tileOptions)
    }

    typealias Render = (_ onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                        _ progress: @escaping @Sendable (Int, Int) -> Void) throws -> Void

    /// Renders one layer on all cores with a progress bar, writing `tiles/NAME/z/x/y.png`.
    private func layer(_ name: String, into folder: OutputFolder, result: inout Result, _ render: Render) throws {
        let start = Date()
        let root = folder.url("tiles/\(name)")
        let sink = TileSink(keep: options.mbtiles != nil || options.pmtiles != nil)
        let bar = ProgressBar("tiles \(name)")
        try render({ tile, png in
            let dir = root.appendingPathComponent("\(tile.z)/\(tile.x)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(png).write(to: dir.appendingPathComponent("\(tile.y).png"))
            sink.add(tile, png)
        }, { done, total in bar.update(done, of: total) })
        bar.finish()
        result.counts[name] = sink.count
        result.seconds.append((name, Date().timeIntervalSince(start)))
        if sink.keep { result.archived[name] = sink.tiles }
    }
}

/// Counts the tiles written by the workers and keeps them for archives when asked to.
final class TileSink: @unchecked Sendable {
    let keep: Bool
    private let lock = NSLock()
    private var stored: [TileID: [UInt8]] = [:]
    private var n = 0
    init(keep: Bool) { self.keep = keep }
    func add(_ tile: TileID, _ png: [UInt8]) {
        lock.withLock {
            n += 1
            if keep { stored[tile] = png }
        }
    }
    var count: Int { lock.withLock { n } }
    var tiles: [TileID: [UInt8]] { lock.withLock { stored } }
}
