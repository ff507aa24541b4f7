import Foundation
import Input
import TOMLKit

/// A zone's risk level.
public enum RiskLevel: String, CaseIterable, Sendable, Codable, Comparable {
    case green, yellow, red
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One category of the style's vocabulary.
public struct CategoryRule: Sendable, Equatable {
    public var key: String
    public var words: [String]
    public var weight: Double
}

/// Score thresholds of one level.
public struct Thresholds: Sendable, Equatable {
    public var yellow: Double
    public var red: Double
}

/// The risk rules and colours of a style file (`styles/default.toml`).
public struct Style: Sendable {
    public var file: String
    /// The file's bytes, hashed into the report so that a map can be traced to its rules.
    public var contentHash: String
    public var windowDays: Int
    public var otherWeight: Double
    public var minCasesRed: Int
    public var categories: [CategoryRule]
    public var thresholds: [ZoneLevel: Thresholds]
    public var colors: [RiskLevel: String]
    public var fillOpacity: Double
    public var outline: String
    /// The heat layer: kernel bandwidth and colour ramp (`[heatmap]`, optional).
    public var heatmap: HeatmapStyle

    public static let otherCategory = "其他"

    /// Reads a style; every missing or mistyped key is an `InputError` naming the file and the key.
    public init(url: URL) throws {
        file = url.path
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, "cannot read the style file")
        }
        contentHash = fnv1a64Hex(data)
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw InputError(file: file, location: "line \(e.source.begin.line)", "not valid TOML: \(e.description)")
        }
        let keys = StyleKeys(table: table, file: file)
        windowDays = try keys.int("window_days", in: 1...3660)
        otherWeight = try keys.double("other_weight", in: 0...1000)
        minCasesRed = try keys.int("min_cases_red", in: 0...1_000_000)
        categories = try keys.categories()
        var thresholds: [ZoneLevel: Thresholds] = [:]
        for level in ZoneLevel.allCases {
            let t = Thresholds(yellow: try keys.double("thresholds.\(level.rawValue).yellow", in: 0...1e12),
                               red: try keys.double("thresholds.\(level.rawValue).red", in: 0...1e12))
            guard t.yellow <= t.red else {
                throw InputError(file: file, location: "thresholds.\(level.rawValue)", "yellow must not exceed red")
            }
            thresholds[level] = t
        }
        self.thresholds = thresholds
        var colors: [RiskLevel: String] = [:]
        for level in RiskLevel.allCases { colors[level] = try keys.color("colors.\(level.rawValue)") }
        self.colors = colors
        fillOpacity = try keys.double("colors.fill_opacity", in: 0...1)
        outline = try keys.color("colors.outline")
        heatmap = try HeatmapStyle(table: table, file: file)
    }

    /// The category keys a case's free-text category names; `其他` when none.
    public func categoryKeys(of text: String) -> [String] {
        let lower = text.lowercased()
        let keys = categories.filter { rule in rule.words.contains { lower.contains($0.lowercased()) } }.map(\.key)
        return keys.isEmpty ? [Style.otherCategory] : keys
    }

    /// The weight of one case: its heaviest category.
    public func weight(ofCategories keys: [String]) -> Double {
        keys.map { key in categories.first { $0.key == key }?.weight ?? otherWeight }.max() ?? otherWeight
    }
}

/// Typed access to a style's keys with errors that name the key.
private struct StyleKeys {
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
        guard let s = try value(key).string, s.count == 7, s.hasPrefix("#"), UInt32(s.dropFirst(), radix: 16) != nil else {
            throw InputError(file: file, location: "key '\(key)'", "must be a colour \"#RRGGBB\"")
        }
        return s.uppercased()
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
}

/// FNV-1a, 64 bit: a stable fingerprint of the style file for the report (not for security).
func fnv1a64Hex(_ data: Data) -> String {
    var h: UInt64 = 0xcbf29ce484222325
    for b in data { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return String(format: "%016llx", h)
}
