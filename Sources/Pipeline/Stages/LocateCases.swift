import Foundation
import Support
import Input
import Location
import Model
import Output

/// The cases of a run placed into zones, and every row accounted for.
struct LocatedCases {
    /// In file and line order. Given up as the map's cases are collected (see `RunJob`): `counts` keeps
    /// what the report says of them.
    let held: Held<LocatedCase>
    var located: Chunked<LocatedCase> { held.all }
    var counts: LocatedCounts
    /// The locator's rejects first, then the readers' (bad dates, duplicate ids, ...).
    var rejected: [RejectedRow]
    /// Case id → why its address disagrees with its coordinates.
    var warnings: [String: String]
    var geocode: GeocodeStats
}

/// Locates the rows read (coordinates, then addresses) with the run's `CaseLocator`.
struct LocateCases: RunStage {
    let locator: CaseLocator
    /// The cases files by the name records carry (`URL.relativePath`, as `ReadCases` names them).
    let files: [URL]
    var name: String { "locate" }

    func run(_ input: CaseInput) throws -> LocatedCases {
        // The records are given up as their cases are made: the two are never both whole in memory.
        var records = input.records.take()
        var outcome = try locator.locateAll(consuming: &records)
        // Taken out of the outcome so that the sort moves the cases without a copy of the outcome's.
        var located = Chunked<LocatedCase>()
        swap(&located, &outcome.cases)
        // In the records' order, which is already (file, line) unless the files were named out of order.
        let inOrder = { (a: LocatedCase, b: LocatedCase) in (a.record.file, a.record.line) < (b.record.file, b.record.line) }
        if zip(located, located.dropFirst()).contains(where: { !inOrder($0, $1) }) { located.sort(by: inOrder) }
        return LocatedCases(held: Held(located), counts: LocatedCounts(located),
                            rejected: try withFields(outcome.rejected) + input.rejects,
                            warnings: outcome.warnings, geocode: outcome.geocode)
    }

    /// The records were read without their rows' fields (`ReadCases`): the locator's rejects get them
    /// from their files again, for rejects.csv.
    private func withFields(_ rejects: [RejectedRow]) throws -> [RejectedRow] {
        let wanted = Dictionary(grouping: rejects.filter { $0.fields.isEmpty }, by: \.file)
            .mapValues { Set($0.map(\.line)) }
        guard !wanted.isEmpty else { return rejects }
        var fields: [String: [Int: [String]]] = [:]
        for url in files {
            guard let lines = wanted[url.relativePath], fields[url.relativePath] == nil else { continue }
            fields[url.relativePath] = try CaseFileReader.fields(at: lines, url: url, displayName: url.relativePath)
        }
        return rejects.map { r in
            guard r.fields.isEmpty, let row = fields[r.file]?[r.line] else { return r }
            var r = r
            r.fields = row
            return r
        }
    }
}
