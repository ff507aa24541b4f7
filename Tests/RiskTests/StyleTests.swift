import Foundation
import Input
import Model
import Testing
@testable import Risk

@Suite struct StyleTests {
    @Test func defaultStyleReads() throws {
        let style = try Style(url: StyleFixture.defaultStyle)
        #expect(style.windowDays == 30 && style.halfLifeDays > 0 && style.repeatRule.minCases >= 2)
        #expect(style.categoryKeys.contains("噪声") && style.categoryKeys.last == Style.otherCategory)
    }

    @Test func severalCategoriesInOneCell() throws {
        let style = try Style(url: StyleFixture.defaultStyle)
        for text in ["噪声;油烟", "噪声、油烟", "噪声；油烟", "noise/cooking fume"] {
            #expect(Set(style.resolve(category: text).keys) == ["噪声", "油烟"], "\(text)")
        }
        let two = style.resolve(category: "噪声、油烟")
        #expect(two.weighing == "油烟" && two.weight == 1.2)
    }

    @Test func longestWordWins() throws {
        let style = try Style(url: StyleFixture.defaultStyle)
        #expect(style.resolve(category: "wastewater").keys == ["污水"])
        #expect(style.resolve(category: "waste gas").keys == ["废气"])
        #expect(style.resolve(category: "恶臭异味").keys == ["异味"])
        #expect(style.resolve(category: "施工噪声").keys == ["噪声"])
        #expect(style.resolve(category: "其它问题").keys == [Style.otherCategory])
        #expect(style.resolve(category: "").weight == style.otherWeight)
    }

    @Test func categoryNamesAnAnalystMayType() throws {
        let style = try Style(url: StyleFixture.defaultStyle)
        #expect(style.categoryKey(named: "噪声") == "噪声")
        #expect(style.categoryKey(named: "Noise") == "噪声")
        #expect(style.categoryKey(named: "其他") == Style.otherCategory)
        #expect(style.categoryKey(named: "radiation") == nil)
    }

    @Test func addressNormalisation() {
        #expect(AddressKey.of("福华路1号") == AddressKey.of(" 福华路１号。"))
        #expect(AddressKey.of("福华路1号") == AddressKey.of("福华路 1 号"))
        #expect(AddressKey.of("福华路1号") != AddressKey.of("福华路2号"))
        #expect(AddressKey.of("  ，。 ") == 0)
    }

    func expectError(_ text: String, mentions: [String]) {
        do {
            _ = try StyleFixture.load(text)
            Issue.record("no error for a broken style")
        } catch let e as InputError {
            for m in mentions { #expect(e.description.contains(m), "\(e) should mention \(m)") }
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func missingAndMistypedKeys() {
        let good = StyleFixture.small()
        expectError(good.replacingOccurrences(of: "half_life_days = 10\n", with: ""), mentions: ["half_life_days", "missing"])
        expectError(good.replacingOccurrences(of: "min_cases = 3", with: "min_cases = \"three\""),
                    mentions: ["repeat.min_cases", "whole number"])
        expectError(good.replacingOccurrences(of: "extra = 0.5", with: "extra = \"half\""), mentions: ["repeat.extra", "number"])
        expectError(good.replacingOccurrences(of: "by = \"score\"", with: "by = \"rank\""),
                    mentions: ["thresholds.street.by", "quantile"])
        expectError(StyleFixture.small(by: "quantile", yellow: 0.5, red: 2), mentions: ["thresholds.community.red", "outside"])
        expectError(StyleFixture.small(yellow: 9, red: 5), mentions: ["thresholds.community", "yellow must not exceed red"])
        expectError(good.replacingOccurrences(of: "red = \"#C62828\"", with: "red = \"crimson\""), mentions: ["colors.red", "#RRGGBB"])
        expectError(good + "\n[[oops", mentions: ["not valid TOML"])
    }

    /// Colours that passed the old check (`UInt32(_:radix:)` takes a sign, `isHexDigit` full-width
    /// digits) and then trapped in the renderer's force-unwrap: exactly `#` + six ASCII hex digits.
    @Test func coloursAreSixASCIIHexDigits() {
        let good = StyleFixture.small()
        for bad in ["#+E7D32", "#-00000", "#２E7D32", "#2E7D3", "#2E7D32F", "2E7D32", "#2E 7D3"] {
            expectError(good.replacingOccurrences(of: "red = \"#C62828\"", with: "red = \"\(bad)\""),
                        mentions: ["colors.red", "#RRGGBB"])
            expectError(good + "\n[heatmap]\ncolors = [\"#2E7D32\", \"\(bad)\", \"#C62828\"]\n",
                        mentions: ["heatmap.colors", "entry 2"])
        }
        #expect(hexColour("#c62828") == "#C62828")
    }

    /// `bandwidth_m = 1e-300` trapped in the density field (∞ → Int); every value outside 1...100000 m is
    /// refused with the key named.
    @Test func heatBandwidthWithinRange() throws {
        for bad in ["1e-300", "0", "-5", "nan", "inf", "-inf", "1e308", "0.5"] {
            expectError(StyleFixture.small() + "\n[heatmap]\nbandwidth_m = \(bad)\n", mentions: ["heatmap.bandwidth_m", "1...100000"])
        }
        #expect(try StyleFixture.load(StyleFixture.small() + "\n[heatmap]\nbandwidth_m = 1\n").heatmap.bandwidthMetres == 1)
    }

    @Test func heatBreakpointsWithinRange() {
        for bad in ["[1e-320, 2e-320, 3e-320]", "[100, 400, 1e300]", "[0, 1, 2]"] {
            expectError(StyleFixture.small() + "\n[heatmap]\nbreakpoints = \(bad)\n", mentions: ["heatmap.breakpoints"])
        }
    }

    /// Found by the style fuzz target: toml++ aborted the process (an assertion) on a table header
    /// that does not start with a key. Now an error naming the line; valid headers still read.
    @Test func tableHeaderWithoutAKey() throws {
        let good = StyleFixture.small()
        for bad in ["[=epeat]", "[ =x]", "[[=x]]", "[#]", "[.a]", "[é]", "[{]", "[+]", "[\nx]", "[\t=x]", "[\r\nx]"] {
            expectError(good.replacingOccurrences(of: "[repeat]", with: bad), mentions: ["line 5", "not valid TOML"])
        }
        #expect(malformedTableHeader("[ \"quoted\" ]\n[[a-b]]\n[_x.y]\n  [ 'x' ]\na = [\n  [1, 2],\n]") == nil)
    }
}
