import Foundation
import Model
import Input
import Risk

/// `legend.json`: units, breakpoints and colours of every layer, for people and for viewers. Written
/// by `riskmap run` (`MapDocuments.legend`); served as a file.
public struct Legend: Codable, Equatable, Sendable {
    public var zones: Zones
    public var heat: Heat
    /// Category key → weight.
    public var categories: [String: Double]
    /// The --style path, or "built-in".
    public var style: String
    /// The significance layers' colours (`tiles/hotspots`, `tiles/emerging`); nil in older files.
    public var significance: Significance?

    /// Gi* class → colour and emerging category → colour; classes not listed are not drawn.
    public struct Significance: Codable, Equatable, Sendable {
        public var giClass: [String: String]
        public var emerging: [String: String]
        public var method = "local Getis-Ord Gi* of density, Benjamini-Hochberg at q = 0.01/0.05/0.10"
        enum CodingKeys: String, CodingKey { case giClass = "gi_class", emerging, method }
        public init() {
            giClass = Dictionary(uniqueKeysWithValues: GiClass.allCases.compactMap { c in c.colour.map { (c.rawValue, $0) } })
            emerging = Dictionary(uniqueKeysWithValues: EmergingCategory.allCases.compactMap { c in c.colour.map { (c.rawValue, $0) } })
        }
    }

    public struct Zones: Codable, Equatable, Sendable {
        public var units = "score (sum of category weights of the cases in the window)"
        /// Risk level → colour.
        public var colors: [String: String]
        public var fillOpacity: Double
        /// Zone level → its thresholds.
        public var levels: [String: Level]
        public var minCasesRed: Int
        enum CodingKeys: String, CodingKey {
            case units, colors, fillOpacity = "fill_opacity", levels, minCasesRed = "min_cases_red"
        }
    }

    /// What a level's breakpoints are in (`measure`, `units`) and the breakpoints themselves.
    public struct Level: Codable, Equatable, Sendable {
        public var measure: String
        public var units: String
        /// "yellow" and "red" → the value from which a zone has that level.
        public var breakpoints: [String: Double]
    }

    /// The heat layer: absolute units, so one colour means one density everywhere. `colors[i]` is the
    /// colour at `breakpoints[i]`; shades blend linearly (in `steps` steps) up to the next breakpoint;
    /// below the first nothing is drawn, above the last the last colour is used.
    public struct Heat: Codable, Equatable, Sendable {
        public var layer = "heat"
        public var units = HeatmapStyle.units
        public var unitsShort = "cases/km²"
        public var kernel = "quartic"
        public var bandwidthM: Double
        public var breakpoints: [Double]
        public var colors: [String]
        public var steps: Int
        public var opacity: Double
        public var belowFirst = "transparent"
        enum CodingKeys: String, CodingKey {
            case layer, units, unitsShort = "units_short", kernel, bandwidthM = "bandwidth_m", breakpoints, colors
            case steps, opacity, belowFirst = "below_first"
        }

        public init(_ heat: HeatmapStyle) {
            bandwidthM = heat.bandwidthMetres; breakpoints = heat.breakpoints; colors = heat.colors
            steps = heat.steps; opacity = heat.opacity
        }
    }

    public init(style: Style) {
        var levels: [String: Level] = [:]
        for level in ZoneLevel.mapLevels where level != .grid || style.gridCellMetres != nil {
            guard let t = style.thresholds[level] else { continue }
            levels[level.rawValue] = Level(measure: t.measure.rawValue, units: Self.units(of: t.measure),
                                           breakpoints: ["yellow": t.yellow, "red": t.red])
        }
        zones = Zones(colors: Dictionary(uniqueKeysWithValues: style.colors.map { ($0.key.rawValue, $0.value) }),
                      fillOpacity: style.fillOpacity, levels: levels, minCasesRed: style.minCasesRed)
        heat = Heat(style.heatmap)
        categories = Dictionary(style.categories.map { ($0.key, $0.weight) }, uniquingKeysWith: { a, _ in a })
        self.style = style.file
        significance = Significance()
    }

    /// What a level's breakpoints are in, for people reading the legend.
    static func units(of measure: ThresholdMeasure) -> String {
        switch measure {
        case .score: "score (sum of the weights of the cases in the window)"
        case .density: "score per km²"
        case .quantile: "share of the level's zones scoring less (0..1)"
        }
    }

    /// One line, keys sorted, a newline at the end.
    public func jsonText() -> String { DocumentJSON.text(self) + "\n" }
}
