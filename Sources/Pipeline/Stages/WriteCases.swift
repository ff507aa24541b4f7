import Foundation
import Support
import Model
import Output

/// `cases.geojson`: the located cases as points (no address text).
struct WriteCases: RunStage {
    let folder: OutputFolder
    let window: Window
    var name: String { "write_cases" }

    func run(_ cases: LocatedCases) throws {
        try folder.write(GeoJSONWriter.cases(cases.located, window: window, warnings: cases.warnings), to: "cases.geojson")
    }
}
