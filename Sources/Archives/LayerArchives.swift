import Foundation
import Geometry
import Model

/// The archives of a run's tile layers: one tile set per file, so one file per layer and pyramid.
///
/// Inside the output folder (`run --tiles pmtiles|mbtiles`) a layer's archive takes the place of its
/// tile folder: `tiles/heat.pmtiles`, `tiles/street.pmtiles`, … and `tiles-gcj02/heat.pmtiles`, ….
/// Outside it (`--mbtiles FILE`, `--pmtiles FILE`) FILE holds the heat layer (the one whose colours mean
/// the same everywhere), and each other layer goes next to it with the layer's name before the
/// extension — `risk.mbtiles`, `risk-street.mbtiles`, …; the GCJ-02 pyramid's with `-gcj02` after the
/// stem: `risk-gcj02.mbtiles` (heat), `risk-gcj02-street.mbtiles`, ….
public enum LayerArchives {
    /// The archive of `layer` in the output folder: `{tiles folder}/{layer}.{kind}`.
    public static func inFolder(_ layer: String, crs: PublishedCRS, kind: TileArchiveKind) -> String {
        "\(crs.tilesFolder)/\(layer).\(kind.fileExtension)"
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

    /// What the archive of `layer` says about itself. The bounds are rounded as tiles.json rounds them
    /// (1 cm), so that `merge`, which knows only tiles.json, writes the same archive as a single run;
    /// the revision is the map's day (YYYYMMDD).
    public static func info(_ layer: String, crs: PublishedCRS, bounds: BoundingBox, minZoom: Int, maxZoom: Int,
                            tileSize: Int, asOf: String) -> TileSetInfo {
        let b = [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { ($0 * 1e7).rounded() / 1e7 }
        return TileSetInfo(name: "riskmap \(layer)\(nameSuffix(crs))", description: describe(layer, crs: crs),
                           bounds: (b[0], b[1], b[2], b[3]), minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize,
                           version: asOf.filter(\.isNumber))
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

/// The archives a run writes outside its output folder (`--mbtiles`, `--pmtiles`), built while the
/// tiles are drawn and put in place only when the run has written everything else: a run that fails
/// leaves the previous archives untouched (and deletes the spools of its own).
public final class PendingArchives: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [(builder: any TileArchiveBuilder, info: TileSetInfo, url: URL)] = []

    public init() {}

    public func add(_ builder: any TileArchiveBuilder, info: TileSetInfo, url: URL) {
        lock.withLock { pending.append((builder, info, url)) }
    }

    public var isEmpty: Bool { lock.withLock { pending.isEmpty } }

    /// Writes every archive to its file (each built beside it and renamed over it); returns the files.
    @discardableResult
    public func commit() throws -> [URL] {
        let all = lock.withLock { () -> [(builder: any TileArchiveBuilder, info: TileSetInfo, url: URL)] in
            defer { pending.removeAll() }
            return pending
        }
        for item in all { try item.builder.finish(info: item.info, to: item.url) }
        return all.map(\.url)
    }

    deinit { for item in pending { item.builder.discard() } }
}
