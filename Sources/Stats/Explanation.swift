import Foundation
import Support
import Model
import Risk

/// `riskmap stats --explain ZONE`: how the zone's score was built, category by category, so that
/// anyone can redo the sum by hand.
struct Explanation {
    var style: Style
    var window: Window
    var only: String?

    func text(_ z: ZoneStats) -> String {
        var lines = [header(z)]
        lines.append("window \(window.first) … \(window.asOf) (\(window.days) days)"
                     + (only.map { ", category \($0) only" } ?? "") + "; style \(style.file)")
        lines.append(rules)
        let rows = z.parts.sorted { ($0.value.score, $1.key) > ($1.value.score, $0.key) }.map { key, p in
            [key, "\(p.cases)", shortNumber(p.weight), fixed(p.weight * Double(p.cases)), fixed(p.decayed),
             "\(p.repeatCases)", "+" + fixed(p.repeatExtra), fixed(p.score)]
        }
        let total = ["total", "\(z.parts.values.reduce(0) { $0 + $1.cases })", "", "", "", "", "", fixed(z.score)]
        lines.append(StatsRender(options: StatsOptions(db: nil, out: URL(fileURLWithPath: "."), style: URL(fileURLWithPath: ".")))
            .table(["category", "cases", "weight", "cases×weight", "after decay", "repeats", "repeat extra", "score"],
                   rows + [total], rightAligned: Set(1...7)).trimmingCharacters(in: .newlines))
        if z.categories.count > 1 || z.categories.values.reduce(0, +) != z.cases {
            lines.append("cases by category (a case naming several counts in each, weighs as its heaviest): "
                         + z.categories.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("previous \(window.days) days: \(z.previousCases) cases, trend \(z.trend >= 0 ? "+" : "")\(z.trend)")
        lines.append("level \(z.level.rawValue): \(z.reason)")
        return lines.joined(separator: "\n") + "\n"
    }

    func header(_ z: ZoneStats) -> String {
        "\(z.zone.id) \(z.zone.name) (\(z.zone.level.rawValue)" + (z.zone.parent.map { " in \($0)" } ?? "")
            + String(format: ", %.4f km²)", z.areaKm2)
    }

    /// The rules that shaped the numbers, in words.
    var rules: String {
        let decay = style.halfLifeDays > 0
            ? "a case d days old weighs 0.5^(d/\(shortNumber(style.halfLifeDays)))" : "no decay"
        let r = style.repeatRule
        return "rules: \(decay); an address with \(r.minCases)+ cases in the window adds \(shortNumber(r.extra * 100))% "
            + "to each of them; red needs \(style.minCasesRed)+ cases"
    }

    func fixed(_ x: Double) -> String { String(format: "%.2f", x) }

    /// Without a database only the parts the run wrote are known.
    static func text(folderRow r: StatsRow, level: ZoneLevel) -> String {
        var lines = ["\(r.id) \(r.name) (\(level.rawValue)" + (r.parent.map { " in \($0)" } ?? "") + ")"]
        lines.append("score by category: " + r.scoreByCategory.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: " + ")
            + String(format: " = %.2f", r.score))
        lines.append("cases by category: " + r.topCategories)
        lines.append("level \(r.level): \(r.reason)")
        lines.append("(decay and repeats per category: give --db FILE)")
        return lines.joined(separator: "\n") + "\n"
    }
}
