import Foundation
import Support

/// One step of `riskmap run`: one input type, one output type, a name under which the pipeline times
/// it (report.json's `timings_s`). A stage holds what it needs to know (options, style, the window);
/// what flows from stage to stage is its input and output.
protocol RunStage {
    associatedtype Input
    associatedtype Output
    /// The key of the stage's time in `timings_s`.
    var name: String { get }
    func run(_ input: Input) throws -> Output
}

/// Runs stages one after another and times each (wall clock).
struct StageClock {
    private let start = Date()
    private var last = Date()
    private(set) var laps: [(String, Double)] = []

    /// Runs `stage` on `input`, recording its time under its name.
    mutating func run<S: RunStage>(_ stage: S, _ input: S.Input) throws -> S.Output {
        let output = try stage.run(input)
        lap(stage.name)
        return output
    }

    /// Records the time since the last lap under `name` (steps that are not stages of their own).
    mutating func lap(_ name: String) {
        let now = Date()
        laps.append((name, now.timeIntervalSince(last)))
        last = now
    }

    /// Adds sub-step timings measured inside a stage (part of its lap, not added to the total).
    mutating func record(_ parts: [(String, Double)]) { laps += parts }

    var total: Double { Date().timeIntervalSince(start) }
}
