import ArgumentParser
import Foundation
import Input
import Jobs

@main
struct RiskMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riskmap",
        abstract: "Turn environmental complaint cases into zone risk maps: tiles, GeoJSON, a viewer and a report.",
        discussion: """
        Exit status: 0 success; 1 the run failed (the output folder is left as it was); 2 bad command line.

        Example, the bundled demo district:
          riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out output
        """,
        subcommands: [RunCommand.self, CheckCommand.self, LocateCommand.self, StatsCommand.self, ServeCommand.self,
                      MergeCommand.self, BenchCommand.self])

    /// ArgumentParser exits 64 on a bad command line; the interface promises 2. Errors from the work
    /// itself exit 1 with one line that names the file and what was wrong. The root is async only
    /// because `serve` is; the other commands still run synchronously.
    static func main() async {
        do {
            var command = try parseAsRoot()
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

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("riskmap: error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
