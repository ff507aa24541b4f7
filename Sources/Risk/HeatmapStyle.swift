import Foundation
import Model
import TOMLKit

/// The `[heatmap]` table of a style: how case density is estimated and coloured.
///
/// Density is in absolute units — weighted cases per km² of ground within the window — so that the
/// breakpoints, and therefore the colours, mean the same at every zoom, in every tile and on every day.
/// Every key is optional (a style without `[heatmap]` gets these defaults); a key that is present must
/// be valid, or the style is refused with an error naming the file and the key.
public struct HeatmapStyle: Sendable, Equatable {
    /// Quartic-kernel bandwidth (search radius) in metres on the ground.
    public var bandwidthMetres: Double = 150
    /// Density values (weighted cases per km²) where the ramp reaches each colour; strictly increasing.
    /// Below the first the map is transparent; at and above the last it shows the last colour.
    public var breakpoints: [Double] = [100, 400, 1600]
    /// One `#RRGGBB` colour per breakpoint (upper-case).
    public var colors: [String] = ["#2E7D32", "#F9A825", "#C62828"]
    /// Palette shades between two neighbouring breakpoints (1 = flat classes, up to 32).
    public var steps: Int = 8
    /// Opacity of the heat layer's colours (0...1).
    public var opacity: Double = 0.8

    /// The density units written into `legend.json`.
    public static let units = "weighted cases per km² (quartic kernel)"

    public init() {}

    /// Reads `[heatmap]` from a parsed style; absent keys keep their defaults.
    init(table: TOMLTable, file: String) throws {
        guard let value = table["heatmap"] else { return }
        guard let heat = value.table else {
            throw InputError(file: file, location: "key 'heatmap'", "must be a table")
        }
        let keys = HeatKeys(table: heat, file: file)
        if let h = try keys.number("bandwidth_m") {
            // A bandwidth under a metre is no density map (the kernel would be finer than any tile's
            // pixel) and, near zero, overflows the density arithmetic; NaN fails both comparisons.
            guard h >= 1, h <= 100_000 else {
                throw keys.error("bandwidth_m", "must be a number of metres in 1...100000, got \(h)")
            }
            bandwidthMetres = h
        }
        if let b = try keys.numbers("breakpoints") { breakpoints = b }
        if let c = try keys.colors("colors") { colors = c }
        if let s = try keys.integer("steps") {
            guard (1...32).contains(s) else { throw keys.error("steps", "must be 1...32, got \(s)") }
            steps = s
        }
        if let o = try keys.number("opacity") {
            guard (0...1).contains(o) else { throw keys.error("opacity", "must be 0...1, got \(o)") }
            opacity = o
        }
        try validateRamp(keys)
    }

    /// Breakpoints must rise strictly and be matched one to one by colours; the palette (one
    /// transparent entry, `steps` shades per interval, the top colour) must fit in 256 entries.
    private func validateRamp(_ keys: HeatKeys) throws {
        guard !breakpoints.isEmpty else { throw keys.error("breakpoints", "must list at least one density") }
        for (i, b) in breakpoints.enumerated() {
            // Bounded so that the renderer's single-precision ramp stays finite (a denormal interval
            // would make its inverse width infinite).
            guard (1e-6...1e12).contains(b) else {
                throw keys.error("breakpoints", "entry \(i + 1) (\(b)) must be a positive density in 0.000001...1e12")
            }
            if i > 0, b <= breakpoints[i - 1] {
                throw keys.error("breakpoints", "out of order: \(b) follows \(breakpoints[i - 1]); they must increase")
            }
        }
        guard colors.count == breakpoints.count else {
            throw keys.error("colors", "\(colors.count) colours for \(breakpoints.count) breakpoints; give one per breakpoint")
        }
        guard 2 + (breakpoints.count - 1) * steps <= 256 else {
            throw keys.error("steps", "\(breakpoints.count) breakpoints × \(steps) steps exceed a 256-colour palette")
        }
    }
}

/// Typed, optional access to the keys of `[heatmap]`; errors name `heatmap.KEY`.
private struct HeatKeys {
    let table: TOMLTable
    let file: String

    func error(_ key: String, _ message: String) -> InputError {
        InputError(file: file, location: "key 'heatmap.\(key)'", message)
    }
    func number(_ key: String) throws -> Double? {
        guard let v = table[key] else { return nil }
        guard let d = v.double ?? v.int.map(Double.init) else { throw error(key, "must be a number") }
        return d
    }
    func integer(_ key: String) throws -> Int? {
        guard let v = table[key] else { return nil }
        guard let i = v.int else { throw error(key, "must be a whole number") }
        return i
    }
    func numbers(_ key: String) throws -> [Double]? {
        guard let v = table[key] else { return nil }
        guard let array = v.array else { throw error(key, "must be a list of numbers") }
        return try array.map { item in
            guard let d = item.double ?? item.int.map(Double.init) else { throw error(key, "must be a list of numbers") }
            return d
        }
    }
    /// `#RRGGBB` colours; anything else (names, short forms) is an unknown colour.
    func colors(_ key: String) throws -> [String]? {
        guard let v = table[key] else { return nil }
        guard let array = v.array else { throw error(key, "must be a list of colours \"#RRGGBB\"") }
        return try array.enumerated().map { i, item in
            guard let s = item.string, let colour = hexColour(s) else {
                throw error(key, "entry \(i + 1) (\(item.string.map { "\"\($0)\"" } ?? "not text")) is not a colour \"#RRGGBB\"")
            }
            return colour
        }
    }
}
