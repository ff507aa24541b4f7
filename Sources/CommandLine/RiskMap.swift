import ArgumentParser
import Foundation
import Support
import Input
import Location
import Pipeline
import Publishing
import Stats
import Tiles
import Model
import Output

@main
struct RiskMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riskmap",
        abstract: "Turn environmental complaint cases into zone risk maps: tiles, GeoJSON, a viewer and a report.",
        discussion: """
        Exit status: 0 success; 1 the run failed (the output folder is left as it was); 2 bad command line. Every command takes -q/--quiet; progress bars go to standard error, and only when it is a terminal. Without --style the style built into riskmap is used (`riskmap style --print` shows it).

        Example, the bundled demo district:
          riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv \\
                      --as-of 2026-11-22 --out output
        """,
        version: ToolVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, LocateCommand.self, StatsCommand.self, EvaluateCommand.self, ServeCommand.self,
                      MergeCommand.self, StyleCommand.self, BenchCommand.self])

    /// ArgumentParser exits 64 on a bad command line; the interface promises 2. Errors from the work
    /// itself exit 1 with one line that names the file and what was wrong. The root is async only
    /// because `serve` is; the other commands still run synchronously.
    static func main() async {
        Memory.returnLargeBlocksWhenFreed()
        do {
            var command = try parseNamingUnknownOptions()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            fail("\(error)")
        } catch let error as UsageError {
            // Found only once the style or database was read, but still a bad command line.
            FileHandle.standardError.write(Data("riskmap: error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {  // --help, --version
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            if error is ExitCode { Foundation.exit(code.rawValue) }
            fail(String(describing: error))
        }
    }

    /// `parseAsRoot`, except that an unknown option is reported before a missing required one:
    /// ArgumentParser checks for unknown options only once every required option is there, so
    /// `run --boundaries D --xyz x` would say that --cases is missing rather than name '--xyz'.
    static func parseNamingUnknownOptions() throws -> ParsableCommand {
        do {
            return try parseAsRoot()
        } catch {
            throw unknownOption(behind: error) ?? error
        }
    }

    /// Supplies each missing required option a placeholder and parses again (never runs anything):
    /// the unknown-option error that comes out, if one does.
    static func unknownOption(behind error: Error) -> Error? {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var current = error
        for _ in 0..<8 {
            let message = fullMessage(for: current)
            guard let range = message.range(of: #"Missing expected argument '--[A-Za-z0-9-]+"#, options: .regularExpression)
            else { return nil }
            let option = message[range].split(separator: "'").last.map(String.init) ?? ""
            arguments += [option, "placeholder"]
            do {
                _ = try parseAsRoot(arguments)
                return nil
            } catch {
                if fullMessage(for: error).contains("Unknown option") { return error }
                current = error
            }
        }
        return nil
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("riskmap: error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
