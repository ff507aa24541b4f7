import Foundation
import Support
import Model
import Output

/// `cases.geojson`: the located cases as points (no address text), placed as `--case-points` says.
struct WriteCases: RunStage {
    let folder: OutputFolder
    let window: Window
    let points: CasePoints
    var name: String { "write_cases" }

    func run(_ cases: LocatedCases) throws {
        try folder.writeStreaming(to: "cases.geojson") { append in
            try GeoJSONWriter.cases(cases.located, window: window, points: points, warnings: cases.warnings, append: append)
        }
    }
}
