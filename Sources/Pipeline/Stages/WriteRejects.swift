import Foundation
import Support
import Model
import Output

/// `rejects.csv`: every row not located, with its reason and its original fields.
struct WriteRejects: RunStage {
    let folder: OutputFolder
    /// Each cases file's header (the rejects keep their file's columns).
    let headers: [String: [String]]
    var name: String { "write_rejects" }

    func run(_ cases: LocatedCases) throws {
        try folder.writeStreaming(to: "rejects.csv") { append in
            try RejectsWriter.csv(cases.rejected, headers: headers, append: append)
        }
    }
}
