import Foundation
import Geometry
import Input
import Output
import Rendering
import Risk

/// Renders the choropleth layers (`tiles/{street,community,post}/{z}/{x}/{y}.png`) into the output folder.
struct TileJob {
    var options: RunOptions
    var style: Style
    var stats: [ZoneLevel: [ZoneStats]]

    /// Tiles written per layer.
    func render(into folder: OutputFolder) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let tileOptions = TileOptions(minZoom: options.minZoom, maxZoom: options.maxZoom, tileSize: options.tileSize)
        let alpha = UInt8((style.fillOpacity * 255).rounded())
        let outline = RGBA8(hex: style.outline)!
        for level in ZoneLevel.allCases {
            let features = (stats[level] ?? []).filter { !$0.zone.geometry.isEmpty }.map { s -> ChoroplethFeature in
                var fill = RGBA8(hex: style.colors[s.level]!)!
                fill.a = alpha
                return ChoroplethFeature(geometry: s.zone.geometry, fill: fill, stroke: outline)
            }
            let renderer = ChoroplethRenderer(features: features, options: tileOptions)
            let root = folder.url("tiles/\(level.rawValue)")
            let written = Counter()
            let bar = ProgressBar("tiles \(level.rawValue)")
            try renderer.render(onTile: { tile, png in
                let dir = root.appendingPathComponent("\(tile.z)/\(tile.x)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try Data(png).write(to: dir.appendingPathComponent("\(tile.y).png"))
                written.add()
            }, progress: { done, total in bar.update(done, of: total) })
            bar.finish()
            counts[level.rawValue] = written.value
        }
        return counts
    }
}

/// A counter shared by worker threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add(_ k: Int = 1) { lock.lock(); n += k; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
