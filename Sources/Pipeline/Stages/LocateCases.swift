import Foundation
import Support
import Location
import Model

/// The cases of a run placed into zones, and every row accounted for.
struct LocatedCases {
    /// In file and line order.
    var located: [LocatedCase]
    /// The locator's rejects first, then the readers' (bad dates, duplicate ids, ...).
    var rejected: [RejectedRow]
    /// Case id → why its address disagrees with its coordinates.
    var warnings: [String: String]
    var geocode: GeocodeStats
}

/// Locates the rows read (coordinates, then addresses) with the run's `CaseLocator`.
struct LocateCases: RunStage {
    let locator: CaseLocator
    var name: String { "locate" }

    func run(_ input: CaseInput) throws -> LocatedCases {
        let outcome = try locator.locateAll(input.records)
        var located = outcome.located
        located.sort { ($0.record.file, $0.record.line) < ($1.record.file, $1.record.line) }
        return LocatedCases(located: located, rejected: outcome.rejected + input.rejects, warnings: outcome.warnings,
                            geocode: outcome.geocode)
    }
}
