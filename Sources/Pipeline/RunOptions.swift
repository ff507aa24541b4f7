import Foundation
import Input
import Model
import Output
import Projection
import Rendering
import Risk
import Support
import Tiles

/// Everything `riskmap run` needs to know.
public struct RunOptions: Sendable {
    public var boundaries: URL
    public var cases: [URL]
    public var out: URL
    /// `--style FILE`; nil: the style built into the binary.
    public var style: URL?
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
    /// `--tiles`: one file per tile (folder) or one archive per layer in the output folder.
    public var tiles: TileOutput = .folder
    /// Archives of the tile layers outside the output folder (see `LayerArchives.url` for each layer's file).
    public var mbtiles: URL?
    public var pmtiles: URL?
    /// `--shard K/N`: render only this part of the tiles; every document is written in full.
    public var shard: TileShard = .whole
    /// Bars for the long phases (reading, locating, geocoding, tiles, archives); silent by default.
    public var progress: ProgressSink = .silent
    /// Tiles one zone layer may draw in this run (`--max-tiles`; see `TileBudget`).
    public var maxTiles = 2_000_000
    /// Bounds on vertices, point posts and zone extents (`--max-vertices`, `--max-posts`, ...).
    public var boundaryLimits = BoundaryLimits()
    /// `--case-points`: how cases.geojson places cases (exact by default).
    public var casePoints: CasePoints = .exact
    /// `--force`: replace `out` (and the archives) even when riskmap did not write them.
    public var force = false
    /// `--publish-crs`: the coordinate systems the map is published in; WGS-84 always (see `PublishedCRS`).
    public var publishCRS: [PublishedCRS] = [.wgs84]
    /// The viewer's basemap from the command line (`--basemap-*`, merged with the style's by the
    /// command); nil: the style's `[basemap]`, if any.
    public var basemap: Basemap?
    /// `--basemap-url none`: no basemap, whatever the style says.
    public var noBasemap = false
    public init(boundaries: URL, cases: [URL], out: URL, style: URL? = nil) {
        self.boundaries = boundaries; self.cases = cases; self.out = out; self.style = style
    }

    /// What the tile stage needs of the options (`published`: see `published(basemap:)`).
    func tileSettings(_ published: [PublishedCRS] = [.wgs84]) -> TileSettings {
        var settings = TileSettings(minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize, shard: shard, progress: progress,
                                    pyramids: published.filter(\.hasTiles))
        settings.output = tiles
        settings.mbtiles = mbtiles
        settings.pmtiles = pmtiles
        return settings
    }

    /// The viewer's basemap: the command line's, else the style's, unless `--basemap-url none`.
    func basemap(style: Style) -> Basemap? {
        noBasemap ? nil : basemap ?? style.basemap
    }

    /// The coordinate systems this run publishes: `--publish-crs`, and GCJ-02 when the viewer's
    /// basemap is a GCJ-02 one (its overlay must line up with it).
    func published(basemap: Basemap?) -> [PublishedCRS] {
        let wanted = Set(publishCRS + [.wgs84] + (basemap.map { [$0.datum.published] } ?? []))
        return PublishedCRS.allCases.filter(wanted.contains)
    }

    /// The published folder of the previous run: OUT, or what OUT/current names with `--keep` (followed
    /// once, when `PreviousTiles` opens it).
    var previousFolder: URL {
        keep == nil ? out : out.appendingPathComponent("current")
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
