import Foundation
import Support
import Model
import Risk
import Input
import Store

/// With `--db`: the map is drawn from every case the database holds for the window, this run's
/// included (see `MapCases`).
struct CollectStoredCases: RunStage {
    let store: CaseStore
    let window: Window
    let style: Style
    var grid: ZoneGrid? = nil
    var name: String { "map_cases" }

    func run(_: Void) throws -> MapCases {
        try MapCases(store: store, window: window, style: style, grid: grid)
    }
}
