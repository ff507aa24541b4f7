/// Administrative divisions above the streets: province (省), city (市), district (区/县).
///
/// Addresses start with them in full (广东省深圳市福田区) or short form (深圳福田), or not at all. They
/// are stripped before matching; when they name a district or city other than the one the zones are
/// in, the case lies outside the map and is rejected, never forced into the nearest zone.
public enum AdminLevel: String, Sendable, Codable, Comparable {
    case province, city, district
    public static func < (a: AdminLevel, b: AdminLevel) -> Bool { a.rank < b.rank }
    var rank: Int { self == .province ? 0 : self == .city ? 1 : 2 }
}

/// One known division: its full name, short form, and the division one level up (by full name).
public struct AdminDivision: Sendable, Hashable {
    public var name: String
    public var short: String
    public var level: AdminLevel
    public var parent: String?
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
}

enum AdminDivisions {
    static let all: [AdminDivision] = {
        var list: [AdminDivision] = []
        let provinces = "广东 广西壮族自治区:广西 湖南 湖北 江西 福建 浙江 江苏 山东 河南 河北 四川 云南 贵州 海南 安徽 山西 "
            + "陕西 甘肃 青海 辽宁 吉林 黑龙江 台湾 内蒙古自治区:内蒙古 宁夏回族自治区:宁夏 新疆维吾尔自治区:新疆 "
            + "西藏自治区:西藏 香港特别行政区:香港 澳门特别行政区:澳门"
        for p in provinces.split(separator: " ") {
            let parts = p.split(separator: ":").map(String.init)
            let full = parts.count == 2 ? parts[0] : parts[0] + "省"
            list.append(AdminDivision(name: full, short: parts.last!, level: .province, parent: nil))
        }
        let cities: [(String, String)] = [
            ("广东省", "广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮"),
            ("", "北京 上海 天津 重庆"),
            ("浙江省", "杭州 宁波 温州"), ("江苏省", "南京 苏州 无锡"), ("湖北省", "武汉"), ("四川省", "成都"),
            ("陕西省", "西安"), ("湖南省", "长沙"), ("福建省", "厦门 福州 泉州"), ("广西壮族自治区", "南宁"),
            ("海南省", "海口 三亚"), ("云南省", "昆明"), ("贵州省", "贵阳"), ("河南省", "郑州"), ("山东省", "济南 青岛"),
            ("安徽省", "合肥"), ("江西省", "南昌"), ("辽宁省", "沈阳 大连"), ("黑龙江省", "哈尔滨"), ("吉林省", "长春"),
            ("河北省", "石家庄"), ("山西省", "太原"), ("甘肃省", "兰州"),
        ]
        for (province, names) in cities {
            for c in names.split(separator: " ") {
                list.append(AdminDivision(name: c + "市", short: String(c), level: .city,
                                          parent: province.isEmpty ? nil : province))
            }
        }
        let districts: [(String, String)] = [
            ("深圳市", "福田 罗湖 南山 盐田 宝安 龙岗 龙华 坪山 光明 大鹏新区:大鹏 前海"),
            ("广州市", "越秀 海珠 荔湾 天河 白云 黄埔 番禺 花都 南沙 从化 增城"),
            ("佛山市", "禅城 南海 顺德 三水 高明"), ("珠海市", "香洲 斗门 金湾"), ("惠州市", "惠城 惠阳"),
            ("汕头市", "金平 龙湖 濠江 潮阳 潮南 澄海"), ("北京市", "东城 西城 朝阳 海淀 丰台 石景山"),
            ("上海市", "黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 浦东新区:浦东 闵行 宝山"),
        ]
        for (city, names) in districts {
            for d in names.split(separator: " ") {
                let parts = d.split(separator: ":").map(String.init)
                let full = parts.count == 2 ? parts[0] : parts[0] + "区"
                list.append(AdminDivision(name: full, short: parts.last!, level: .district, parent: city))
            }
        }
        return list
    }()

    static let byFullName: [String: AdminDivision] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// Full names (any position of the prefix) and short forms (only where a higher division came just
    /// before, 深圳福田: alone, 福田 or 中山 are as likely a road or an estate as a district).
    static let fullTrie = ScalarTrie(all.map { (Array($0.name.unicodeScalars), $0) })
    static let shortTrie = ScalarTrie(all.map { (Array($0.short.unicodeScalars), $0) })

    /// The province a division lies in, by following parents.
    static func province(of d: AdminDivision) -> String? {
        var current: AdminDivision? = d
        while let c = current {
            if c.level == .province { return c.name }
            current = c.parent.flatMap { byFullName[$0] }
        }
        return nil
    }
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
}
