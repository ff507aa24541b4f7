import Foundation
import Model
import Output
import Risk
import Store
import Support
import Synchronization

/// `repeats.csv`: the repeat complaints of the window (addresses and places with at least
/// `[repeats] min_cases` cases, see `RepeatFinder`), for the command centre. It names addresses, so
/// `riskmap serve` never serves it. With `--db` from every stored case of the window (as the map),
/// else from this run's located cases.
///
/// Found on a thread of its own, started once the cases are stored and joined before the folder is
/// published: the finder is one thread's work (a second or two on the 1M-case district) that the map's
/// stages, parallel loops with single-threaded steps between them, leave room for. Its time is
/// report.json's `timings_s.repeats`, beside the stages rather than one of them.
struct WriteRepeats {
    private let rows: RepeatRows
    private let task: BackgroundTask

    /// Without a database the finder's cases are made here, before the thread starts: the run lets
    /// the located cases go once the map's cases are collected, and the thread must not hold them.
    init(style: Style, window: Window, store: CaseStore?, located: [LocatedCase]) {
        let rows = RepeatRows()
        self.rows = rows
        let made = store == nil ? Self.cases(located, style: style, window: window) : nil
        task = BackgroundTask {
            let started = Date()
            rows.set(try Self.csv(style: style, window: window, store: store, made: made),
                     seconds: Date().timeIntervalSince(started))
        }
    }

    /// Waits for the rows and writes them; the seconds the finding took.
    func write(into folder: OutputFolder) throws -> Double {
        if let error = task.wait() { throw error }
        let (text, seconds) = rows.get()
        try folder.write(text, to: "repeats.csv")
        return seconds
    }

    /// Waits for the thread (a run that fails must not leave it reading the database).
    func finish() { _ = task.wait() }

    /// The window's located cases as the finder takes them, with the category table they index.
    static func cases(_ located: [LocatedCase], style: Style, window: Window) -> (cases: [RepeatCase], table: CategoryTable) {
        var table = CategoryTable(style: style)
        let cases = located.filter { window.contains($0.record.day) }.map { c in
            RepeatCase(day: c.record.day, category: table.id(of: c.record.category), address: c.record.address,
                       addressKey: AddressKey.of(c.record.address), point: c.point, zones: c.zones)
        }
        return (cases, table)
    }

    /// From the database's window, or from the cases already made.
    static func csv(style: Style, window: Window, store: CaseStore?,
                            made: (cases: [RepeatCase], table: CategoryTable)?) throws -> String {
        var table = made?.table ?? CategoryTable(style: style)
        let input: [RepeatCase]
        if let made {
            input = made.cases
        } else if let store {
            input = try store.repeatCases(first: window.first, last: window.asOf, table: &table)
        } else {
            input = []
        }
        return RepeatsWriter.csv(RepeatFinder(rule: style.repeats, window: window).find(input, categories: table.resolved))
    }
}

/// The finished rows, handed from the finder's thread to the run's.
private final class RepeatRows: Sendable {
    private let value = Mutex<(text: String, seconds: Double)>(("", 0))
    func set(_ text: String, seconds: Double) { value.withLock { $0 = (text, seconds) } }
    func get() -> (text: String, seconds: Double) { value.withLock { $0 } }
}
