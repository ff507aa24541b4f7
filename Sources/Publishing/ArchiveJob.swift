import Foundation
import Support
import Geometry
import Output
import Rendering

/// Writes the tile layers into the archives `--mbtiles FILE` / `--pmtiles FILE` ask for.
///
/// An archive holds one tile set, and the run makes four: FILE holds the heat layer (the one whose
/// colours mean the same everywhere), and each zone layer goes next to it with the layer's name
/// before the extension — `risk.mbtiles`, `risk-street.mbtiles`, `risk-community.mbtiles`,
/// `risk-post.mbtiles`. Each file appears only when complete.
public struct ArchiveJob {
    public var mbtiles: URL?
    public var pmtiles: URL?
    public var minZoom: Int
    public var maxZoom: Int
    public var tileSize: Int
    public var bounds: BoundingBox
    /// The map's as-of day (`YYYY-MM-DD`): the archives' revision (`TileSetInfo.version`).
    public var asOf: String
    /// One step per archive file written.
    public var progress: ProgressSink = .silent

    public init(mbtiles: URL?, pmtiles: URL?, minZoom: Int, maxZoom: Int, tileSize: Int, bounds: BoundingBox,
                asOf: String, progress: ProgressSink = .silent) {
        self.mbtiles = mbtiles; self.pmtiles = pmtiles; self.asOf = asOf
        self.minZoom = minZoom; self.maxZoom = maxZoom; self.tileSize = tileSize; self.bounds = bounds
        self.progress = progress
    }

    /// The archives written, for the summary.
    @discardableResult
    public func write(_ layers: [String: [TileID: [UInt8]]]) throws -> [URL] {
        var written: [URL] = []
        let bar = progress.bar("archives")
        defer { bar.finish() }
        let files = MapDocuments.layers.filter { layers[$0] != nil }.count * ((mbtiles == nil ? 0 : 1) + (pmtiles == nil ? 0 : 1))
        for name in MapDocuments.layers {
            bar.update(written.count, of: files)
            guard let tiles = layers[name] else { continue }
            // Rounded as tiles.json rounds them (1 cm), so that `merge`, which knows only tiles.json,
            // writes the same archive as a single run.
            let b = [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { ($0 * 1e7).rounded() / 1e7 }
            let info = TileSetInfo(name: "riskmap \(name)", description: Self.describe(name), bounds: (b[0], b[1], b[2], b[3]),
                                   minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize,
                                   version: asOf.filter(\.isNumber))
            if let base = mbtiles {
                let url = Self.url(base, layer: name)
                try MBTilesWriter.write(tiles, info: info, to: url)
                written.append(url)
            }
            if let base = pmtiles {
                let url = Self.url(base, layer: name)
                try PMTilesWriter.write(tiles, info: info, to: url)
                written.append(url)
            }
        }
        return written
    }

    /// Every file the archives will be written to is absent or an archive riskmap wrote (else an error
    /// naming it, unless `force`): checked before the run does any work.
    public static func checkPaths(mbtiles: URL?, pmtiles: URL?, force: Bool) throws {
        for name in MapDocuments.layers {
            if let base = mbtiles {
                try ArchiveIdentity.checkReplaceable(Self.url(base, layer: name), kind: .mbtiles, option: "--mbtiles", force: force)
            }
            if let base = pmtiles {
                try ArchiveIdentity.checkReplaceable(Self.url(base, layer: name), kind: .pmtiles, option: "--pmtiles", force: force)
            }
        }
    }

    /// FILE for the heat layer, FILE with `-LAYER` before its extension for the others.
    public static func url(_ base: URL, layer: String) -> URL {
        guard layer != "heat" else { return base }
        let ext = base.pathExtension
        let stem = base.deletingPathExtension().lastPathComponent
        let name = ext.isEmpty ? "\(stem)-\(layer)" : "\(stem)-\(layer).\(ext)"
        return base.deletingLastPathComponent().appendingPathComponent(name)
    }

    static func describe(_ layer: String) -> String {
        layer == "heat"
            ? "Kernel density of complaint cases in the window, weighted cases per km² (see legend.json)"
            : "Risk level of every \(layer) zone (green, yellow, red)"
    }
}
