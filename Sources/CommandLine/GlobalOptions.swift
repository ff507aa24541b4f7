import ArgumentParser
import Foundation
import Support
import Location
import Pipeline
import Publishing
import Stats
import Tiles

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: [.short, .long],
          help: "Print no progress bars, summaries or warnings; standard output then carries only the command's results (tables, JSON, findings), and errors still go to standard error.")
    var quiet = false

    /// Progress bars: on standard error when it is a terminal, never with --quiet.
    var progress: ProgressSink { quiet ? .silent : .terminal }

    /// A one-line summary or note on standard output, unless --quiet.
    func summary(_ line: String) {
        if !quiet { print(line) }
    }

    /// A warning on standard error, unless --quiet (report.json keeps the run's warnings either way).
    func warn(_ message: String) {
        if !quiet { FileHandle.standardError.write(Data("riskmap: warning: \(message)\n".utf8)) }
    }
}
