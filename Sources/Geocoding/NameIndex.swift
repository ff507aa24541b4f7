import Geometry
import Input

/// Every name an address can mention, normalised, for exact lookup (a trie: the longest name that
/// starts at a position) and for fuzzy lookup (names sharing characters with a text).
///
/// Names of spaced scripts match whole words only (`BK CB03` is not in `BK CB033` or `XBK CB03`), with
/// `-` read as a space and a space read where letters meet digits, so `BK CB03`, `bk cb 3` and
/// `BK-CB-03` are one name; Chinese names match anywhere, as Chinese writes no spaces.
///
/// Door rows are not names of their own: `彩田路3009号` is the road `彩田路` plus the number 3009,
/// so that a number missing from the gazetteer still finds its nearest door on the same road.
struct NameIndex: Sendable {
    struct Entry: Sendable {
        var text: [Unicode.Scalar]
        /// The places with this name, and whether the name is an alias of that place.
        var places: [(place: Int32, alias: Bool)]
        /// Index into `roads` when this name is a road.
        var road: Int32 = -1
    }
    struct Road: Sendable {
        var name: String
        /// Doors by number, ascending.
        var doors: [(number: Int, place: Int32)]
        /// The `road` row, if any.
        var place: Int32?
    }

    private(set) var places: [Place] = []
    private(set) var entries: [Entry] = []
    private(set) var roads: [Road] = []
    private var entryByText: [String: Int32] = [:]
    // Trie: edges keyed by (node << 32 | scalar); terminal entry per node (-1: none).
    private var edges: [UInt64: Int32] = [:]
    private var terminal: [Int32] = [-1]
    /// The root's children for the CJK unified block, as a flat table (0: none): most positions of an
    /// address start no name, and this answers them without hashing.
    private var rootCJK = [Int32](repeating: 0, count: 0x9FFF - 0x4E00 + 1)
    /// Fuzzy candidates by prefix filtering: a name may be found with k edits only when the stretch
    /// shares all but a few of its distinct characters (`fuzzyShared`), so at least one of its rarest
    /// few is in the stretch. Each name is listed under those rarest characters alone, not under every
    /// character it has: common ones (路, 社, 区) would list most names of a province, and every
    /// stretch would then be compared with all of them — a locate stage growing with area × cases.
    private(set) var fuzzyNamesWithCharacter: [Unicode.Scalar: [Int32]] = [:]
    /// Per entry: its distinct characters other than spaces, and how many of them a stretch must share
    /// for the name to be tried (0: the name is never matched fuzzily).
    private(set) var fuzzyCharacters: [[Unicode.Scalar]] = []
    private(set) var fuzzyShared: [Int] = []

    mutating func addPlace(_ place: Place, names: [(String, alias: Bool)]) {
        let id = Int32(places.count)
        places.append(place)
        for (name, alias) in names {
            let e = entry(for: Normalizer.normalize(name))
            if !entries[e].places.contains(where: { $0.place == id }) { entries[e].places.append((id, alias)) }
        }
    }

    /// Adds a door to its road (creating the road name when the gazetteer has no `road` row for it).
    mutating func addDoor(_ place: Place, road: String) {
        let id = Int32(places.count)
        places.append(place)
        let r = self.road(named: road)
        roads[r].doors.append((place.number ?? 0, id))
    }

    mutating func addRoad(_ place: Place) {
        let id = Int32(places.count)
        places.append(place)
        roads[road(named: place.name)].place = id
    }

    mutating func finish() {
        for r in roads.indices { roads[r].doors.sort { $0.number < $1.number } }
        indexFuzzyCandidates()
    }

    /// Fills `fuzzyNamesWithCharacter`, `fuzzyCharacters` and `fuzzyShared` (see there).
    private mutating func indexFuzzyCandidates() {
        fuzzyCharacters = entries.map { e in
            var seen = Set<Unicode.Scalar>()
            return e.text.filter { $0 != " " && seen.insert($0).inserted }
        }
        var frequency: [Unicode.Scalar: Int] = [:]
        for chars in fuzzyCharacters { for s in chars { frequency[s, default: 0] += 1 } }
        fuzzyShared = entries.indices.map { i in
            let text = entries[i].text, k = FuzzyMatcher.allowedEdits(text.count)
            guard k > 0, !AdminDivisions.isAdministrative(text) else { return 0 }
            // Spaces count among the distinct characters but are never shared (as before the filter).
            let shared = max(2, Set(text).count - k)
            return shared <= fuzzyCharacters[i].count ? shared : 0
        }
        for (i, chars) in fuzzyCharacters.enumerated() where fuzzyShared[i] > 0 {
            // Missing more than `count - shared` of them rules the name out, so one of any
            // `count - shared + 1` must be present: take the rarest, whose lists are short.
            let rarest = chars.sorted { (frequency[$0] ?? 0, $0.value) < (frequency[$1] ?? 0, $1.value) }
            for s in rarest.prefix(chars.count - fuzzyShared[i] + 1) {
                fuzzyNamesWithCharacter[s, default: []].append(Int32(i))
            }
        }
    }

    private mutating func road(named name: String) -> Int {
        let e = entry(for: Normalizer.normalize(name))
        if entries[e].road >= 0 { return Int(entries[e].road) }
        roads.append(Road(name: name, doors: [], place: nil))
        entries[e].road = Int32(roads.count - 1)
        return roads.count - 1
    }

    /// A normalised name as the trie holds it: `-` as a space, a space where letters meet digits
    /// (CB3: CB 3), no space at either end.
    static func key(_ name: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var key: [Unicode.Scalar] = []
        key.reserveCapacity(name.count + 2)
        for s in name {
            if s == " " || s == "-" {
                if let last = key.last, last != " " { key.append(" ") }
                continue
            }
            if let last = key.last, Normalizer.lettersMeetDigits(last, s) { key.append(" ") }
            key.append(s)
        }
        if key.last == " " { key.removeLast() }
        return key
    }

    private mutating func entry(for name: [Unicode.Scalar]) -> Int {
        let text = Self.key(name)
        let key = text.text
        if let e = entryByText[key] { return Int(e) }
        entries.append(Entry(text: text, places: []))
        let e = Int32(entries.count - 1)
        entryByText[key] = e
        var node: Int32 = 0
        for s in text {
            let k = UInt64(UInt32(node)) << 32 | UInt64(s.value)
            if let next = edges[k] { node = next; continue }
            terminal.append(-1)
            let next = Int32(terminal.count - 1)
            edges[k] = next
            if node == 0, (0x4E00...0x9FFF).contains(s.value) { rootCJK[Int(s.value - 0x4E00)] = next }
            node = next
        }
        terminal[Int(node)] = e
        return Int(e)
    }

    /// The longest name starting at `start`, as (entry, end). A name starting or ending with a letter or
    /// digit of a spaced script must start and end on a word boundary there.
    @inline(__always) func longestName(in text: [Unicode.Scalar], from start: Int) -> (entry: Int, end: Int)? {
        guard start < text.count else { return nil }
        let first = text[start].value
        if (0x4E00...0x9FFF).contains(first), rootCJK[Int(first - 0x4E00)] == 0 { return nil }
        if start > 0, Normalizer.isWord(text[start - 1]), Normalizer.isWord(text[start]) { return nil }
        var node: Int32 = 0
        var best: (Int, Int)?
        var i = start
        while i < text.count {
            let s: Unicode.Scalar = text[i].value == 0x2D ? " " : text[i]
            // CB3 in the text walks the name's CB 3 (checked in this order: most characters are no digits).
            if i > start, Normalizer.isDigit(s) != Normalizer.isDigit(text[i - 1]), Normalizer.isWord(s),
               Normalizer.isWord(text[i - 1]) {
                guard let next = edges[UInt64(UInt32(node)) << 32 | 0x20] else { break }
                node = next
            }
            guard let next = edges[UInt64(UInt32(node)) << 32 | UInt64(s.value)] else { break }
            node = next
            i += 1
            let t = terminal[Int(node)]
            if t >= 0, i == text.count || !Normalizer.isWord(text[i - 1]) || !Normalizer.isWord(text[i]),
               !Self.namesARoad(text, after: i) {
                best = (Int(t), i)
            }
        }
        return best
    }

    /// Words that make the spaced-script name before them part of a road's name: `QUEENS BLVD` is a road
    /// in any borough, not the borough Queens, as 福田路 is a road and not 福田区.
    static let thoroughfares: Set<String> = [
        "ST", "STREET", "AVE", "AV", "AVENUE", "BLVD", "BOULEVARD", "RD", "ROAD", "DR", "DRIVE", "LN", "LANE",
        "PL", "PLACE", "CT", "COURT", "TER", "TERRACE", "PKWY", "PARKWAY", "HWY", "HIGHWAY", "EXPY",
        "EXPRESSWAY", "TPKE", "TURNPIKE", "WAY", "CIR", "CIRCLE", "SQ", "BRIDGE", "TUNNEL",
    ]

    /// Whether the word after the name ending at `end` (past one space) is a thoroughfare word. Only for
    /// names ending in a letter of a spaced script; Chinese names are read by the parser's own rules.
    static func namesARoad(_ text: [Unicode.Scalar], after end: Int) -> Bool {
        guard end > 0, end + 1 < text.count, text[end] == " ", Normalizer.isWord(text[end - 1]),
              !Normalizer.isDigit(text[end - 1]) else { return false }
        var word = ""
        var i = end + 1
        while i < text.count, Normalizer.isWord(text[i]), word.unicodeScalars.count < 12 {
            word.unicodeScalars.append(text[i]); i += 1
        }
        return thoroughfares.contains(word)
    }

    /// The door with this number on a road, else the nearest one (same side of the road first:
    /// odd and even numbers face each other), within `maxGap` numbers.
    func door(on road: Int, number: Int, maxGap: Int = 100) -> (place: Int32, gap: Int)? {
        let doors = roads[road].doors
        guard !doors.isEmpty else { return nil }
        var lo = 0, hi = doors.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if doors[mid].number < number { lo = mid + 1 } else { hi = mid }
        }
        if lo < doors.count, doors[lo].number == number { return (doors[lo].place, 0) }
        var best: (place: Int32, gap: Int, sameSide: Bool)?
        for i in max(0, lo - 6)..<min(doors.count, lo + 6) {
            let gap = abs(doors[i].number - number)
            let same = doors[i].number % 2 == number % 2
            if gap <= maxGap, best == nil || (same && !best!.sameSide) || (same == best!.sameSide && gap < best!.gap) {
                best = (doors[i].place, gap, same)
            }
        }
        return best.map { ($0.place, $0.gap) }
    }
}
