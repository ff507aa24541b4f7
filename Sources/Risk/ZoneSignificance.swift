import Foundation
import Model

/// Puts the significance statistics on one level's zones: local Gi* of this window's densities, and
/// with the database's history the emerging hot spot category. The weights are the level's, made once
/// (`GiStyle.spatialWeights`) and used for both.
public enum ZoneSignificance {
    /// A zone's density as the zone GeoJSON writes it (`%.2f`): Gi* is computed on the value a reader of
    /// the file sees, so that anyone can recompute `gi_z` from the file (interface.md: "the value the
    /// zone GeoJSON carries").
    public static func writtenDensity(_ s: ZoneStats) -> Double {
        let d = s.density
        guard d.isFinite else { return 0 }
        return Double(String(format: "%.2f", d)) ?? d
    }

    /// `gi` (and with `[gi] permutations` the pseudo p-value) of every zone of `stats`, in place.
    public static func assignGi(_ stats: inout [ZoneStats], weights: SpatialWeights, style: GiStyle) {
        let values = stats.map(writtenDensity)
        let gi = GetisOrd.giStar(values, weights: weights)
        let pseudo = style.permutations > 0
            ? GetisOrd.permutationP(values, weights: weights, permutations: style.permutations, seed: style.seed) : nil
        for i in stats.indices {
            stats[i].gi = gi[i]
            stats[i].giPseudoP = pseudo?[i]
        }
    }

    /// The emerging hot spot category of every zone of `stats` from its case counts per step (`series`:
    /// zone id → counts, oldest first; zones without cases absent), in place.
    public static func assignEmerging(_ stats: inout [ZoneStats], series: [String: [Int]], steps: Int, weights: SpatialWeights) {
        let counts = stats.map { series[$0.zone.id] ?? Array(repeating: 0, count: steps) }
        let categories = EmergingHotSpots.analyse(counts: counts, areasKm2: stats.map(\.areaKm2), weights: weights)
        for i in stats.indices { stats[i].emerging = categories[i] }
    }
}
