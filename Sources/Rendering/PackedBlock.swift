import Foundation

/// One 256 × 256 block of a `FixedDensity` in a few bytes per pixel: the Int64 sums in raster order,
/// each as the difference from the value before it (zig-zag, LEB128 varint), and a run of equal
/// values as a 0 byte and the run's length (varint). A non-zero difference never starts with a 0
/// byte, so the two cannot be confused.
///
/// Why: the densities are smooth (a kernel spans ~30 pixels), so neighbouring sums differ by a few
/// bytes' worth, and wide stretches between the cases do not change at all. Packed, the store level
/// takes about a fifth of its 8 bytes a pixel — in memory and in the tile state file, which held the
/// Int64 blocks verbatim (905 MB for the ladder's area ×4). The encoding is a function of the values
/// alone, so two fields are equal exactly when their packed blocks are.
public struct PackedBlock: Sendable, Equatable {
    public static let count = 256 * 256
    public let bytes: [UInt8]

    /// The packed form of `count` values.
    public init(_ values: UnsafeBufferPointer<Int64>) {
        precondition(values.count == Self.count)
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        var previous: Int64 = 0, i = 0
        while i < values.count {
            let v = values[i]
            if v == previous {
                var end = i + 1
                while end < values.count && values[end] == previous { end += 1 }
                out.append(0)
                Self.appendVarint(UInt64(end - i), to: &out)
                i = end
            } else {
                let delta = v &- previous
                Self.appendVarint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)), to: &out)
                previous = v
                i += 1
            }
        }
        bytes = out
    }

    /// Bytes read from a file, unchecked: `unpack` tells whether they are a block.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Writes the block's values into `out` (`count` of them); false when the bytes are not exactly one
    /// block (a damaged file).
    public func unpack(into out: UnsafeMutablePointer<Int64>) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var p = 0, i = 0, previous: Int64 = 0
            func varint() -> UInt64? {
                var v: UInt64 = 0, shift: UInt64 = 0
                while p < b.count, shift < 64 {
                    let byte = b[p]
                    p += 1
                    v |= UInt64(byte & 0x7F) << shift
                    if byte < 0x80 { return v }
                    shift += 7
                }
                return nil
            }
            while i < Self.count {
                guard p < b.count else { return false }
                if b[p] == 0 {
                    p += 1
                    guard let run = varint(), run > 0, run <= UInt64(Self.count - i) else { return false }
                    (out + i).update(repeating: previous, count: Int(run))
                    i += Int(run)
                } else {
                    guard let z = varint() else { return false }
                    previous = previous &+ (Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
                    out[i] = previous
                    i += 1
                }
            }
            return p == b.count
        }
    }

    /// The block's values, or nil when the bytes are not one block.
    public func unpacked() -> [Int64]? {
        var values = [Int64](repeating: 0, count: Self.count)
        let ok = values.withUnsafeMutableBufferPointer { unpack(into: $0.baseAddress!) }
        return ok ? values : nil
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

extension PackedBlock: Sequence {
    /// The block's values in raster order (none for bytes that are not a block).
    public func makeIterator() -> IndexingIterator<[Int64]> { (unpacked() ?? []).makeIterator() }
}
