import Foundation
import Support
import Model
import Risk
import Input

/// Without `--db`: the map is drawn from this run's located cases, and the repeat finder's cases are
/// made in the same pass. The located cases are given up a chunk at a time as the two are made: the
/// three are never whole in memory together.
struct CollectRunCases: RunStage {
    let window: Window
    let style: Style
    var grid: ZoneGrid? = nil
    var name: String { "map_cases" }

    func run(_ cases: LocatedCases) throws -> (map: MapCases, repeats: RepeatInput) {
        var located = cases.held.take()
        var repeats = RepeatInput(style: style, window: window)
        let map = try MapCases(consuming: &located, window: window, style: style, grid: grid) { repeats.add($0, addressKey: $1) }
        return (map, repeats)
    }
}
