import ArgumentParser
import Foundation
import Support
import Input
import Model
import Risk

struct StyleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "style",
        abstract: "Print or write the built-in style, as an editable copy for --style.",
        discussion: """
        Every command that scores zones uses the style built into riskmap unless --style FILE names another. This command gives that built-in style as TOML text, commented key by key: edit a copy, then pass it to run, stats or serve with --style.

        Examples:
          riskmap style --print > my-style.toml
          riskmap style --write my-style.toml
          riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv \\
                      --style my-style.toml
        """)

    @OptionGroup(title: "Common options") var global: GlobalOptions

    @Flag(name: .customLong("print"), help: "Print the built-in style (TOML) on standard output.")
    var printStyle = false

    @Option(help: ArgumentHelp("Write the built-in style into this new file; an existing file is never overwritten. Example: --write my-style.toml.", valueName: "file"))
    var write: String?

    func validate() throws {
        if printStyle == (write != nil) { throw ValidationError("give --print or --write FILE") }
    }

    func run() throws {
        guard let write else { return print(Style.builtInText, terminator: "") }
        let url = URL(fileURLWithPath: write)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw InputError(file: write, "already exists: riskmap style --write never overwrites a file; remove it or choose another name")
        }
        do {
            // withoutOverwriting: a file made between the check above and now is still not replaced.
            try Data(Style.builtInText.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            throw InputError(file: write, "cannot write the style: \(error.localizedDescription)")
        }
        global.summary("riskmap style: wrote the built-in style to \(write); use it with --style \(write)")
    }
}
