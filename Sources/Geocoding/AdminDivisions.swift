/// Administrative divisions of China above the streets: province (省), prefecture-level city (市,
/// 自治州, 地区, 盟) and county-level district (区, 县, 县级市, 旗), from the generated
/// `AdminDivisions.table` (scripts/make_divisions.py).
///
/// Addresses start with them in full (广东省深圳市福田区) or short form (深圳福田), or not at all. They
/// are stripped before matching; when they name a division that is neither on the map nor one of the
/// map's ancestors, the case lies outside the map and is rejected, never forced into the nearest zone.
public enum AdminLevel: String, Sendable, Codable, Comparable {
    case province, city, district
    public static func < (a: AdminLevel, b: AdminLevel) -> Bool { a.rank < b.rank }
    var rank: Int { self == .province ? 0 : self == .city ? 1 : 2 }
}

/// One division: its names, level and the division one level up.
public struct AdminDivision: Sendable, Hashable {
    /// Position in `AdminDivisions.all`.
    public var id: Int
    /// The national code (440304), or X01… for the areas the code list lacks (大鹏新区).
    public var code: String
    public var name: String
    /// Other full names: former names still written (光明新区).
    public var otherNames: [String]
    /// Names without the suffix (福田, 广西, 恩施州): trusted only in context, see `AddressParser`.
    public var shorts: [String]
    public var level: AdminLevel
    public var parentID: Int?

    public var parent: String? { parentID.map { AdminDivisions.all[$0].name } }
    /// `龙岗区 (深圳市)`: the name and its parent, which tells apart the 37 朝阳区-like namesakes.
    public var label: String { parent.map { "\(name) (\($0))" } ?? name }
    /// A name of two characters (东区, 沛县, 矿区) is too common inside other words to be trusted alone.
    var isWeak: Bool { name.unicodeScalars.count <= 2 }
}

/// The district (and city, province) the zones lie in.
public struct HomeArea: Sendable, Hashable, Codable {
    public var province: String?
    public var city: String?
    public var district: String?
    public init(province: String? = nil, city: String? = nil, district: String? = nil) {
        self.province = province; self.city = city; self.district = district
    }
    public var isKnown: Bool { district != nil || city != nil }
    public var description: String { [province, city, district].compactMap { $0 }.joined() }

    /// The area of a division and its ancestors.
    init(division id: Int) {
        for a in AdminDivisions.ancestors(of: id) {
            let d = AdminDivisions.all[a]
            switch d.level {
            case .province: province = d.name
            case .city: city = d.name
            case .district: district = d.name  // the county above a functional area (南山区 above 前海) wins
            }
        }
    }

    /// The division this area stands for: its finest named level, read under the coarser ones.
    var division: Int? {
        let levels: [(String?, AdminLevel)] = [(province, .province), (city, .city), (district, .district)]
        var found: Int?
        for case let (name?, _) in levels {
            let ids = AdminDivisions.byName[name] ?? []
            guard let pick = ids.first(where: { id in found.map { AdminDivisions.isAncestor($0, of: id) } ?? true }) ?? ids.first
            else { continue }
            found = pick
        }
        return found
    }
}

/// Where the map lies among the divisions: the divisions whose names are zones of the map (a city
/// bureau's map: 福田区 罗湖区 南山区), else the home area. An address may name these, their ancestors
/// (深圳市, 广东省) and what lies inside them (前海 in 南山区); any other division is outside.
struct MapArea: Sendable {
    /// The divisions the map covers; empty when nothing is known (then nothing is outside).
    private(set) var anchors: [Int] = []
    private(set) var home = HomeArea()

    init() {}

    init(home: HomeArea, onMap: [Int]) {
        self.home = home
        anchors = onMap.isEmpty ? (home.division.map { [$0] } ?? []) : onMap
    }

    func allows(_ d: AdminDivision) -> Bool {
        anchors.isEmpty || anchors.contains { AdminDivisions.isAncestor(d.id, of: $0) || AdminDivisions.isAncestor($0, of: d.id) }
    }

    /// An ancestor of the map (深圳 on a map of 福田区): a short form of it may stand alone.
    func isAbove(_ d: AdminDivision) -> Bool { anchors.contains { AdminDivisions.isAncestor(d.id, of: $0) } }

    /// How near a division is to the map, to pick among namesakes (南山区 of 深圳 or of 鹤岗): 3 on
    /// the map's line, 2 in the same city, 1 in the same province, 0 elsewhere.
    func nearness(_ d: AdminDivision) -> Int {
        if allows(d) && !anchors.isEmpty { return 3 }
        let mine = Set(AdminDivisions.ancestors(of: d.id))
        return anchors.map { a in
            AdminDivisions.ancestors(of: a).filter(mine.contains).map { AdminDivisions.all[$0].level == .province ? 1 : 2 }.max() ?? 0
        }.max() ?? 0
    }

    /// The detail of an `outside` reject: `龙岗区 (深圳市) is not on the map of 广东省深圳市`.
    func outsideDetail(_ d: AdminDivision) -> String {
        "\(d.label) is not on the map" + (home.description.isEmpty ? "" : " of \(home.description)")
    }
}

enum AdminDivisions {
    /// Every division, parsed once from the generated table (`code|level|names|shorts|parent code`).
    static let all: [AdminDivision] = {
        var list: [AdminDivision] = []
        var idOfCode: [String: Int] = [:]
        var parentCodes: [String] = []
        for line in table.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let names = f[2].split(separator: ";").map(String.init)
            let level: AdminLevel = f[1] == "p" ? .province : f[1] == "c" ? .city : .district
            idOfCode[f[0]] = list.count
            list.append(AdminDivision(id: list.count, code: f[0], name: names[0], otherNames: Array(names.dropFirst()),
                                      shorts: f[3].split(separator: ",").map(String.init), level: level, parentID: nil))
            parentCodes.append(f[4])
        }
        for (i, code) in parentCodes.enumerated() where !code.isEmpty { list[i].parentID = idOfCode[code] }
        return list
    }()

    /// Full names (and former names) → divisions, normalised as addresses are.
    static let byName: [String: [Int]] = {
        var map: [String: [Int]] = [:]
        for d in all { for n in [d.name] + d.otherNames { map[Normalizer.normalizedString(n), default: []].append(d.id) } }
        return map
    }()

    static let fullTrie = trie(all.flatMap { d in ([d.name] + d.otherNames).map { ($0, d.id) } })
    static let shortTrie = trie(all.flatMap { d in d.shorts.map { ($0, d.id) } })

    static func trie(_ names: [(String, Int)]) -> ScalarTrie<[Int]> {
        var ids: [String: [Int]] = [:]
        for (n, id) in names { ids[Normalizer.normalizedString(n), default: []].append(id) }
        return ScalarTrie(ids.sorted { $0.key < $1.key }.map { (Array($0.key.unicodeScalars), $0.value) })
    }

    /// Each division's parent (-1: none): walked for every division an address names, without
    /// copying the divisions.
    static let parents: [Int] = all.map { $0.parentID ?? -1 }

    /// The division itself, then its parent, up to the province.
    static func ancestors(of id: Int) -> [Int] {
        var chain = [id]
        while parents[chain[chain.count - 1]] >= 0, chain.count < 6 { chain.append(parents[chain[chain.count - 1]]) }
        return chain
    }

    /// True when `a` is `d` or one of its ancestors.
    static func isAncestor(_ a: Int, of d: Int) -> Bool {
        var current = d
        for _ in 0..<6 {
            if current == a { return true }
            current = parents[current]
            if current < 0 { return false }
        }
        return false
    }

    /// The province a division lies in (nil for a municipality, which has none above it).
    static func province(of d: AdminDivision) -> String? {
        ancestors(of: d.id).map { all[$0] }.first { $0.level == .province }?.name
    }

    /// The parent of the division with this full name (the first of namesakes).
    static func parent(of name: String) -> String? { byName[name]?.first.flatMap { all[$0].parent } }

    /// Names with a suffix of an administrative unit (坂田街道, 福永镇, 龙岗区, 东莞市) or a division's
    /// name: a one-character slip there makes another unit (坂田街道 is not 福田街道), so such names
    /// only match exactly or by alias. 小区, 园区, 超市 and the like are places, not units.
    static func isAdministrative(_ name: [Unicode.Scalar]) -> Bool {
        let ends = { (suffix: [Unicode.Scalar]) in name.count > suffix.count && name.suffix(suffix.count).elementsEqual(suffix) }
        if adminEndings.contains(where: ends) { return !placeEndings.contains(where: ends) }
        // Every full name ends in one of `adminEndings`; short forms do not (石景山, 黔东南).
        return shortTrie.exact(name) != nil
    }
    static let adminEndings = ["街道", "镇", "乡", "区", "县", "市", "旗", "盟", "州"].map { Array($0.unicodeScalars) }
    static let placeEndings = ["小区", "园区", "工业区", "片区", "景区", "校区", "厂区", "商业区", "住宅区", "生活区",
                               "开发区", "保税区", "超市", "城市", "都市", "门市", "街市", "夜市", "菜市", "花市",
                               "股市"].map { Array($0.unicodeScalars) }
}

/// A small exact-match trie over Unicode scalars: the longest entry starting at a position.
struct ScalarTrie<Value: Sendable>: Sendable {
    private var children: [[Unicode.Scalar: Int]] = [[:]]
    private var values: [Value?] = [nil]

    init(_ entries: [([Unicode.Scalar], Value)]) {
        for (key, value) in entries { insert(key, value) }
    }

    mutating func insert(_ key: [Unicode.Scalar], _ value: Value) {
        var node = 0
        for s in key {
            if let next = children[node][s] { node = next; continue }
            children.append([:]); values.append(nil)
            children[node][s] = children.count - 1
            node = children.count - 1
        }
        if values[node] == nil { values[node] = value }
    }

    /// The longest key that `text[from...]` starts with, and its length.
    func longest(in text: ArraySlice<Unicode.Scalar>) -> (value: Value, length: Int)? {
        var node = 0
        var best: (Value, Int)?
        var length = 0
        for s in text {
            guard let next = children[node][s] else { break }
            node = next
            length += 1
            if let v = values[node] { best = (v, length) }
        }
        return best
    }

    /// The value of exactly this key.
    func exact(_ key: [Unicode.Scalar]) -> Value? {
        longest(in: key[...]).flatMap { $0.length == key.count ? $0.value : nil }
    }
}
