@testable import Geocoding
import Testing

@Suite struct NormalizerTests {
    @Test(arguments: [
        ("福田区彩田路３００９号", "福田区彩田路3009号"),          // full-width digits
        ("诺德广场ａ座", "诺德广场A座"),                          // full-width, lower-case letter
        ("红荔⻄路", "红荔西路"), ("⻓城新村", "长城新村"),            // radical look-alikes NFKC leaves alone
        ("⾦田路", "金田路"),                                       // Kangxi radical (NFKC)
        ("福田區蓮花路5001號", "福田区莲花路5001号"),              // traditional
        (" 福 田 区，彩田路（3号）", "福田区彩田路3号"),            // spaces, punctuation
        ("12－3－501", "12-3-501"),                                  // dashes kept as one separator
        ("福华三路", "福华三路"), ("泰然九路", "泰然九路"),          // numerals in names stay
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(Normalizer.normalizedString(input) == expected)
    }
}

@Suite struct AdminPrefixTests {
    func parse(_ s: String) -> AddressComponents {
        var p = ParsedAddress(text: Normalizer.normalize(s))
        _ = AddressParser(index: NameIndex()).stripAdmins(&p, from: 0, allowShort: false)
        return p.components
    }

    @Test func fullAndShortForms() {
        #expect(parse("广东省深圳市福田区彩田路").district == "福田区")
        #expect(parse("深圳福田彩田路").district == "福田区")
        #expect(parse("深圳福田彩田路").city == "深圳市")
        #expect(parse("福田区彩田路").district == "福田区")
        #expect(parse("广东深圳福田区").province == "广东省")
    }

    /// Short district names alone, or followed by a road word, are not districts.
    @Test func namesThatOnlyLookLikeDivisions() {
        #expect(parse("福田保税区").district == nil)
        #expect(parse("宝安南路").district == nil)
        #expect(parse("深圳福田路").district == nil)
        #expect(parse("中山公园").city == "中山市" || parse("中山公园").city == nil)
    }

    @Test func homeArea() {
        let h = HomeArea(parsing: "福田区")
        #expect(h.district == "福田区" && h.city == "深圳市" && h.province == "广东省")
    }
}

@Suite struct FuzzyDistanceTests {
    func s(_ t: String) -> [Unicode.Scalar] { Array(t.unicodeScalars) }

    @Test func semiGlobalDistance() {
        #expect(FuzzyMatcher.distance(s("景华新村"), in: s("景华新材"), anchoredAtEnd: false) == 1)
        #expect(FuzzyMatcher.distance(s("景华新村"), in: s("景华村"), anchoredAtEnd: false) == 1)
        #expect(FuzzyMatcher.distance(s("彩田路"), in: s("去彩田路看"), anchoredAtEnd: false) == 0)
        #expect(FuzzyMatcher.distance(s("彩田路"), in: s("去彩田路看"), anchoredAtEnd: true) == 1)
        #expect(FuzzyMatcher.distance(s("燕南路"), s("宝安南路")) == 2)
    }

    @Test func numeralsTellRoadsApart() {
        #expect(!FuzzyMatcher.sameNumerals(s("新洲十一街"), s("新洲二街")))
        #expect(FuzzyMatcher.sameNumerals(s("福华三路"), s("福田三路")))
    }

    @Test func tails() {
        var c = AddressComponents()
        Tail.parse(s("12栋3单元501"), into: &c)
        #expect(c.building == "12栋" && c.unit == "3单元" && c.room == "501")
        var d = AddressComponents()
        Tail.parse(s("一期B座"), into: &d)
        #expect(d.phase == "一期" && d.building == "B座")
    }
}
