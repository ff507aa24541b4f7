import Foundation
import Support
import Model
import TOMLKit

/// One category of the style's vocabulary.
public struct CategoryRule: Sendable, Equatable {
    public var key: String
    public var words: [String]
    public var weight: Double
}

/// What a level's thresholds are compared with.
public enum ThresholdMeasure: String, Sendable, CaseIterable {
    /// The zone's score.
    case score
    /// The zone's score per km² of its area: fair between small and large zones.
    case density
    /// The share of the level's zones that score strictly less than the zone (0..1): relative ranking.
    case quantile
}

/// Thresholds of one level: measure ≥ yellow → yellow, measure ≥ red → red.
public struct Thresholds: Sendable, Equatable {
    public var measure: ThresholdMeasure
    public var yellow: Double
    public var red: Double
    public init(measure: ThresholdMeasure = .score, yellow: Double, red: Double) {
        self.measure = measure; self.yellow = yellow; self.red = red
    }
}

/// Cases at the same normalised address N or more times in the window weigh extra: a persistent
/// nuisance at one door matters more than the same count spread over a community.
public struct RepeatRule: Sendable, Equatable {
    public var minCases: Int
    /// Each such case weighs (1 + extra) times its weight.
    public var extra: Double
}

/// How `hotspots.geojson` finds the density peaks of the cases.
public struct HotspotRule: Sendable, Equatable {
    public var count: Int
    public var cellMetres: Double
}

/// The risk rules and colours of a style file (`styles/default.toml`).
public struct Style: Sendable {
    public var file: String
    /// The file's bytes, hashed into the report so that a map can be traced to its rules.
    public var contentHash: String
    public var windowDays: Int
    public var otherWeight: Double
    public var minCasesRed: Int
    /// 0: no decay; else a case `age` days old weighs 0.5^(age / halfLifeDays).
    public var halfLifeDays: Double
    public var repeatRule: RepeatRule
    public var hotspots: HotspotRule
    /// What `stats --repeats` and `repeats.csv` list (`[repeats]`, optional).
    public var repeats: RepeatsRule
    public var categories: [CategoryRule]
    public var thresholds: [ZoneLevel: Thresholds]
    public var colors: [RiskLevel: String]
    public var fillOpacity: Double
    public var outline: String
    /// The heat layer: kernel bandwidth and colour ramp (`[heatmap]`, optional).
    public var heatmap: HeatmapStyle
    /// The viewer's basemap (`[basemap]`, optional; see `Basemap`); nil: none, the viewer works offline.
    public var basemap: Basemap?
    /// `[grid] cell_m`: the grid level's cell size in metres (optional); nil: the map has no grid.
    public var gridCellMetres: Double?
    /// Local Getis-Ord Gi* (`[gi]`, optional): the spatial weights and permutations.
    public var gi: GiStyle
    /// Emerging hot spots (`[emerging]`, optional): the time steps.
    public var emerging: EmergingStyle

    public static let otherCategory = "其他"

    /// What `file` says for the style built into the binary (report.json's `style.file`).
    public static let builtInName = "built-in"

    /// The text of the built-in style (styles/default.toml at build time), for `riskmap style --print`.
    public static var builtInText: String { DefaultStyle.toml }

    /// The built-in style: the one every command uses without `--style`.
    public static func builtIn() throws -> Style {
        try Style(data: Data(DefaultStyle.toml.utf8), file: builtInName)
    }

    /// The style of `--style FILE`, or the built-in one when no file is given.
    public static func load(_ url: URL?) throws -> Style {
        guard let url else { return try builtIn() }
        return try Style(url: url)
    }

    /// Reads a style; every missing or mistyped key is an `InputError` naming the file and the key.
    public init(url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, "cannot read the style file")
        }
        try self.init(data: data, file: url.path)
    }

    /// A style from the bytes of a TOML file; `file` names it in errors and in the report.
    public init(data: Data, file: String) throws {
        self.file = file
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, "cannot read the style file: not UTF-8 text")
        }
        contentHash = fnv1a64Hex(data)
        if let line = malformedTableHeader(text) {
            throw InputError(file: file, location: "line \(line)", "not valid TOML: a table header must start with a key")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw InputError(file: file, location: "line \(e.source.begin.line)", "not valid TOML: \(e.description)")
        }
        let keys = StyleKeys(table: table, file: file)
        windowDays = try keys.int("window_days", in: 1...3660)
        otherWeight = try keys.double("other_weight", in: 0...1000)
        minCasesRed = try keys.int("min_cases_red", in: 0...1_000_000)
        halfLifeDays = try keys.double("half_life_days", in: 0...3660)
        repeatRule = RepeatRule(minCases: try keys.int("repeat.min_cases", in: 2...1_000_000),
                                extra: try keys.double("repeat.extra", in: 0...100))
        hotspots = HotspotRule(count: try keys.int("hotspots.count", in: 0...10_000),
                               cellMetres: try keys.double("hotspots.cell_m", in: 10...10_000))
        repeats = try RepeatsRule(table: table, file: file)
        categories = try keys.categories()
        thresholds = try Dictionary(uniqueKeysWithValues: ZoneLevel.allCases.map { ($0, try keys.thresholds($0)) })
        gridCellMetres = table["grid"] == nil ? nil : try keys.double("grid.cell_m", in: 10...1_000_000)
        // The grid's thresholds are optional: by default a cell is yellow above 90 % of the cells and
        // red above 97 % (with min_cases_red), since a cell's count depends on its size.
        thresholds[.grid] = table["thresholds"]?.table?["grid"] == nil
            ? Thresholds(measure: .quantile, yellow: 0.90, red: 0.97) : try keys.thresholds(.grid)
        colors = try Dictionary(uniqueKeysWithValues: RiskLevel.allCases.map { ($0, try keys.color("colors.\($0.rawValue)")) })
        fillOpacity = try keys.double("colors.fill_opacity", in: 0...1)
        outline = try keys.color("colors.outline")
        heatmap = try HeatmapStyle(table: table, file: file)
        basemap = try Basemap(table: table, file: file)
        gi = try GiStyle(table: table, file: file)
        emerging = try EmergingStyle(table: table, file: file)
    }

    /// Every category key of the style, `其他` last.
    public var categoryKeys: [String] { categories.map(\.key) + [Style.otherCategory] }

    /// The weight of one case of category `key`.
    public func weight(of key: String) -> Double {
        categories.first { $0.key == key }?.weight ?? otherWeight
    }
}

/// Typed access to a style's keys with errors that name the key.
struct StyleKeys {
    let table: TOMLTable
    let file: String

    func value(_ dotted: String) throws -> TOMLValueConvertible {
        var node: TOMLValueConvertible = table
        for part in dotted.split(separator: ".") {
            guard let t = node.table, let next = t[String(part)] else {
                throw InputError(file: file, location: "key '\(dotted)'", "missing")
            }
            node = next
        }
        return node
    }
    func double(_ key: String, in range: ClosedRange<Double>) throws -> Double {
        let v = try value(key)
        guard let d = v.double ?? v.int.map(Double.init) else {
            throw InputError(file: file, location: "key '\(key)'", "must be a number")
        }
        guard range.contains(d) else {
            throw InputError(file: file, location: "key '\(key)'", "\(d) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return d
    }
    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let i = try value(key).int else {
            throw InputError(file: file, location: "key '\(key)'", "must be a whole number")
        }
        guard range.contains(i) else {
            throw InputError(file: file, location: "key '\(key)'", "\(i) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }
    func color(_ key: String) throws -> String {
        guard let s = try value(key).string, let colour = hexColour(s) else {
            throw InputError(file: file, location: "key '\(key)'", "must be a colour \"#RRGGBB\"")
        }
        return colour
    }
    func categories() throws -> [CategoryRule] {
        guard let t = try value("categories").table else {
            throw InputError(file: file, location: "key 'categories'", "must be a table")
        }
        return try t.keys.sorted().map { key in
            guard let words = try value("categories.\(key).words").array?.compactMap({ $0.string }), !words.isEmpty else {
                throw InputError(file: file, location: "key 'categories.\(key).words'", "must be a list of words")
            }
            return CategoryRule(key: key, words: words, weight: try double("categories.\(key).weight", in: 0...1000))
        }
    }
    /// `thresholds.LEVEL.{by, yellow, red}`; quantiles are shares 0..1.
    func thresholds(_ level: ZoneLevel) throws -> Thresholds {
        let prefix = "thresholds.\(level.rawValue)"
        let by = try value("\(prefix).by").string ?? ""
        guard let measure = ThresholdMeasure(rawValue: by) else {
            throw InputError(file: file, location: "key '\(prefix).by'",
                             "must be one of \(ThresholdMeasure.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        let range: ClosedRange<Double> = measure == .quantile ? 0...1 : 0...1e12
        let t = Thresholds(measure: measure, yellow: try double("\(prefix).yellow", in: range),
                           red: try double("\(prefix).red", in: range))
        guard t.yellow <= t.red else {
            throw InputError(file: file, location: "key '\(prefix)'", "yellow must not exceed red")
        }
        return t
    }
}

/// The line of the first table header whose key does not start with a key character or a quote
/// (`[=x]`, `[.a]`, `[é]`, `[` then a line break), or nil. toml++ (inside TOMLKit) asserts on such a
/// header — the process aborts — instead of reporting it; found by the style fuzz target. Such a
/// header is never valid TOML, so refusing it here changes no valid style. (A line of a multi-line
/// array that starts with a nested array is checked too; no style key holds nested arrays.)
func malformedTableHeader(_ text: String) -> Int? {
    for (i, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        guard rest.first == "[" else { continue }
        rest = rest.dropFirst()
        if rest.first == "[" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        guard let c = rest.first else { return i + 1 }
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "\"", "'", "]": continue
        default: return i + 1
        }
    }
    return nil
}

/// `s` upper-cased when it is exactly `#` and six ASCII hex digits, else nil. Checked on bytes: a sign
/// (`#+E7D32`, which `UInt32(_:radix:)` accepts) or full-width digits (`#２E7D32`, hex digits to
/// `Character.isHexDigit`) are not colours the renderer can read.
func hexColour(_ s: String) -> String? {
    let bytes = Array(s.utf8)
    guard bytes.count == 7, bytes[0] == UInt8(ascii: "#"), bytes.dropFirst().allSatisfy({ b in
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(b)
    }) else { return nil }
    return s.uppercased()
}

