import Foundation

/// Brings an address, or a zone or place name, to one spelling before anything is matched, whatever
/// its script:
/// - NFKC (full-width digits and letters, Kangxi radicals, compatibility ideographs), CJK radical
///   look-alikes, traditional characters;
/// - letters in upper case, Latin, Greek and Cyrillic letters without their diacritics (Zürich: ZURICH),
///   decimal digits of any script as ASCII, a number without its leading zeros (03: 3);
/// - spaces and punctuation dropped where they carry no meaning (next to a Chinese character, and
///   between two digits of a Chinese address, where a stray space may split a door number), but kept
///   as one space between two words of a spaced script (`BROOKLYN COMMUNITY 3`): the name index
///   matches whole words only. `-` is kept as written: it separates building and room numbers
///   (12-3-501) and must not glue them together; the name index reads it as a space.
///
/// Chinese numerals are left alone: they are part of road names (福华三路, 泰然九路).
public enum Normalizer {
    public static func normalize(_ text: String) -> [Unicode.Scalar] {
        var scalars = Array(text.unicodeScalars)
        if !scalars.allSatisfy(isPlain) {
            scalars = Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars)
        }
        var out = Folded(chinese: scalars.contains(where: isCJK))
        out.text.reserveCapacity(scalars.count)
        for s in scalars { out.add(s) }
        return out.text
    }

    public static func normalizedString(_ text: String) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: normalize(text))
        return String(s)
    }

    /// Characters NFKC leaves unchanged: most addresses are only these, and skip the NFKC call.
    @inline(__always) static func isPlain(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || s.value < 0x80
    }

    /// The normalised text, built one character at a time.
    struct Folded {
        var text: [Unicode.Scalar] = []
        /// A Chinese address: spaces between digits are noise there (彩田路30 09号).
        let chinese: Bool
        /// Whitespace or punctuation was seen since the last character kept.
        var gap = false

        @inline(__always) mutating func add(_ s: Unicode.Scalar) {
            let v = s.value
            if (0x4E00...0x9FFF).contains(v) {
                // `keep` shortened: no space goes next to a Chinese character, which is no digit.
                let r = CharacterTables.unifiedSimplified[Int(v - 0x4E00)]
                gap = false
                text.append(r == 0 ? s : Unicode.Scalar(r) ?? s)
            } else if (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) {
                keep(s)
            } else if (0x61...0x7A).contains(v) {
                keep(Unicode.Scalar(v - 0x20) ?? s)
            } else if v == 0x2D || v == 0x2010 || v == 0x2013 || v == 0x2014 || v == 0x2212 {
                gap = false
                if text.last != "-" { text.append("-") }
            } else if v == 0x27 || v == 0x2019 || v == 0x02BC {
                // An apostrophe joins the parts of one word (O'Brien, John's): dropped, no space.
            } else if let r = CharacterTables.radicals[s] {
                keep(r)
            } else if s.properties.isWhitespace || s.properties.generalCategory.isPunctuationOrSymbol {
                gap = true
            } else if s.properties.isIdeographic {
                keep(CharacterTables.simplified[s] ?? s)
            } else {
                addOther(s)
            }
        }

        /// Letters, digits and marks of scripts other than Chinese and ASCII.
        mutating func addOther(_ s: Unicode.Scalar) {
            if let folded = Letters.folded[s.value] {
                for c in folded { keep(c) }
            } else if s.properties.generalCategory == .decimalNumber, let n = s.properties.numericValue,
                      n >= 0, n <= 9, let digit = Unicode.Scalar(0x30 + UInt32(n)) {
                keep(digit)
            } else if s.properties.generalCategory.isMark, let last = text.last, Letters.dropsMarks(last) {
                // A combining accent NFKC could not compose (Zu\u{308}rich): folded away with its letter's.
            } else if s.properties.changesWhenUppercased {
                for c in s.properties.uppercaseMapping.unicodeScalars { keep(c) }
            } else {
                keep(s)
            }
        }

        /// Appends a kept character: after a gap, one space when both sides are words of a spaced
        /// script; a leading zero of a number is dropped once the next digit shows it is one.
        @inline(__always) mutating func keep(_ c: Unicode.Scalar) {
            if gap {
                if let last = text.last, isWord(last), isWord(c), !(chinese && isDigit(last) && isDigit(c)) {
                    text.append(" ")
                }
                gap = false
            }
            if isDigit(c), let last = text.last, last.value == 0x30, text.count < 2 || !isDigit(text[text.count - 2]) {
                text.removeLast()
            }
            text.append(c)
        }
    }

    /// Letters whose normal form is worked out once: Latin, Greek and Cyrillic with their diacritics
    /// dropped, in upper case (é: E, ß: SS, ё: Е).
    enum Letters {
        static let ranges: [ClosedRange<UInt32>] = [0xC0...0x24F, 0x370...0x4FF, 0x1E00...0x1FFF]
        static let folded: [UInt32: [Unicode.Scalar]] = {
            var table: [UInt32: [Unicode.Scalar]] = [:]
            for range in ranges {
                for v in range {
                    guard let s = Unicode.Scalar(v), s.properties.isAlphabetic else { continue }
                    let base = String(s).decomposedStringWithCanonicalMapping.unicodeScalars
                        .filter { !$0.properties.generalCategory.isMark }
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: base)
                    let upper = Array(String(view).uppercased().unicodeScalars)
                    if !upper.isEmpty { table[v] = upper }
                }
            }
            return table
        }()

        /// Letters whose accents are dropped (a combining mark after them goes too).
        static func dropsMarks(_ s: Unicode.Scalar) -> Bool {
            (0x41...0x5A).contains(s.value) || ranges.contains { $0.contains(s.value) }
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value)
    }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { (0x30...0x39).contains(s.value) }
    static func isLatin(_ s: Unicode.Scalar) -> Bool { (0x41...0x5A).contains(s.value) }

    /// A letter or digit of a script that separates words with spaces (Latin, Greek, Cyrillic,
    /// Arabic, Hangul ...), after normalising. Chinese characters, kana, Thai, Lao, Khmer, Myanmar and
    /// Tibetan are not: those scripts write no spaces, so a name may start or end anywhere in them.
    @inline(__always) static func isWord(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) }
        if (0x2E80...0x9FFF).contains(v) || (0x0E00...0x0FFF).contains(v) || (0x1000...0x109F).contains(v)
            || (0x1780...0x17FF).contains(v) || (0xF900...0xFAFF).contains(v) || s.properties.isIdeographic {
            return false
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    /// Letters and digits meet between `a` and `b` (CB|3): a word boundary without a space, so CB03
    /// reads as CB 3.
    @inline(__always) static func lettersMeetDigits(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        isDigit(a) != isDigit(b) && isWord(a) && isWord(b)
    }
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

    var isMark: Bool { self == .nonspacingMark || self == .spacingMark || self == .enclosingMark }
}

extension Array where Element == Unicode.Scalar {
    /// The scalars as a string (what `Normalizer.normalizedString` returns for the same text).
    public var text: String {
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
