import Foundation
import Geometry
import Model
import TOMLKit

/// The `[gi]` table of a style: how local Getis-Ord Gi* finds significant hot and cold spots.
/// Every key is optional (these are the defaults); a key that is present must be valid, or the style is
/// refused with an error naming the file and the key.
public struct GiStyle: Sendable, Equatable {
    /// Which zones are neighbours.
    public enum Weights: Sendable, Equatable {
        /// Shapes that touch or come within 1 m (`SpatialWeights.queen`): interface.md's definition.
        case queen
        /// Centroids within this many metres (`SpatialWeights.distanceBand`).
        case distance(metres: Double)
    }
    public var weights: Weights = .queen
    /// Conditional permutations for a pseudo p-value beside the analytic one; 0: analytic only.
    public var permutations: Int = 0
    /// Seed of the permutations' random stream: equal seeds, equal pseudo p-values.
    public var seed: UInt64 = 0
    /// `tiles = true`: draw `tiles/hotspots/` (the finest level in its Gi* classes' colours). Off by
    /// default: a layer more costs a zone layer's time, and the four layers of interface.md stay the
    /// map's layers unless a bureau asks for more.
    public var tiles = false

    public init() {}

    /// The weights these settings ask for, over WGS84 shapes.
    public func spatialWeights(_ shapes: [MultiPolygon]) throws -> SpatialWeights {
        switch weights {
        case .queen: return try SpatialWeights.queen(shapes)
        case .distance(let metres): return try SpatialWeights.distanceBand(shapes, metres: metres)
        }
    }

    init(table: TOMLTable, file: String) throws {
        guard let keys = try OptionalKeys(table: table, name: "gi", file: file,
                                          known: ["weights", "distance_m", "permutations", "seed", "tiles"]) else { return }
        tiles = try keys.boolean("tiles") ?? false
        let kind = try keys.string("weights") ?? "queen"
        let distance = try keys.number("distance_m")
        switch kind {
        case "queen":
            weights = .queen
        case "distance":
            guard let distance else { throw keys.error("distance_m", "missing: weights = \"distance\" needs distance_m (metres)") }
            guard distance > 0, distance <= 1_000_000 else {
                throw keys.error("distance_m", "must be a number of metres in (0, 1000000], got \(distance)")
            }
            weights = .distance(metres: distance)
        default:
            throw keys.error("weights", "must be \"queen\" or \"distance\", got \"\(kind)\"")
        }
        if let p = try keys.integer("permutations") {
            guard (0...99_999).contains(p) else { throw keys.error("permutations", "must be 0...99999 (0: analytic p only), got \(p)") }
            permutations = p
        }
        if let s = try keys.integer("seed") {
            guard s >= 0 else { throw keys.error("seed", "must be a whole number ≥ 0, got \(s)") }
            seed = UInt64(s)
        }
    }
}

/// The `[emerging]` table of a style: the time steps of the emerging hot spot analysis.
public struct EmergingStyle: Sendable, Equatable {
    /// Days per time step (a week by default).
    public var stepDays: Int = 7
    /// Time steps, the last ending at the as-of day.
    public var steps: Int = 12
    /// `tiles = true`: draw `tiles/emerging/` in runs with `--db` (off by default, as `[gi] tiles`).
    public var tiles = false

    public init() {}
    public init(stepDays: Int, steps: Int) { self.stepDays = stepDays; self.steps = steps }

    init(table: TOMLTable, file: String) throws {
        guard let keys = try OptionalKeys(table: table, name: "emerging", file: file, known: ["step_days", "steps", "tiles"]) else { return }
        tiles = try keys.boolean("tiles") ?? false
        if let d = try keys.integer("step_days") {
            guard (1...366).contains(d) else { throw keys.error("step_days", "must be 1...366 days, got \(d)") }
            stepDays = d
        }
        if let s = try keys.integer("steps") {
            guard (2...1_000).contains(s) else { throw keys.error("steps", "must be 2...1000 (a trend needs two steps), got \(s)") }
            steps = s
        }
    }
}

/// Typed, optional access to the keys of one optional table; errors name `TABLE.KEY`.
struct OptionalKeys {
    let table: TOMLTable
    let name: String
    let file: String

    /// nil when the style has no such table. A key not in `known` is refused: a misspelt setting would
    /// otherwise be ignored in silence.
    init?(table root: TOMLTable, name: String, file: String, known: [String]) throws {
        guard let value = root[name] else { return nil }
        guard let t = value.table else { throw InputError(file: file, location: "key '\(name)'", "must be a table") }
        table = t; self.name = name; self.file = file
        if let unknown = t.keys.sorted().first(where: { !known.contains($0) }) {
            throw error(unknown, "unknown key; [\(name)] knows \(known.joined(separator: ", "))")
        }
    }

    func error(_ key: String, _ message: String) -> InputError {
        InputError(file: file, location: "key '\(name).\(key)'", message)
    }
    func number(_ key: String) throws -> Double? {
        guard let v = table[key] else { return nil }
        guard let d = v.double ?? v.int.map(Double.init), d.isFinite else { throw error(key, "must be a number") }
        return d
    }
    func integer(_ key: String) throws -> Int? {
        guard let v = table[key] else { return nil }
        guard let i = v.int else { throw error(key, "must be a whole number") }
        return i
    }
    func boolean(_ key: String) throws -> Bool? {
        guard let v = table[key] else { return nil }
        guard let b = v.bool else { throw error(key, "must be true or false") }
        return b
    }
    func string(_ key: String) throws -> String? {
        guard let v = table[key] else { return nil }
        guard let s = v.string else { throw error(key, "must be text in quotes") }
        return s
    }
}
