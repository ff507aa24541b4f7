/// One of N parts of a tile pyramid, for rendering on several machines (`riskmap run --shard K/N`).
///
/// A tile belongs to shard `hash(z, x, y) mod N`: the same on every machine and every run, and
/// spread evenly whatever the shape of the area (neighbouring tiles land on different shards, so
/// no shard gets all of the dense centre).
public struct TileShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based, as people count shards (Kubernetes' completion index + 1, Slurm's array task id).
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    public static let whole = TileShard(index: 1, count: 1)!

    public func contains(_ tile: TileID) -> Bool {
        count == 1 || Int(Self.hash(tile) % UInt64(count)) == index - 1
    }

    public var description: String { "\(index)/\(count)" }

    /// SplitMix64 of the packed tile id: stable across platforms and Swift versions (unlike `Hasher`).
    static func hash(_ t: TileID) -> UInt64 {
        var z = UInt64(t.z) << 58 ^ UInt64(t.x) << 29 ^ UInt64(t.y)
        z = z &+ 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
