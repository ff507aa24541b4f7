import Foundation
import Geometry
import Model
import Output
import Risk

/// A level's zones and their neighbours (the style's `[gi]` weights) from the zone GeoJSON of an output
/// folder: what `stats` needs for Gi* (`--sort gi` on the database, `--explain`), since the database keeps
/// no shapes.
struct LevelNeighbours {
    var ids: [String]
    var weights: SpatialWeights

    init(out: URL, level: ZoneLevel, style: Style) throws {
        let features = try Self.features(out: out, level: level, need: "Gi* needs the zones' shapes for their neighbours")
        ids = features.map(\.properties.id)
        weights = try style.gi.spatialWeights(features.map(\.geometry.shape))
    }

    /// The features of the zone file of `level` in `out`; `need` says, when it is missing, what for.
    static func features(out: URL, level: ZoneLevel, need: String) throws -> [ZoneFeature] {
        let url = out.appendingPathComponent(level.fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, "not found: \(need); "
                             + "run `riskmap run --out \(out.path)` first (or give --out the run's folder)")
        }
        do {
            return try DocumentJSON.decode(ZoneCollection.self, from: data).features
        } catch {
            throw InputError(file: url.path, "not a zone GeoJSON riskmap writes: \(DocumentJSON.describe(error))")
        }
    }

    /// The weights in the order of `order` (zone ids); nil when the folder holds other zones.
    func weights(inOrderOf order: [String]) -> SpatialWeights? {
        let position = Dictionary(order.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        guard order.count == ids.count, ids.allSatisfy({ position[$0] != nil }) else { return nil }
        var neighbours = [[Int32]](repeating: [], count: order.count)
        for (i, id) in ids.enumerated() {
            neighbours[Int(position[id]!)] = weights.neighbours[i].map { position[ids[Int($0)]]! }.sorted()
        }
        return SpatialWeights(neighbours: neighbours)
    }

    /// `stats` in the order of the folder's file with Gi* assigned; an error when the two do not hold
    /// the same zones (the folder is of other boundaries than the database's last run).
    func assigningGi(_ stats: [ZoneStats], style: Style, file: String) throws -> [ZoneStats] {
        let byID = Dictionary(stats.map { ($0.zone.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard byID.count == ids.count, ids.allSatisfy({ byID[$0] != nil }) else {
            throw InputError(file: file, "holds other zones than the database (\(ids.count) against \(byID.count)): "
                             + "give --out the folder of a run with this database's boundaries")
        }
        var ordered = ids.compactMap { byID[$0] }
        ZoneSignificance.assignGi(&ordered, weights: weights, style: style.gi)
        return ordered
    }

    /// The Gi* sum of zone `id` over `values` (densities in the file's order), term by term, so that
    /// anyone can redo it: the zone and its neighbours, their densities, and the z-score's parts.
    func text(id: String, densities values: [Double]) -> String? {
        guard let i = ids.firstIndex(of: id), values.count == ids.count else { return nil }
        let n = Double(values.count)
        let members = [i] + weights.neighbours[i].map(Int.init)
        let c = Double(members.count)
        let sum = members.reduce(0) { $0 + values[$1] }
        let mean = values.reduce(0, +) / n
        let s = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let spread = c * (n - c) / (n - 1)
        let gi = GetisOrd.giStar(values, weights: weights)[i]
        var lines = ["Gi* (local Getis-Ord, the zone and its neighbours, density in cases/km²):"]
        lines.append("  neighbours (\(members.count - 1)): " + members.dropFirst()
            .map { "\(ids[$0]) \(String(format: "%.2f", values[$0]))" }.joined(separator: ", "))
        lines.append(String(format: "  Σ density = %.2f (itself %.2f) over c = %d of n = %d zones; mean %.4f, sd %.4f",
                            sum, values[i], members.count, values.count, mean, s))
        if spread > 0 && s > 0 {
            lines.append(String(format: "  z = (Σ − c·mean) / (sd·√(c(n−c)/(n−1))) = (%.2f − %.2f) / %.4f = %.4f",
                                sum, c * mean, s * spread.squareRoot(), gi.z))
        } else {
            lines.append("  z undefined (the neighbourhood holds every zone, or all densities are equal): 0")
        }
        lines.append(String(format: "  p = %.3g (two-sided); class %@ (Benjamini–Hochberg over the level at q = 0.01/0.05/0.10)",
                            gi.p, gi.giClass.rawValue))
        return lines.joined(separator: "\n")
    }
}
