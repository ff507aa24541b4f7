import Foundation
import Geometry
import Model
import Risk

/// The small documents next to the tiles: TileJSON, the legend and the viewer page.
public enum MapDocuments {
    /// The tile layers, in drawing order.
    public static let layers = ["heat", "street", "community", "post"]

    /// TileJSON 3.0. The top level describes the community layer (a valid TileJSON on its own);
    /// `layers` holds one complete TileJSON per layer. Tile URLs are relative to this file.
    public static func tileJSON(bounds: BoundingBox, minZoom: Int, maxZoom: Int, tileSize: Int,
                                layers: [String] = MapDocuments.layers) -> String {
        func layer(_ name: String) -> [String: Any] {
            [
                "tilejson": "3.0.0",
                "name": "riskmap \(name)",
                "id": name,
                "scheme": "xyz",
                "tiles": ["tiles/\(name)/{z}/{x}/{y}.png"],
                "minzoom": minZoom,
                "maxzoom": maxZoom,
                "tileSize": tileSize,
                "bounds": [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map { round7($0) },
                "center": [round7(bounds.center.x), round7(bounds.center.y), Double(min(maxZoom, max(minZoom, 12)))],
                "attribution": "riskmap",
            ]
        }
        var top = layer("community")
        top["name"] = "riskmap"
        top["layers"] = layers.map(layer)
        return JSONText.value(top) + "\n"
    }

    /// Units, breakpoints and colours of every layer.
    /// What a level's breakpoints are in, for people reading the legend.
    static func units(of measure: ThresholdMeasure) -> String {
        switch measure {
        case .score: "score (sum of the weights of the cases in the window)"
        case .density: "score per km²"
        case .quantile: "share of the level's zones scoring less (0..1)"
        }
    }

    public static func legend(style: Style) -> String {
        var levels: [String: Any] = [:]
        for level in ZoneLevel.allCases {
            let t = style.thresholds[level]!
            levels[level.rawValue] = ["measure": t.measure.rawValue, "units": units(of: t.measure),
                                      "breakpoints": ["yellow": t.yellow, "red": t.red]]
        }
        let legend: [String: Any] = [
            "zones": [
                "units": "score (sum of category weights of the cases in the window)",
                "colors": Dictionary(uniqueKeysWithValues: RiskLevel.allCases.map { ($0.rawValue, style.colors[$0]!) }),
                "fill_opacity": style.fillOpacity,
                "levels": levels,
                "min_cases_red": style.minCasesRed,
            ],
            "heat": heatLegend(style.heatmap),
            "categories": Dictionary(uniqueKeysWithValues: style.categories.map { ($0.key, $0.weight) }),
            "style": style.file,
        ]
        return JSONText.value(legend) + "\n"
    }

    /// The heat layer's legend: absolute units, so one colour means one density everywhere.
    /// `colors[i]` is the colour at `breakpoints[i]`; shades blend linearly (in `steps` steps) up to the
    /// next breakpoint; below the first nothing is drawn, above the last the last colour is used.
    static func heatLegend(_ heat: HeatmapStyle) -> [String: Any] {
        [
            "layer": "heat",
            "units": HeatmapStyle.units,
            "units_short": "cases/km²",
            "kernel": "quartic",
            "bandwidth_m": heat.bandwidthMetres,
            "breakpoints": heat.breakpoints,
            "colors": heat.colors,
            "steps": heat.steps,
            "opacity": heat.opacity,
            "below_first": "transparent",
        ]
    }

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

    public static func viewer(bounds: BoundingBox) -> String {
        ViewerPage.html
            .replacingOccurrences(of: "__BOUNDS__", with: "[[\(bounds.minY),\(bounds.minX)],[\(bounds.maxY),\(bounds.maxX)]]")
    }

    static func round7(_ d: Double) -> Double { (d * 1e7).rounded() / 1e7 }
}
