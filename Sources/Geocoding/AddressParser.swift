/// The parts of an address, as found: for `riskmap locate` and for the matcher.
public struct AddressComponents: Sendable, Hashable, Codable {
    public var province: String?
    public var city: String?
    public var district: String?
    /// Names found exactly, with their kind (`street`, `road`, `estate` ...), in address order.
    public var names: [String] = []
    public var number: Int?
    public var building: String?
    public var unit: String?
    public var floor: String?
    public var room: String?
    public var phase: String?
    /// Text that matched nothing (typos, unknown places, words like 附近).
    public var rest: [String] = []

    /// `key: value` pairs of what is set, for display.
    public var fields: [(String, String)] {
        var f: [(String, String)] = []
        for (k, v) in [("province", province), ("city", city), ("district", district)] { if let v { f.append((k, v)) } }
        if !names.isEmpty { f.append(("names", names.joined(separator: " "))) }
        if let number { f.append(("number", String(number))) }
        for (k, v) in [("phase", phase), ("building", building), ("unit", unit), ("floor", floor), ("room", room)] {
            if let v { f.append((k, v)) }
        }
        if !rest.isEmpty { f.append(("rest", rest.joined(separator: " "))) }
        return f
    }
}

/// One exact name found in the address.
struct NameToken {
    var entry: Int
    var range: Range<Int>
    /// The number written right after a road name (彩田路3009号 → 3009).
    var number: Int?
}

/// An address cut into administrative prefix, exact names, and the unmatched stretches between them.
struct ParsedAddress {
    var text: [Unicode.Scalar]
    var components = AddressComponents()
    var admins: [AdminDivision] = []
    var tokens: [NameToken] = []
    /// Unmatched stretches with building/unit/room tails and filler words removed: fuzzy material.
    var spans: [[Unicode.Scalar]] = []
    /// A number written after an unmatched stretch (彩天路3009号): a door on a misspelled road.
    var spanNumbers: [Int?] = []
}

/// Cuts a normalised address into its parts. Names are taken longest first from left to right, so
/// 梅林路 is a road and never the street 梅林街道's alias, and 莲花支路 is not 莲花路.
struct AddressParser {
    let index: NameIndex

    func parse(_ text: [Unicode.Scalar]) -> ParsedAddress {
        var p = ParsedAddress(text: text)
        var i = stripAdmins(&p, from: 0, allowShort: false)
        var spanStart = i
        while i < text.count {
            if let (entry, end) = index.longestName(in: text, from: i) {
                closeSpan(&p, spanStart, i)
                var token = NameToken(entry: entry, range: i..<end)
                var next = end
                if index.entries[entry].road >= 0, let (n, after) = Self.number(in: text, at: end) {
                    token.number = n
                    next = after
                    p.components.number = n
                }
                p.tokens.append(token)
                p.components.names.append(index.entries[entry].text.text)
                i = next
                spanStart = i
            } else if let (admin, length) = AdminDivisions.fullTrie.longest(in: text[i...]), length >= 3 {
                // A division written in the middle (彩田路3009号福田区): wrong order, same meaning.
                closeSpan(&p, spanStart, i)
                record(admin, in: &p)
                i += length
                spanStart = i
            } else {
                i += 1
            }
        }
        closeSpan(&p, spanStart, text.count)
        return p
    }

    /// Province, city and district names at the start, in full or (after a higher one) short form.
    func stripAdmins(_ p: inout ParsedAddress, from start: Int, allowShort: Bool) -> Int {
        var i = start
        var short = allowShort
        while i < p.text.count {
            let rest = p.text[i...]
            let named = index.longestName(in: p.text, from: i).map { $0.end - i } ?? 0
            // Divisions go down the hierarchy, once each: 深圳福田福田三路 strips one 福田, not two.
            let last = p.admins.last?.level
            let below = { (d: AdminDivision) in last.map { $0 < d.level } ?? true }
            if let (d, n) = AdminDivisions.fullTrie.longest(in: rest), n > named, below(d) {
                record(d, in: &p); i += n; short = true; continue
            }
            // Short forms: a province or city anywhere in the prefix (深圳福田), a district only after
            // a higher division (福田 alone is as likely the street 福田街道 or an estate).
            if let (d, n) = AdminDivisions.shortTrie.longest(in: rest), n > named, below(d), short || d.level < .district,
               !Self.startsName(p.text, at: i + n) {
                short = true
                record(d, in: &p); i += n; continue
            }
            break
        }
        return i
    }

    /// 深圳福田路 is a road, not 福田: a short form followed by a road or zone word is not a division.
    static func startsName(_ text: [Unicode.Scalar], at i: Int) -> Bool {
        guard i < text.count else { return false }
        return "路街道巷大社村".unicodeScalars.contains(text[i])
    }

    func record(_ d: AdminDivision, in p: inout ParsedAddress) {
        p.admins.append(d)
        switch d.level {
        case .province: p.components.province = d.name
        case .city: p.components.city = d.name
        case .district: p.components.district = d.name
        }
    }

    /// Digits at `i`, with an optional 号: the number and where it ends.
    static func number(in text: [Unicode.Scalar], at i: Int) -> (Int, Int)? {
        var j = i
        var n = 0
        while j < text.count, Normalizer.isDigit(text[j]), j - i < 7 {
            n = n * 10 + Int(text[j].value - 0x30)
            j += 1
        }
        guard j > i else { return nil }
        if j < text.count, text[j] == "号" { j += 1 }
        return (n, j)
    }

    /// Files an unmatched stretch: its tail (12栋3单元501, A座, 一期) into the components, the core
    /// (without filler words like 附近) into the fuzzy material.
    func closeSpan(_ p: inout ParsedAddress, _ start: Int, _ end: Int) {
        guard start < end else { return }
        let span = Array(p.text[start..<end])
        // Words of a spaced script (APT 4 12 MAIN ST) hold no Chinese tail to take apart and are no
        // fuzzy material: kept as written, for display.
        guard span.contains(where: Normalizer.isCJK) else {
            var words = span[...]
            while let first = words.first, first == " " || first == "-" { words.removeFirst() }
            while let last = words.last, last == " " || last == "-" { words.removeLast() }
            if !words.isEmpty { p.components.rest.append(words.text) }
            return
        }
        var core = span
        var number: Int?
        if let cut = Tail.start(in: span) {
            core = Array(span[..<cut])
            let tail = Array(span[cut...])
            if cut > 0, let (n, _) = Self.number(in: tail, at: 0),
               tail.count > String(n).count, tail[String(n).count] == "号" {
                number = n
                if p.components.number == nil { p.components.number = n }
            }
            Tail.parse(tail, into: &p.components)
        }
        core = Tail.withoutFiller(core)
        if !core.isEmpty { p.components.rest.append(core.text) }
        if core.filter(Normalizer.isCJK).count >= 2 {
            p.spans.append(core)
            p.spanNumbers.append(number)
        }
    }
}

/// Building, unit, floor and room tails, and filler words: parsed for display, never needed to match.
enum Tail {
    // Key paths are immutable values; the array is a constant.
    nonisolated(unsafe) static let markers: [(String, WritableKeyPath<AddressComponents, String?>)] = [
        ("号楼", \.building), ("栋", \.building), ("幢", \.building), ("座", \.building), ("单元", \.unit),
        ("层", \.floor), ("楼", \.floor), ("室", \.room), ("房", \.room), ("期", \.phase),
    ]
    static let chineseDigits = Set("一二三四五六七八九十".unicodeScalars)
    static let fillers: [[Unicode.Scalar]] = ["附近商铺", "地下停车场", "附近", "旁边", "对面", "门口", "门前", "一带",
        "辖区内", "辖区", "居民楼", "小区内", "周边", "楼下", "隔壁", "后面", "路口", "交汇处", "内", "旁", "处", "前"]
        .map { Array($0.unicodeScalars) }

    /// Where the tail starts: the first digit or Latin letter, or a Chinese numeral followed by 期.
    static func start(in s: [Unicode.Scalar]) -> Int? {
        for (i, c) in s.enumerated() {
            if Normalizer.isDigit(c) || Normalizer.isLatin(c) || c == "-" { return i }
            if chineseDigits.contains(c), i + 1 < s.count, s[i + 1] == "期" { return i }
        }
        return nil
    }

    static func parse(_ s: [Unicode.Scalar], into c: inout AddressComponents) {
        var i = 0
        var other: [Unicode.Scalar] = []
        while i < s.count {
            var j = i
            while j < s.count, Normalizer.isDigit(s[j]) || Normalizer.isLatin(s[j]) || chineseDigits.contains(s[j]) { j += 1 }
            let value = Array(s[i..<j]).text
            if j > i, let (marker, key) = markers.first(where: { s[j...].starts(with: $0.0.unicodeScalars) }) {
                if c[keyPath: key] == nil { c[keyPath: key] = value + marker }
                i = j + marker.unicodeScalars.count
            } else if j > i {
                // A bare number after a building or unit is the room (12栋3单元501).
                if c.building != nil || c.unit != nil, c.room == nil { c.room = value } else { other += s[i..<j] }
                i = j
            } else {
                if s[i] != "-" { other.append(s[i]) }
                i += 1
            }
        }
        let rest = withoutFiller(other)
        if !rest.isEmpty { c.rest.append(rest.text) }
    }

    /// The text without filler words at its end (景华新村附近 → 景华新村).
    static func withoutFiller(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var s = s
        var changed = true
        while changed {
            changed = false
            for f in fillers where s.count >= f.count && s[(s.count - f.count)...].elementsEqual(f) {
                s.removeLast(f.count)
                changed = true
                break
            }
        }
        return s
    }
}
