import Foundation

/// What a case's free-text category means under a style.
public struct ResolvedCategory: Sendable, Equatable {
    /// Every category key the text names, in the style's order; `其他` when none.
    public var keys: [String]
    /// The key whose weight the case carries: its heaviest (a case naming two categories is still
    /// one complaint, so it is not counted twice in the score).
    public var weighing: String
    public var weight: Double
}

extension Style {
    /// Separators between several categories in one cell: "噪声;油烟", "噪声、油烟", "noise/dust".
    static let categorySeparators = CharacterSet(charactersIn: ";；、,，/|")

    /// Resolves a case's category text. Each part between separators names the categories whose
    /// words it contains; when several match one part, the longest word wins, so that "wastewater"
    /// is 污水 and not 固废 ("waste"), and "恶臭异味" is one 异味 complaint.
    public func resolve(category text: String) -> ResolvedCategory {
        var found = Set<String>()
        for part in text.lowercased().components(separatedBy: Style.categorySeparators) where !part.isEmpty {
            found.formUnion(bestMatches(in: part))
        }
        let keys = categories.map(\.key).filter(found.contains)
        guard !keys.isEmpty else {
            return ResolvedCategory(keys: [Style.otherCategory], weighing: Style.otherCategory, weight: otherWeight)
        }
        // Heaviest first; ties go to the earlier key so the choice never depends on hashing.
        let weighing = keys.max { weight(of: $0) < weight(of: $1) || (weight(of: $0) == weight(of: $1) && $0 > $1) }!
        return ResolvedCategory(keys: keys, weighing: weighing, weight: weight(of: weighing))
    }

    private func bestMatches(in part: String) -> [String] {
        var best = 0
        var keys: [String] = []
        for rule in categories {
            let longest = rule.words.filter { part.contains($0.lowercased()) }.map(\.count).max() ?? 0
            if longest == 0 { continue }
            if longest > best { best = longest; keys = [rule.key] } else if longest == best { keys.append(rule.key) }
        }
        return keys
    }

    /// The category key an analyst means by `name`: a key, or any word of the vocabulary
    /// ("noise" → 噪声); nil when the style does not know it.
    public func categoryKey(named name: String) -> String? {
        let lower = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let key = categoryKeys.first(where: { $0.lowercased() == lower }) { return key }
        if lower == "other" { return Style.otherCategory }
        return categories.first { $0.words.contains { $0.lowercased() == lower } }?.key
    }
}

/// Resolves each distinct category text once: a million cases carry a few hundred distinct texts.
public struct CategoryTable: Sendable {
    public private(set) var resolved: [ResolvedCategory] = []
    private var idByText: [String: Int] = [:]
    let style: Style
    public init(style: Style) { self.style = style }

    /// The index of `text` in `resolved`, resolving it on first sight.
    public mutating func id(of text: String) -> Int {
        if let id = idByText[text] { return id }
        resolved.append(style.resolve(category: text))
        idByText[text] = resolved.count - 1
        return resolved.count - 1
    }
}

/// The address a repeat is recognised by: trimmed, NFKC (full-width digits and letters become
/// ASCII), lower case, without spaces and punctuation, hashed to 64 bits; 0 for no address.
/// Issue 3's geocoder brings a full normaliser; this one only has to see "福华路1号" and
/// "福华路 １号。" as the same door.
public enum AddressKey {
    public static func of(_ address: String) -> UInt64 {
        // Most addresses are ASCII, CJK ideographs and full-width forms, which fold without Foundation's
        // NFKC (a million addresses: seconds saved); anything else takes the full road.
        var hash = Hasher64()
        for u in address.unicodeScalars {
            guard let kept = fastFold(u) else { return slow(address) }
            if let kept { hash.add(kept) }
        }
        return hash.value
    }

    /// nil: not foldable here; .some(nil): dropped; .some(u): kept as u.
    static func fastFold(_ u: Unicode.Scalar) -> Unicode.Scalar?? {
        var v = u.value
        if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }  // full-width ASCII
        switch v {
        case 0x30...0x39, 0x61...0x7A, 0x4E00...0x9FFF, 0x3005...0x3007: return .some(Unicode.Scalar(v)!)
        case 0x41...0x5A: return .some(Unicode.Scalar(v + 0x20)!)
        case 0...0x7F, 0x3000...0x303F: return .some(nil)  // ASCII punctuation, spaces, CJK punctuation
        default: return nil
        }
    }

    static func slow(_ address: String) -> UInt64 {
        var hash = Hasher64()
        for u in address.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars where !dropped.contains(u) {
            hash.add(u)
        }
        return hash.value
    }
    private static let dropped = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters).union(.symbols)
}

/// FNV-1a over the UTF-8 of the kept scalars; 0 is kept for "no address".
struct Hasher64 {
    private var h: UInt64 = 0xcbf29ce484222325
    private var empty = true
    mutating func add(_ u: Unicode.Scalar) {
        empty = false
        for b in String(u).utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    }
    var value: UInt64 { empty ? 0 : (h == 0 ? 1 : h) }
}
