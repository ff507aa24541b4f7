import Foundation
import Support
import Model
import Risk
import Input

/// Without `--db`: the map is drawn from this run's located cases.
struct CollectRunCases: RunStage {
    let window: Window
    let style: Style
    var grid: ZoneGrid? = nil
    var name: String { "map_cases" }

    func run(_ cases: LocatedCases) throws -> MapCases {
        try MapCases(located: cases.located, window: window, style: style, grid: grid)
    }
}
