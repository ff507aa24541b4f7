/// The top-level `id` of the features riskmap writes (zones and cases): a number, because MapLibre's
/// feature-state, OpenLayers' `getFeatureById` and vector-tile encoders want whole numbers.
///
/// When every id of the file is a whole number written plainly (digits, no leading zero, below 2^53,
/// none twice), as administrative codes are (`440304001`), the feature id is that number: a dashboard
/// can address a zone by its code. Otherwise (ids such as `S01`, `C-0042`) it is the feature's position
/// in the file, from 1. Either way `properties.id` keeps the id as a string.
public enum FeatureNumber {
    /// 2^53: the largest range of whole numbers a JavaScript number holds exactly.
    static let limit: UInt64 = 1 << 53

    /// The feature numbers of `ids`, in order.
    public static func of<C: Collection>(_ ids: C) -> [UInt64] where C.Element == String {
        var numbers: [UInt64] = []
        numbers.reserveCapacity(ids.count)
        var seen = Set<UInt64>()
        for id in ids {
            guard let n = plainNumber(id), seen.insert(n).inserted else {
                return (0..<ids.count).map { UInt64($0 + 1) }
            }
            numbers.append(n)
        }
        return numbers
    }

    /// `id` as a whole number when it is written as one (no sign, no leading zero, no spaces).
    static func plainNumber(_ id: String) -> UInt64? {
        let digits = id.utf8
        guard let first = digits.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              first != UInt8(ascii: "0") || digits.count == 1, digits.count <= 16,
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let n = UInt64(id), n < limit else { return nil }
        return n
    }
}
