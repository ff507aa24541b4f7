import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small helpers to write JSON by hand: the GeoJSON writers stream large files with exact control
/// over number formatting (7 decimals for coordinates), which JSONEncoder does not give. The other
/// documents are written from their Codable types by `DocumentJSON`.
public enum JSONText {
    public static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
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
        return out + "\""
    }

    public static func optional(_ s: String?) -> String { s.map(string) ?? "null" }

    /// A number with at most `decimals` decimals and no trailing zeros ("114.0512345", "3", "0.5").
    /// C's `vsnprintf` rather than `String(format:)`, which rounds alike (Foundation formats doubles
    /// with the C library) at a tenth of the cost: cases.geojson formats three numbers per case.
    /// A number to its last bit (Swift's shortest round-trip digits), null when not finite.
    public static func exact(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : d.description
    }

    public static func number(_ d: Double, decimals: Int) -> String {
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
        position.map { number($0, decimals: 7) }.joined(separator: ",")
    }
}
