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
    /// Where the map lies: picks among namesakes (南山区 of 深圳 or of 鹤岗) and lets the map's own
    /// city stand alone in short form (深圳彩田路).
    var area = MapArea()

    func parse(_ text: [Unicode.Scalar]) -> ParsedAddress {
        var p = ParsedAddress(text: text)
        var i = stripAdmins(&p, from: 0, allowShort: false)
        var spanStart = i
        while i < text.count {
            if let (entry, end) = index.longestName(in: text, from: i) {
                // 沙头|角街道 is the street 沙头角街道, not the alias 沙头 of 沙头街道: another unit, unmatched.
                if let unit = unitEnd(in: text, after: end) { i = unit; continue }
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
            } else if let (admin, length) = fullDivision(in: text, at: i, after: p.admins.last), length >= 3 {
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

    /// Province, city and district names at the start, in full or short form. A short form is taken
    /// after a division it lies in (深圳福田, 广东深圳), or alone when it is above the map (深圳 for a
    /// map of 福田区) or a division below it follows (广州天河); `allowShort` (a `--home` text) takes
    /// any. 福田 alone is as likely the street 福田街道 or an estate, 中山 a park, 江苏 a hotel.
    func stripAdmins(_ p: inout ParsedAddress, from start: Int, allowShort: Bool) -> Int {
        var i = start
        while i < p.text.count {
            let named = index.longestName(in: p.text, from: i).map { $0.end - i } ?? 0
            let last = p.admins.last
            if let (d, n) = fullDivision(in: p.text, at: i, after: last), n > named, !d.isWeak || allowShort || last != nil {
                record(d, in: &p); i += n; continue
            }
            if let (d, n) = shortDivision(in: p.text, at: i, after: last, alone: allowShort), n > named {
                record(d, in: &p); i += n; continue
            }
            break
        }
        return i
    }

    /// The division whose full name starts at `i`, below `last` (divisions go down the hierarchy, once
    /// each); of namesakes, the one inside `last`, else the one nearest the map. A name ending in 市
    /// followed by 场 is a market (东方市场), not the city 东方市.
    func fullDivision(in text: [Unicode.Scalar], at i: Int, after last: AdminDivision?) -> (AdminDivision, Int)? {
        guard let (ids, n) = AdminDivisions.fullTrie.longest(in: text[i...]) else { return nil }
        if text[i + n - 1] == "市", i + n < text.count, "场民政".unicodeScalars.contains(text[i + n]) { return nil }
        // A plain loop: this runs at every unmatched position of every address.
        var below: [AdminDivision] = []
        for id in ids {
            let d = AdminDivisions.all[id]
            if let last, !(AdminDivisions.isAncestor(last.id, of: id) && last.id != id || last.level < d.level) { continue }
            below.append(d)
        }
        return pick(below, after: last).map { ($0, n) }
    }

    /// The division whose short form starts at `i`, when the context vouches for it (see `stripAdmins`).
    func shortDivision(in text: [Unicode.Scalar], at i: Int, after last: AdminDivision?, alone: Bool) -> (AdminDivision, Int)? {
        guard let (ids, n) = AdminDivisions.shortTrie.longest(in: text[i...]), !Self.startsName(text, at: i + n) else { return nil }
        let all = ids.map { AdminDivisions.all[$0] }
        if let last {
            return pick(all.filter { AdminDivisions.isAncestor(last.id, of: $0.id) && $0.id != last.id }, after: last).map { ($0, n) }
        }
        if alone { return pick(all, after: nil).map { ($0, n) } }
        let vouched = all.filter { d in
            d.level < .district && (area.isAbove(d) || divisionBelow(d, in: text, at: i + n))
        }
        return pick(vouched, after: nil).map { ($0, n) }
    }

    /// True when a division inside `d` is named at `i` (广州|天河, 广东|东莞市).
    func divisionBelow(_ d: AdminDivision, in text: [Unicode.Scalar], at i: Int) -> Bool {
        guard i < text.count else { return false }
        let inside = { (ids: [Int]) in ids.contains { AdminDivisions.isAncestor(d.id, of: $0) && $0 != d.id } }
        if let (ids, _) = AdminDivisions.fullTrie.longest(in: text[i...]), inside(ids) { return true }
        if let (ids, n) = AdminDivisions.shortTrie.longest(in: text[i...]), !Self.startsName(text, at: i + n), inside(ids) {
            return true
        }
        return false
    }

    /// Of namesakes, the one inside `last`, else the one nearest the map, else the first.
    func pick(_ candidates: [AdminDivision], after last: AdminDivision?) -> AdminDivision? {
        guard candidates.count > 1 else { return candidates.first }
        let inside = candidates.filter { d in last.map { AdminDivisions.isAncestor($0.id, of: d.id) } ?? false }
        return (inside.isEmpty ? candidates : inside).max { area.nearness($0) < area.nearness($1) || area.nearness($0) == area.nearness($1) && $0.id > $1.id }
    }

    /// Where a street's name ends when one or two more characters and 街道 follow a name at `end`
    /// (沙头 + 角街道) and start no name of their own (福田区|福田街道): the name is then part of a
    /// longer one, another street. (Not 镇 or 乡: 家乡, 小镇.)
    func unitEnd(in text: [Unicode.Scalar], after end: Int) -> Int? {
        guard end < text.count, index.longestName(in: text, from: end) == nil else { return nil }
        for extra in 1...2 where end + extra + 1 < text.count && (end..<end + extra).allSatisfy({ Normalizer.isCJK(text[$0]) }) {
            if text[end + extra] == "街", text[end + extra + 1] == "道" { return end + extra + 2 }
        }
        return nil
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
        // A functional area inside a district (南山区前海) leaves the district named.
        case .district where p.components.district == nil || d.parentID.map({ AdminDivisions.all[$0].level }) != .district:
            p.components.district = d.name
        case .district: break
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
