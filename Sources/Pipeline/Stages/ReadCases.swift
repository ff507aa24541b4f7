import Foundation
import Support
import Input
import Model

/// The case rows of all files of a run.
struct CaseInput {
    /// Held once, by reference: `LocateCases` takes them and gives them up as it locates them.
    let records = Held<CaseRecord>()
    var rejects: [RejectedRow] = []
    var rowCount = 0
    /// Each file's header, for `rejects.csv`.
    var headers: [String: [String]] = [:]
    var warnings: [String] = []
}

/// Reads every cases file; a case id seen before (in this file or an earlier one) is rejected as a
/// duplicate, and the first row stands. The rows are taken one at a time as the file is read: no
/// second array of the records, no copy of the file's text.
struct ReadCases: RunStage {
    let options: RunOptions
    var name: String { "read_cases" }

    func run(_: Void) throws -> CaseInput {
        var input = CaseInput()
        var firstRows = FirstRows()
        let bar = options.progress.bar("reading cases")
        defer { bar.finish() }
        for (done, url) in options.cases.enumerated() {
            bar.update(done, of: options.cases.count)
            var records = input.records.take()
            defer { input.records.all = records }
            let (header, rowCount) = try CaseFileReader.read(
                url: url, displayName: url.relativePath, defaultCRS: options.casesCRS,
                expecting: { rows in firstRows.reserve(records.count + rows) }) { row in
                switch row {
                case .reject(let r): input.rejects.append(r)
                case .record(let r):
                    if let first = firstRows.first(of: r.id, next: records.count, in: records) {
                        let at = records[first]
                        input.rejects.append(RejectedRow(file: r.file, line: r.line, id: r.id, reason: .duplicateID,
                                                         detail: "id already used at \(at.file) line \(at.line)",
                                                         fields: r.fields))
                    } else {
                        records.append(r.withoutFields)  // rejected rows' fields are read again (LocateCases)
                    }
                }
            }
            input.rowCount += rowCount
            input.headers[url.relativePath] = header
        }
        return input
    }
}

/// The first record of each case id, as positions in the records array: a hash of the id → position
/// (12 bytes a case, where a dictionary of the id strings would take 40), the id itself compared on a
/// hit; ids whose hash another id took first are kept by their text.
struct FirstRows {
    private var byHash: [UInt64: Int32] = [:]
    private var collided: [String: Int] = [:]

    mutating func reserve(_ count: Int) { byHash.reserveCapacity(count) }

    /// The position of the record that already has `id`; nil when none has, and `id` is then recorded
    /// as the record at `next`.
    mutating func first(of id: String, next: Int, in records: CaseRecords) -> Int? {
        let hash = fnv1a64(id.utf8)
        if let seen = byHash[hash] {
            if records[Int(seen)].id == id { return Int(seen) }
        } else if let position = Int32(exactly: next) {
            byHash[hash] = position
            return nil
        }
        if let other = collided[id] { return other }
        collided[id] = next
        return nil
    }
}

/// Values in chunks (the records read, the located cases), held once by reference so that they are
/// handed on, never copied: the stage that gives them up takes them (`take`), and no copy of the
/// document holding them keeps them alive.
final class Held<Element>: @unchecked Sendable {
    var all: Chunked<Element>
    init(_ all: Chunked<Element> = Chunked()) { self.all = all }
    /// The values, leaving none behind.
    func take() -> Chunked<Element> {
        var taken = Chunked<Element>()
        swap(&taken, &all)
        return taken
    }
}
