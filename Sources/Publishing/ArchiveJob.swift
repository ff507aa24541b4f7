import Foundation
import Support
import Geometry
import Model
import Output
import Rendering
import Archives

/// Writes the tile layers into the archives `--mbtiles FILE` / `--pmtiles FILE` ask for.
///
/// An archive holds one tile set, and the run makes four: FILE holds the heat layer (the one whose
/// colours mean the same everywhere), and each zone layer goes next to it with the layer's name
/// before the extension — `risk.mbtiles`, `risk-street.mbtiles`, `risk-community.mbtiles`,
/// `risk-post.mbtiles`. Each file appears only when complete. The GCJ-02 pyramid (`--publish-crs
/// gcj02`) goes into its own archives, named with `-gcj02` after the stem: `risk-gcj02.mbtiles` (heat),
/// `risk-gcj02-street.mbtiles`, ...
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
    /// The pyramid these archives hold (`bounds` are in its coordinates).
    public var crs: PublishedCRS = .wgs84

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
        let files = MapDocuments.allLayers.filter { layers[$0] != nil }.count * ((mbtiles == nil ? 0 : 1) + (pmtiles == nil ? 0 : 1))
        for name in MapDocuments.allLayers {
            bar.update(written.count, of: files)
            guard let tiles = layers[name] else { continue }
            // Rounded as tiles.json rounds them (1 cm), so that `merge`, which knows only tiles.json,
            // writes the same archive as a single run.
            let b = [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { ($0 * 1e7).rounded() / 1e7 }
            let info = TileSetInfo(name: "riskmap \(name)\(Self.nameSuffix(crs))", description: Self.describe(name, crs: crs),
                                   bounds: (b[0], b[1], b[2], b[3]),
                                   minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize,
                                   version: asOf.filter(\.isNumber))
            if let base = mbtiles {
                let url = Self.url(base, layer: name, crs: crs)
                try MBTilesWriter.write(tiles, info: info, to: url)
                written.append(url)
            }
            if let base = pmtiles {
                let url = Self.url(base, layer: name, crs: crs)
                try PMTilesWriter.write(tiles, info: info, to: url)
                written.append(url)
            }
        }
        return written
    }

    /// Every file the archives will be written to is absent or an archive riskmap wrote (else an error
    /// naming it, unless `force`): checked before the run does any work.
    public static func checkPaths(mbtiles: URL?, pmtiles: URL?, force: Bool, pyramids: [PublishedCRS] = [.wgs84]) throws {
        for crs in pyramids where crs.hasTiles {
            for name in MapDocuments.allLayers {
                if let base = mbtiles {
                    try ArchiveIdentity.checkReplaceable(Self.url(base, layer: name, crs: crs), kind: .mbtiles, option: "--mbtiles",
                                                         force: force)
                }
                if let base = pmtiles {
                    try ArchiveIdentity.checkReplaceable(Self.url(base, layer: name, crs: crs), kind: .pmtiles, option: "--pmtiles",
                                                         force: force)
                }
            }
        }
    }

    /// FILE for the heat layer, FILE with `-LAYER` before its extension for the others; for another
    /// pyramid than WGS-84, `-CRS` first: `risk-gcj02.pmtiles`, `risk-gcj02-street.pmtiles`.
    public static func url(_ base: URL, layer: String, crs: PublishedCRS = .wgs84) -> URL {
        let parts = (crs == .wgs84 ? [] : [crs.rawValue]) + (layer == "heat" ? [] : [layer])
        guard !parts.isEmpty else { return base }
        let ext = base.pathExtension
        let stem = ([base.deletingPathExtension().lastPathComponent] + parts).joined(separator: "-")
        let name = ext.isEmpty ? stem : "\(stem).\(ext)"
        return base.deletingLastPathComponent().appendingPathComponent(name)
    }

    static func nameSuffix(_ crs: PublishedCRS) -> String {
        crs == .wgs84 ? "" : " (\(crs.rawValue.uppercased().replacingOccurrences(of: "GCJ02", with: "GCJ-02")))"
    }

    static func describe(_ layer: String, crs: PublishedCRS = .wgs84) -> String {
        (layer == "heat"
            ? "Kernel density of complaint cases in the window, weighted cases per km² (see legend.json)"
            : "Risk level of every \(layer) zone (green, yellow, red)")
            + (crs == .gcj02 ? "; drawn in GCJ-02 to line up with Amap and Tencent basemaps" : "")
    }
}
