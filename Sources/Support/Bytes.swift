import Foundation

/// Reads the little binary formats riskmap keeps for itself (the tile state beside the tiles, the
/// geocode cache's answers in the case database) over raw bytes: reading is what those caches do most,
/// and a pointer is several times faster than `Data`'s subscripts. Every read returns nil past the end
/// or on a malformed field, never traps.
public struct ByteReader {
    public let raw: UnsafeRawBufferPointer
    public private(set) var offset = 0
    public init(raw: UnsafeRawBufferPointer) { self.raw = raw }

    public var remaining: Int { raw.count - offset }
    public var atEnd: Bool { offset == raw.count }

    public mutating func byte() -> UInt8? {
        guard offset < raw.count else { return nil }
        defer { offset += 1 }
        return raw[offset]
    }

    /// The next `n` bytes (a view into the buffer).
    public mutating func bytes(_ n: Int) -> UnsafeRawBufferPointer? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + n])
    }

    /// A line of text ending in `\n` within the next `limit` bytes, without the `\n`.
    public mutating func line(limit: Int = 64) -> String? {
        let window = raw[offset..<min(raw.count, offset + limit)]
        guard let end = window.firstIndex(of: 0x0A) else { return nil }
        defer { offset = end + 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<end]), as: UTF8.self)
    }

    public mutating func uint32() -> UInt32? { integer() }
    public mutating func uint64() -> UInt64? { integer() }

    /// A little-endian integer.
    private mutating func integer<T: FixedWidthInteger>() -> T? {
        guard let b = bytes(MemoryLayout<T>.size) else { return nil }
        return T(littleEndian: b.loadUnaligned(as: T.self))
    }

    /// A text written by `ByteWriter.text`; nil: malformed, .some(nil): a nil text.
    public mutating func text() -> String?? {
        var n = 0, shift = 0
        while true {
            guard let b = byte(), shift < 35 else { return nil }
            n |= Int(b & 0x7F) << shift
            shift += 7
            if b < 0x80 { break }
        }
        guard n > 0 else { return .some(nil) }
        guard let b = bytes(n - 1) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// A number written by `ByteWriter.number`; nil: malformed, .some(nil): a nil number.
    public mutating func number() -> Double?? {
        guard let present = byte(), present <= 1 else { return nil }
        guard present == 1 else { return .some(nil) }
        guard let bits = uint64() else { return nil }
        return .some(Double(bitPattern: bits))
    }
}

/// Writes what `ByteReader` reads.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []
    public init(reserving n: Int = 0) { bytes.reserveCapacity(n) }

    public mutating func byte(_ b: UInt8) { bytes.append(b) }
    /// A little-endian integer.
    public mutating func integer<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    /// A text as its UTF-8 length plus one (LEB128; 0 for nil), then its bytes.
    public mutating func text(_ s: String?) {
        guard let s else { return bytes.append(0) }
        var n = s.utf8.count + 1
        while n >= 0x80 { bytes.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        bytes.append(UInt8(n))
        bytes.append(contentsOf: s.utf8)
    }
    /// A number as a presence byte (0: nil) and its 8 IEEE 754 bytes, little-endian.
    public mutating func number(_ x: Double?) {
        guard let x else { return bytes.append(0) }
        bytes.append(1)
        integer(x.bitPattern)
    }
}

extension Data {
    /// Appends a little-endian integer.
    public mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// FNV-1a, 64 bit, as 16 hex digits: a stable fingerprint of a file (style, boundaries, gazetteer) for
/// the report and the caches' keys (not for security).
public func fnv1a64Hex(_ data: Data) -> String {
    // Over the raw bytes: `Data`'s iterator costs several nanoseconds a byte, and the tile state the
    // output marker fingerprints can be hundreds of megabytes.
    String(format: "%016llx", data.withUnsafeBytes { fnv1a64($0) })
}

public func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}

/// A text as a dictionary key by its UTF-8 bytes: String hashes non-ASCII text by its normal form, which
/// costs a microsecond an address, as much as the rest of a cache hit.
public struct UTF8Key: Hashable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    public func hash(into hasher: inout Hasher) {
        if text.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }
}
