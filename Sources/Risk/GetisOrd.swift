import Foundation
import Support

/// A zone's hot/cold spot class after the Benjamini–Hochberg cut: hot (z > 0) or cold (z < 0) at the
/// strictest of q = 0.01 / 0.05 / 0.10 it passes (99 / 95 / 90 %), or none.
public enum GiClass: String, Sendable, CaseIterable, Codable {
    case hot99, hot95, hot90, cold99, cold95, cold90, none

    public var isHot: Bool { self == .hot99 || self == .hot95 || self == .hot90 }
    public var isCold: Bool { self == .cold99 || self == .cold95 || self == .cold90 }
}

/// One location's local Getis-Ord Gi*: z-score, two-sided p-value and class.
public struct GiStar: Sendable, Equatable {
    public var z: Double
    public var p: Double
    public var giClass: GiClass
    public init(z: Double, p: Double, giClass: GiClass) { self.z = z; self.p = p; self.giClass = giClass }
    /// What an undefined z is reported as.
    public static let undefined = GiStar(z: 0, p: 1, giClass: .none)
}

/// Local Getis-Ord Gi* (the zone itself included, binary weights), as PySAL's
/// `esda.G_Local(y, w, transform='B', star=True)` computes it: for location i with neighbourhood N(i)
/// (its neighbours and itself, c_i members) among n locations of mean ȳ and population variance s²,
///
///     z_i = (Σ_{j∈N(i)} y_j − c_i·ȳ) / (s · sqrt(c_i·(n − c_i) / (n − 1)))
///
/// (esda's (G − E[G]) / sqrt(V[G]) with G_i = Σ_{N(i)} y / Σ y, multiplied through by Σ y).
public enum GetisOrd {
    /// Benjamini–Hochberg levels of the classes, strictest first.
    static let levels: [(q: Double, hot: GiClass, cold: GiClass)] = [(0.01, .hot99, .cold99), (0.05, .hot95, .cold95),
                                                                      (0.10, .hot90, .cold90)]

    /// Local Gi* of `values` (the zones' densities): analytic z under the normal approximation, two-sided
    /// p = erfc(|z|/√2) (twice esda's one-sided `p_norm`); classes after Benjamini–Hochberg over all
    /// locations at q = 0.01/0.05/0.10 (hot when z > 0). Undefined z (the neighbourhood holds every
    /// location, all values equal, a zero mean, or a value that is not finite) → z 0, p 1, class none.
    public static func giStar(_ values: [Double], weights: SpatialWeights) -> [GiStar] {
        precondition(values.count == weights.count, "one value per location of the weights")
        let n = values.count
        // A non-finite value (a density over a zero area) leaves no mean to compare with: undefined.
        guard n > 1, values.allSatisfy(\.isFinite), let lo = values.min(), let hi = values.max(), lo < hi else {
            return Array(repeating: .undefined, count: n)
        }
        let mean = values.reduce(0, +) / Double(n)
        // Two passes: the variance of densities is not left to cancellation in E[y²] − ȳ².
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        guard mean != 0, variance > 0, variance.isFinite else { return Array(repeating: .undefined, count: n) }
        let s = variance.squareRoot() * (mean < 0 ? -1 : 1)   // esda divides by ȳ² under a square root: its z keeps ȳ's sign
        let (offsets, indices) = weights.flattened
        let zs = (try? parallelFill(n, parts: parts(n), initial: Double.nan) { range, out in
            for i in range {
                var sum = values[i]
                for k in offsets[i]..<offsets[i + 1] { sum += values[Int(indices[k])] }
                let c = Double(offsets[i + 1] - offsets[i] + 1)
                let spread = c * (Double(n) - c) / Double(n - 1)
                out[i] = spread > 0 ? (sum - c * mean) / (s * spread.squareRoot()) : .nan
            }
        }) ?? []
        return classify(zs)
    }

    /// Two-sided p-values and BH classes of z-scores; a NaN z (undefined) is reported as `undefined`.
    static func classify(_ zs: [Double]) -> [GiStar] {
        let ps = zs.map { $0.isNaN ? 1 : twoSidedP($0) }
        let significant = levels.map { benjaminiHochberg(ps, q: $0.q) }
        return zs.indices.map { i in
            let z = zs[i]
            guard !z.isNaN else { return .undefined }
            var giClass = GiClass.none
            for (level, sig) in zip(levels, significant) where sig[i] && z != 0 {
                giClass = z > 0 ? level.hot : level.cold
                break
            }
            return GiStar(z: z, p: ps[i], giClass: giClass)
        }
    }

    /// P(|Z| ≥ |z|) for a standard normal Z, from erfc: exact in the far tails, where 1 − Φ would round to 0.
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// The BH cut: indices significant at q. As `esda.fdr`: with p sorted ascending, k is the largest rank
    /// with p_(k) < k·q/n (strictly), and location i is significant when p_i < k·q/n; none when no rank
    /// qualifies.
    public static func benjaminiHochberg(_ p: [Double], q: Double) -> [Bool] {
        let n = p.count
        guard n > 0 else { return [] }
        let sorted = p.sorted()
        var cut = -Double.infinity
        for k in stride(from: n, through: 1, by: -1) {
            let line = Double(k) * q / Double(n)
            if sorted[k - 1] < line { cut = line; break }
        }
        return p.map { $0 < cut }
    }

    /// Seeded conditional-permutation pseudo p-values, as esda's `p_sim` (its default "directed"
    /// alternative): for each of `permutations` draws, location i's neighbours are replaced by as many
    /// values drawn without replacement from the other n − 1 locations (one draw of the largest
    /// neighbourhood per permutation, shared by every location, as esda does), its own value kept;
    /// with `larger` the draws whose sum reaches the observed one, folded to the smaller tail,
    /// p = (larger + 1) / (permutations + 1). A location without neighbours gets p = 1. The draws come
    /// from a SplitMix64 stream seeded with `seed`, so equal seeds give equal p-values (not esda's).
    public static func permutationP(_ values: [Double], weights: SpatialWeights, permutations: Int, seed: UInt64) -> [Double] {
        let n = values.count
        guard n > 1, permutations > 0 else { return Array(repeating: 1, count: n) }
        let (offsets, indices) = weights.flattened
        let widest = (0..<n).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        guard widest > 0 else { return Array(repeating: 1, count: n) }
        let draws = drawOthers(count: n - 1, take: min(widest, n - 1), permutations: permutations, seed: seed)
        let take = min(widest, n - 1)
        return (try? parallelFill(n, parts: parts(n), initial: 1.0) { range, out in
            for i in range {
                let k = min(offsets[i + 1] - offsets[i], n - 1)
                guard k > 0 else { continue }
                var observed = 0.0
                for m in offsets[i]..<offsets[i + 1] { observed += values[Int(indices[m])] }
                var larger = 0
                for r in 0..<permutations {
                    var sum = 0.0
                    let row = r * take
                    // Index m of the others is location m below i, m + 1 from i on.
                    for m in 0..<k { let o = Int(draws[row + m]); sum += values[o < i ? o : o + 1] }
                    if sum >= observed { larger += 1 }
                }
                if permutations - larger < larger { larger = permutations - larger }
                out[i] = Double(larger + 1) / Double(permutations + 1)
            }
        }) ?? []
    }

    /// `permutations` rows of `take` distinct indices in 0..<count: a partial Fisher–Yates shuffle of
    /// one running permutation (still uniform: each shuffle starts from a uniformly random order).
    static func drawOthers(count: Int, take: Int, permutations: Int, seed: UInt64) -> [Int32] {
        var rng = SplitMix64(seed: seed)
        var deck = (0..<count).map(Int32.init)
        var out = [Int32](repeating: 0, count: permutations * take)
        for r in 0..<permutations {
            for m in 0..<take {
                let pick = m + Int(rng.next(below: UInt64(count - m)))
                deck.swapAt(m, pick)
                out[r * take + m] = deck[m]
            }
        }
        return out
    }

    static func parts(_ n: Int) -> Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, n / 8_192 + 1)) }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, seedable generator with a fixed sequence per seed
/// on every platform (Swift's SystemRandomNumberGenerator cannot be seeded).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<bound (Lemire's multiply-shift with rejection: no modulo bias).
    mutating func next(below bound: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }
}
