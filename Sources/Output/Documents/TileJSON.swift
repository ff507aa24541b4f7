import Foundation
import Geometry

/// `tiles.json`: TileJSON 3.0. The top level describes the community layer (a valid TileJSON on its
/// own); the custom `layers` member holds one complete TileJSON per layer. Tile URLs are relative to
/// the file. `tiles-gcj02.json` (`run --publish-crs gcj02`) is the same document for `tiles-gcj02/`,
/// bounds in GCJ-02. Written by `riskmap run` (`MapDocuments.tileJSON`), read by `riskmap merge` (zooms, tile
/// size and bounds of the archives) and `riskmap serve` (the layers and their zooms).
/// The spec requires only `tilejson` and `tiles`, so a reader takes every other member as optional.
public struct TileJSON: Codable, Equatable, Sendable {
    public var tilejson: String?
    public var name: String?
    public var id: String?
    public var scheme: String?
    public var tiles: [String]
    public var minzoom: Int?
    public var maxzoom: Int?
    public var tileSize: Int?
    /// west, south, east, north in degrees (7 decimals).
    public var bounds: [Double]?
    /// lon, lat, zoom.
    public var center: [Double]?
    public var attribution: String?
    /// One TileJSON per layer, in drawing order; only at the top level.
    public var layers: [TileJSON]?

    /// The TileJSON of one layer; `folder`: the pyramid's (`tiles`, or `tiles-gcj02` with bounds in GCJ-02).
    public init(layer name: String, bounds: BoundingBox, minZoom: Int, maxZoom: Int, tileSize: Int, folder: String = "tiles") {
        tilejson = "3.0.0"
        self.name = "riskmap \(name)"
        id = name
        scheme = "xyz"
        tiles = ["\(folder)/\(name)/{z}/{x}/{y}.png"]
        minzoom = minZoom
        maxzoom = maxZoom
        self.tileSize = tileSize
        self.bounds = [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map(Self.round7)
        center = [Self.round7(bounds.center.x), Self.round7(bounds.center.y), Double(min(maxZoom, max(minZoom, 12)))]
        attribution = "riskmap"
    }

    /// The document: the community layer at the top, named "riskmap", with every layer in `layers`.
    public init(bounds: BoundingBox, minZoom: Int, maxZoom: Int, tileSize: Int, layers: [String], folder: String = "tiles") {
        self.init(layer: "community", bounds: bounds, minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize, folder: folder)
        name = "riskmap"
        self.layers = layers.map {
            TileJSON(layer: $0, bounds: bounds, minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize, folder: folder)
        }
    }

    /// The layers a reader serves: `layers`, or a plain TileJSON as its one layer.
    public var layerList: [TileJSON] { layers ?? [self] }

    /// One line, keys sorted, a newline at the end.
    public func jsonText() -> String { DocumentJSON.text(self) + "\n" }

    static func round7(_ d: Double) -> Double { (d * 1e7).rounded() / 1e7 }
}
