import Foundation
import Model
@testable import Risk

/// Styles written by the tests: the small rules of the hand-computed district, and broken variants.
enum StyleFixture {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let defaultStyle = repo.appendingPathComponent("styles/default.toml")

    /// Window 10 days, half-life 10 days, 噪声 1 and 污水 2, other 0.5, repeats 3+ × 1.5,
    /// thresholds by `by` (score: yellow 2.5, red 5), red needs 3 cases.
    static func small(by: String = "score", yellow: Double = 2.5, red: Double = 5) -> String {
        """
        window_days = 10
        half_life_days = 10
        min_cases_red = 3
        other_weight = 0.5
        [repeat]
        min_cases = 3
        extra = 0.5
        [hotspots]
        count = 3
        cell_m = 100
        [categories."噪声"]
        words = ["噪声", "noise"]
        weight = 1
        [categories."污水"]
        words = ["污水", "wastewater"]
        weight = 2
        [thresholds.street]
        by = "score"
        yellow = 100
        red = 200
        [thresholds.community]
        by = "\(by)"
        yellow = \(yellow)
        red = \(red)
        [thresholds.post]
        by = "score"
        yellow = 100
        red = 200
        [colors]
        green = "#2E7D32"
        yellow = "#F9A825"
        red = "#C62828"
        fill_opacity = 0.45
        outline = "#37474F"
        """
    }

    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-style-\(UUID().uuidString).toml")
        try Data(text.utf8).write(to: url)
        return url
    }

    static func load(_ text: String) throws -> Style { try Style(url: try write(text)) }
}
