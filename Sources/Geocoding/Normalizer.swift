import Foundation

/// Brings an address to one spelling before anything is matched: NFKC (full-width digits and letters,
/// Kangxi radicals, compatibility ideographs), CJK radical look-alikes, traditional characters, Latin
/// upper case; spaces and punctuation dropped (they carry no meaning in Chinese addresses), except `-`
/// which separates building and room numbers (12-3-501) and must not glue them together.
///
/// Chinese numerals are left alone: they are part of road names (福华三路, 泰然九路).
public enum Normalizer {
    public static func normalize(_ text: String) -> [Unicode.Scalar] {
        var scalars = Array(text.unicodeScalars)
        if !scalars.allSatisfy(isPlain) {
            scalars = Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars)
        }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for s in scalars {
            if let c = fold(s) { out.append(c) }
        }
        return out
    }

    public static func normalizedString(_ text: String) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: normalize(text))
        return String(s)
    }

    /// Characters NFKC leaves unchanged: most addresses are only these, and skip the NFKC call.
    @inline(__always) static func isPlain(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x30...0x39).contains(s.value) || (0x41...0x5A).contains(s.value)
    }

    /// One character's normal form, or nil when it is dropped.
    @inline(__always) static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        let v = s.value
        if (0x4E00...0x9FFF).contains(v) {
            let r = CharacterTables.unifiedSimplified[Int(v - 0x4E00)]
            return r == 0 ? s : Unicode.Scalar(r)
        }
        if (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) { return s }
        if (0x61...0x7A).contains(v) { return Unicode.Scalar(v - 0x20) }
        if v == 0x2D || v == 0x2010 || v == 0x2013 || v == 0x2014 || v == 0x2212 { return "-" }
        if let r = CharacterTables.radicals[s] { return r }
        if s.properties.isWhitespace || s.properties.generalCategory.isPunctuationOrSymbol { return nil }
        if s.properties.isIdeographic { return CharacterTables.simplified[s] ?? s }
        return s
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value)
    }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { (0x30...0x39).contains(s.value) }
    static func isLatin(_ s: Unicode.Scalar) -> Bool { (0x41...0x5A).contains(s.value) }
}

extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
             .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            true
        default: false
        }
    }
}

extension Array where Element == Unicode.Scalar {
    var text: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: self)
        return String(s)
    }
}
extension ArraySlice where Element == Unicode.Scalar {
    var text: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: self)
        return String(s)
    }
}
