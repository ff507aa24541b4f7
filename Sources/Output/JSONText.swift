import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small helpers to write JSON by hand: the GeoJSON writers stream large files with exact control
/// over number formatting (7 decimals for coordinates), which JSONEncoder does not give. The other
/// documents are written from their Codable types by `DocumentJSON`.
public enum JSONText {
    public static func string(_ s: String) -> String {
        var out = ""
        appendString(s, to: &out)
        return out
    }

    /// `optional(_:)` appended to `text`.
    public static func appendOptional(_ s: String?, to text: inout String) {
        if let s { appendString(s, to: &text) } else { text += "null" }
    }

    /// `string(_:)` appended to `text`. Most strings need no escape (no quote, backslash or control
    /// character: one pass over their bytes) and are copied whole.
    public static func appendString(_ s: String, to text: inout String) {
        let plain = s.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }
        text += "\""
        if plain { text += s } else { appendEscaped(s, to: &text) }
        text += "\""
    }

    private static func appendEscaped(_ s: String, to out: inout String) {
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
    }

    public static func optional(_ s: String?) -> String { s.map(string) ?? "null" }

    /// A number to its last bit (Swift's shortest round-trip digits), null when not finite.
    public static func exact(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : d.description
    }

    /// A number with at most `decimals` decimals and no trailing zeros ("114.0512345", "3", "0.5"),
    /// rounded as C's "%.*f" rounds (the text of earlier versions, `cNumber`).
    public static func number(_ d: Double, decimals: Int) -> String {
        var text = ""
        appendNumber(d, decimals: decimals, to: &text)
        return text
    }

    /// `number(_:decimals:)` appended to `text`. Most numbers take `FixedDecimal`'s integer path (a
    /// tenth of vsnprintf's cost: a province's zone outlines are millions of coordinates); the few it
    /// cannot be sure of — within 10⁻⁷ of a tie, too large, not finite — take the C library's.
    public static func appendNumber(_ d: Double, decimals: Int, to text: inout String) {
        if let scaled = FixedDecimal.scaled(d, decimals: decimals) {
            FixedDecimal.append(scaled, decimals: decimals, to: &text)
        } else {
            text += cNumber(d, decimals: decimals)
        }
    }

    /// vsnprintf's "%.*f", trailing zeros trimmed: the reference `FixedDecimal` must equal.
    static func cNumber(_ d: Double, decimals: Int) -> String {
        guard d.isFinite else { return "null" }
        // %.Nf of the largest double has 309 integer digits.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 340 + decimals) { buffer in
            let p = buffer.baseAddress!
            var n = Int(withVaList([Int32(decimals), d]) { vsnprintf(p, buffer.count, "%.*f", $0) })
            if decimals > 0 {
                while n > 0 && p[n - 1] == 0x30 { n -= 1 }   // trailing '0'
                if n > 0 && p[n - 1] == 0x2E { n -= 1 }      // then a bare '.'
            }
            p[n] = 0
            let s = String(cString: p)
            return s == "-0" ? "0" : s
        }
    }

    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}

extension JSONText {
    /// A position of GeoJSON coordinates ("114.0512345,22.5412"), 7 decimals (about 1 cm).
    static func coordinate(_ position: [Double]) -> String {
        var text = ""
        appendCoordinate(position, to: &text)
        return text
    }

    /// `coordinate(_:)` appended to `text` (the zone outlines: one string for a whole outline).
    static func appendCoordinate(_ position: [Double], to text: inout String) {
        for (i, v) in position.enumerated() {
            if i > 0 { text += "," }
            appendNumber(v, decimals: 7, to: &text)
        }
    }
}

/// Fixed-point decimals as C's "%.*f" writes them — the exact binary value rounded, ties to even —
/// through integers: x·10ᵈ rounded, its error checked exactly with a fused multiply-add. Where that
/// check cannot tell (x·10ᵈ within 10⁻⁷ of a tie) or x·10ᵈ is beyond 2⁵², nil: the caller asks the
/// C library. Measured: the zone outlines of NYC with 10× the vertices (2 million coordinates) took
/// 2 s to write through vsnprintf.
enum FixedDecimal {
    private static let powers: [Double] = (0...9).map { (0..<$0).reduce(1.0) { a, _ in a * 10 } }
    private static let integerPowers: [Int64] = (0...9).map { (0..<$0).reduce(Int64(1)) { a, _ in a * 10 } }

    /// x·10ᵈ rounded as "%.{d}f" rounds it, or nil (see above); d in 0...9.
    @inline(__always)
    static func scaled(_ x: Double, decimals d: Int) -> Int64? {
        guard d >= 0 && d < powers.count else { return nil }
        let s = powers[d]
        let p = x * s
        guard abs(p) < 0x1p52 else { return nil }   // also false for NaN and infinities
        var r = p.rounded(.toNearestOrEven)
        // x·s − r with one rounding: exact where x's last bit is at least 2⁻⁵⁴, else within 2⁻⁵⁴ —
        // either way on the right side of ±0.5 once 10⁻⁷ away from it.
        let error = (-r).addingProduct(x, s)
        let distance = abs(abs(error) - 0.5)
        guard distance > 1e-7 else { return nil }
        if error > 0.5 { r += 1 } else if error < -0.5 { r -= 1 }
        return Int64(r)
    }

    /// The digits of scaled / 10ᵈ, trailing zeros trimmed, no sign for zero.
    static func append(_ scaled: Int64, decimals d: Int, to text: inout String) {
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)   // 32 bytes: sign, 16 digits, '.', 9
        withUnsafeMutableBytes(of: &buffer) { raw in
            var n = 0
            func put(_ b: UInt8) { raw[n] = b; n += 1 }
            if scaled < 0 { put(0x2D) }
            let magnitude = scaled.magnitude
            let unit = UInt64(integerPowers[d])
            var whole = magnitude / unit, fraction = magnitude % unit
            let wholeStart = n
            repeat { put(UInt8(0x30 + whole % 10)); whole /= 10 } while whole > 0
            reverse(raw, wholeStart, n)
            if fraction > 0 {
                put(0x2E)
                var digits = d
                while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
                let start = n
                for _ in 0..<digits { put(UInt8(0x30 + fraction % 10)); fraction /= 10 }
                reverse(raw, start, n)
            }
            text += String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<n]), as: UTF8.self)
        }
    }

    private static func reverse(_ raw: UnsafeMutableRawBufferPointer, _ start: Int, _ end: Int) {
        var i = start, j = end - 1
        while i < j { raw.swapAt(i, j); i += 1; j -= 1 }
    }
}
