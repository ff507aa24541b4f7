import Foundation
import Geometry
import Model
import Risk

/// The small documents next to the tiles: TileJSON, the legend and the viewer page.
public enum MapDocuments {
    /// The tile layers every map has, in drawing order.
    public static let layers = ["heat", "street", "community", "post"]
    /// Every layer a map may have: those above, then the grid's (when the style has `[grid]`), the
    /// significant hot and cold spots (Gi* classes of the finest level) and, with `--db` history, the
    /// emerging hot spots.
    public static let allLayers = layers + [ZoneLevel.grid.rawValue, hotspotsLayer, emergingLayer]
    public static let hotspotsLayer = "hotspots"
    public static let emergingLayer = "emerging"
    /// The layers of a map in drawing order: those every map has, and those of the others it drew.
    public static func layers(drawn: (String) -> Bool) -> [String] {
        allLayers.filter { layers.contains($0) || drawn($0) }
    }

    /// `tiles.json` (see `TileJSON`).
    public static func tileJSON(bounds: BoundingBox, minZoom: Int, maxZoom: Int, tileSize: Int,
                                layers: [String] = MapDocuments.layers, folder: String = "tiles") -> String {
        TileJSON(bounds: bounds, minZoom: minZoom, maxZoom: maxZoom, tileSize: tileSize, layers: layers, folder: folder).jsonText()
    }

    /// `legend.json` (see `Legend`).
    public static func legend(style: Style) -> String { Legend(style: style).jsonText() }

    /// Copies Leaflet (see `Leaflet` for where it is looked for) into the output folder, so the viewer
    /// needs nothing from the internet. Returns false when there is none: the viewer then says so.
    @discardableResult
    public static func copyLeaflet(into folder: OutputFolder, from source: URL? = Leaflet.find()) throws -> Bool {
        guard let source else { return false }
        let fm = FileManager.default
        let target = folder.url("lib/leaflet")
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Debian's folder holds symlinks into other packages' trees: copy the files they point to.
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        for (from, to) in [("leaflet.min.js", "leaflet.js"), ("leaflet.css", "leaflet.css")] {
            let file = fm.fileExists(atPath: source.appendingPathComponent(from).path) ? from : to
            try fm.copyItem(at: source.appendingPathComponent(file).resolvingSymlinksInPath(),
                            to: target.appendingPathComponent(to))
        }
        let images = source.appendingPathComponent("images")
        if let list = try? fm.contentsOfDirectory(atPath: images.resolvingSymlinksInPath().path) {
            try fm.createDirectory(at: target.appendingPathComponent("images"), withIntermediateDirectories: true)
            for name in list {
                try? fm.copyItem(at: images.appendingPathComponent(name).resolvingSymlinksInPath(),
                                 to: target.appendingPathComponent("images/\(name)"))
            }
        }
        return true
    }

    /// `index.html`: the pyramid of `crs` (its bounds in `bounds`) over `basemap`, if any.
    public static func viewer(bounds: BoundingBox, crs: PublishedCRS = .wgs84, basemap: Basemap? = nil) -> String {
        let suffix = crs == .wgs84 ? "" : ".\(crs.rawValue)"
        let pyramid = JSONText.object([("crs", JSONText.string(crs.rawValue)), ("tilejson", JSONText.string(crs.tileJSONFile)),
                                       ("suffix", JSONText.string(suffix))])
        let base = basemap.map { b in
            JSONText.object([("url", JSONText.string(b.url)), ("crs", JSONText.string(b.datum.rawValue)),
                             ("attribution", JSONText.string(b.attribution)),
                             ("subdomains", "[" + b.subdomains.map(JSONText.string).joined(separator: ",") + "]")])
        } ?? "null"
        // Inside a <script>: "<" escaped, so that no setting can close the script ("</script>").
        func script(_ json: String) -> String { json.replacingOccurrences(of: "<", with: "\\u003c") }
        return ViewerPage.html
            .replacingOccurrences(of: "__BOUNDS__", with: "[[\(bounds.minY),\(bounds.minX)],[\(bounds.maxY),\(bounds.maxX)]]")
            .replacingOccurrences(of: "__PYRAMID__", with: script(pyramid))
            .replacingOccurrences(of: "__BASEMAP__", with: script(base))
    }
}
