import Foundation
import Input
import Support
import Model
import Risk

/// Sorting, `--top` and the three formats of `riskmap stats`.
struct StatsRender {
    var query: StatsQuery
    init(query: StatsQuery) { self.query = query }
    init(options: StatsOptions) { self.init(query: options.query) }

    func zones(_ rows: [StatsRow]) -> String {
        let sort = query.sort ?? .score
        // Highest first; ties by score, then by id so the order never depends on the input's.
        let sorted = rows.sorted { a, b in
            (a.sortValue(sort), a.score, b.id) > (b.sortValue(sort), b.score, a.id)
        }
        let shown = Array(sorted.prefix(query.top ?? sorted.count))
        // Sorted by Gi*: its z and class beside the columns every query shows.
        let gi = sort == .gi
        let giHeader = gi ? ["gi_z", "gi_class"] : []
        func giCells(_ r: StatsRow) -> [String] { gi ? [r.giZ.map { String(format: "%.3f", $0) } ?? "", r.giClass ?? ""] : [] }
        switch query.format {
        case .json: return "[" + shown.map(\.json).joined(separator: ",\n") + "]\n"
        case .csv:
            return csv(["id", "name", "parent", "cases", "score", "level", "trend", "density"] + giHeader + ["categories", "reason"],
                       shown.map { [$0.id, $0.name, $0.parent ?? "", "\($0.cases)", fixed($0.score), $0.level,
                                    "\($0.trend)", fixed($0.density)] + giCells($0) + [$0.topCategories, $0.reason] })
        case .table:
            return table(["id", "name", "parent", "cases", "score", "level", "trend", "per km²"] + giHeader + ["categories"],
                         shown.map { [$0.id, $0.name, $0.parent ?? "", "\($0.cases)", fixed($0.score), $0.level,
                                      signed($0.trend), fixed($0.density)] + giCells($0) + [$0.topCategories] },
                         rightAligned: gi ? [3, 4, 6, 7, 8] : [3, 4, 6, 7])
        }
    }

    func hotspots(_ rows: [HotspotRow]) -> String {
        let header = ["rank", "lon", "lat", "cases"] + ZoneLevel.allCases.map(\.rawValue)
        let cells = rows.map { r in
            ["\(r.rank)", String(format: "%.6f", r.lon), String(format: "%.6f", r.lat), "\(r.cases)"] + r.zones.map { $0 ?? "" }
        }
        switch query.format {
        case .json: return "[" + rows.map(\.json).joined(separator: ",\n") + "]\n"
        case .csv: return csv(header, cells)
        case .table: return table(header, cells, rightAligned: [0, 1, 2, 3])
        }
    }

    func fixed(_ x: Double) -> String { String(format: "%.2f", x) }
    func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }

    /// RFC 4180 (see `CSVWriter`).
    func csv(_ header: [String], _ rows: [[String]]) -> String { CSVWriter.document([header] + rows) }

    /// Columns padded to the terminal width of their widest cell: a CJK character takes two columns.
    func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { displayWidth($0[i]) }.max() ?? 0 }
        let lines = all.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Columns a string takes in a terminal: East Asian wide and full-width characters take two,
/// combining marks none (Unicode TR 11, the ranges that occur in Chinese text).
public func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + scalarWidth($1) }
}

func scalarWidth(_ u: Unicode.Scalar) -> Int {
    let v = u.value
    if u.properties.generalCategory == .nonspacingMark || u.properties.generalCategory == .enclosingMark || v == 0x200B {
        return 0
    }
    let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
                                       0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
                                       0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                                       0x1F900...0x1F9FF, 0x20000...0x3FFFD]
    return wide.contains { $0.contains(v) } ? 2 : 1
}
