import Foundation
import Model
import Output
import Risk
import Store

/// `repeats.csv`: the repeat complaints of the window (addresses and places with at least
/// `[repeats] min_cases` cases, see `RepeatFinder`), for the command centre. It names addresses, so
/// `riskmap serve` never serves it. With `--db` from every stored case of the window (as the map),
/// else from this run's located cases.
struct WriteRepeats: RunStage {
    let folder: OutputFolder
    let style: Style
    let window: Window
    let store: CaseStore?
    var name: String { "repeats" }

    func run(_ cases: LocatedCases) throws {
        var table = CategoryTable(style: style)
        let input: [RepeatCase]
        if let store {
            input = try store.repeatCases(first: window.first, last: window.asOf, table: &table)
        } else {
            input = cases.located.filter { window.contains($0.record.day) }.map { c in
                RepeatCase(day: c.record.day, category: table.id(of: c.record.category), address: c.record.address,
                           addressKey: AddressKey.of(c.record.address), point: c.point, zones: c.zones)
            }
        }
        let groups = RepeatFinder(rule: style.repeats, window: window).find(input, categories: table.resolved)
        try folder.write(RepeatsWriter.csv(groups), to: "repeats.csv")
    }
}
