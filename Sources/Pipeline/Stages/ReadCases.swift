import Foundation
import Support
import Input
import Model

/// The case rows of all files of a run.
struct CaseInput {
    var records: [CaseRecord] = []
    var rejects: [RejectedRow] = []
    var rowCount = 0
    /// Each file's header, for `rejects.csv`.
    var headers: [String: [String]] = [:]
    var warnings: [String] = []
}

/// Reads every cases file; a case id seen before (in this file or an earlier one) is rejected as a
/// duplicate, and the first row stands.
struct ReadCases: RunStage {
    let options: RunOptions
    var name: String { "read_cases" }

    func run(_: Void) throws -> CaseInput {
        var input = CaseInput()
        var seen: [String: (file: String, line: Int)] = [:]
        let bar = options.progress.bar("reading cases")
        defer { bar.finish() }
        for (done, url) in options.cases.enumerated() {
            bar.update(done, of: options.cases.count)
            let file = try CaseFileReader.read(url: url, displayName: url.relativePath, defaultCRS: options.casesCRS)
            input.rowCount += file.rowCount
            input.headers[url.relativePath] = file.header
            input.rejects += file.rejects
            for r in file.records {
                if let first = seen[r.id] {
                    input.rejects.append(RejectedRow(file: r.file, line: r.line, id: r.id, reason: .duplicateID,
                                                     detail: "id already used at \(first.file) line \(first.line)",
                                                     fields: r.fields))
                } else {
                    seen[r.id] = (r.file, r.line)
                    input.records.append(r)
                }
            }
        }
        return input
    }
}
