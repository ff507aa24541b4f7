import Foundation
import Model
import Risk

/// `report.json`: counts, match rates, timings, the style used.
public struct Report {
    public var fields: [String: Any] = [:]

    public init(inputRows: Int, located: [LocatedCase], rejected: [RejectedRow], counted: Int,
                stats: [ZoneLevel: [ZoneStats]], style: Style, window: Window, files: [String],
                tiles: [String: Int], timings: [(String, Double)], warnings: [String], extra: [String: Any] = [:]) {
        var levels: [String: Any] = [:]
        for level in ZoneLevel.allCases {
            var n = Dictionary(uniqueKeysWithValues: RiskLevel.allCases.map { ($0.rawValue, 0) })
            for s in stats[level] ?? [] { n[s.level.rawValue, default: 0] += 1 }
            levels[level.rawValue] = n
        }
        var reasons: [String: Int] = [:]
        for r in rejected { reasons[r.reason.rawValue, default: 0] += 1 }
        var methods: [String: Int] = [:]
        var reached = ["street": 0, "community": 0, "post": 0]
        var crs: [String: Int] = [:]
        for c in located {
            methods[c.method.rawValue, default: 0] += 1
            for level in ZoneLevel.allCases where c.zone(level) != nil { reached[level.rawValue]! += 1 }
            if c.method == .coordinates { crs[c.record.crs?.description ?? "default", default: 0] += 1 }
        }
        fields = [
            "input_rows": inputRows,
            "located": located.count,
            "rejected": rejected.count,
            "counted": counted,
            "match_rate": inputRows == 0 ? 0 : Double(located.count) / Double(inputRows),
            "levels": levels,
            "rejects_by_reason": reasons,
            "methods": methods,
            "reached": reached,
            "coordinate_systems": crs,
            "as_of": window.asOf.description,
            "window_days": window.days,
            "window": ["from_exclusive": (window.asOf - window.days).description, "to": window.asOf.description],
            "files": files,
            // `file` is the --style path, or "built-in" for the style the binary carries.
            "style": ["file": style.file, "hash": "fnv1a64:" + style.contentHash],
            "tiles": tiles,
            "timings_s": Dictionary(timings.map { ($0.0, ($0.1 * 1000).rounded() / 1000) }, uniquingKeysWith: +),
            "warnings": warnings,
            "generated_at": ISO8601DateFormatter().string(from: Date()),
            "tool": "riskmap",
            "tool_version": ToolVersion.current,
        ]
        fields.merge(extra) { _, b in b }
    }

    public func json() -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: fields,
                                                     options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
