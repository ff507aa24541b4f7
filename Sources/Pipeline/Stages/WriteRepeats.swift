import Foundation
import Model
import Output
import Risk
import Store
import Support

/// `repeats.csv`: the repeat complaints of the window (addresses and places with at least
/// `[repeats] min_cases` cases, see `RepeatFinder`), for the command centre. It names addresses, so
/// `riskmap serve` never serves it. With `--db` from every stored case of the window (as the map),
/// else from this run's located cases.
///
/// With `--db`, found on a thread of its own, started once the cases are stored and joined before the
/// folder is published: the finder is one thread's work that the map's stages, parallel loops with
/// single-threaded steps between them, leave room for. Without, found at once when its cases are made
/// of the located cases (with the map's, `CollectRunCases`), so that its cases and working set are
/// gone before the map is scored (memory at ten million cases). Its time is report.json's
/// `timings_s.repeats`, beside the stages rather than one of them.
struct WriteRepeats {
    /// The rows' text, and the seconds the finding took.
    private let rows: BackgroundValue<(text: String, seconds: Double)>

    /// Starts the finder, on a thread of its own, on the database's window.
    init(style: Style, window: Window, store: CaseStore) {
        rows = BackgroundValue {
            let started = Date()
            let text = try Self.csv(style: style, window: window, store: store, made: nil)
            let seconds = Date().timeIntervalSince(started)
            Memory.returnFreePages()
            return (text, seconds)
        }
    }

    /// Finds the rows of this run's cases at once, on the calling thread: the run does it right after
    /// the cases are made, before the map is scored, so that the finder's cases and working set are gone
    /// before the heat layer's density field is made (at ten million cases the two together passed the
    /// 1.5 GB the run must stay under).
    init(style: Style, window: Window, finding made: consuming RepeatInput) throws {
        let started = Date()
        let text = try Self.csv(style: style, window: window, store: nil, made: made)
        let seconds = Date().timeIntervalSince(started)
        rows = BackgroundValue { (text, seconds) }
    }

    /// Waits for the rows and writes them; the seconds the finding took.
    func write(into folder: OutputFolder) throws -> Double {
        let (text, seconds) = try rows.value()
        try folder.write(text, to: "repeats.csv")
        return seconds
    }

    /// Waits for the thread (a run that fails must not leave it reading the database).
    func finish() { _ = try? rows.value() }

    /// From the database's window, or from the cases already made.
    static func csv(style: Style, window: Window, store: CaseStore?, made: RepeatInput?) throws -> String {
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

/// The window's located cases as the repeat finder takes them, with the category table they index.
struct RepeatInput: Sendable {
    private(set) var cases: [RepeatCase] = []
    private(set) var table: CategoryTable
    let window: Window

    init(style: Style, window: Window) {
        table = CategoryTable(style: style)
        self.window = window
    }

    /// `addressKey`: `AddressKey.of(c.record.address)`, as the map's cases worked it out.
    mutating func add(_ c: LocatedCase, addressKey: UInt64) {
        guard window.contains(c.record.day) else { return }
        cases.append(RepeatCase(day: c.record.day, category: table.id(of: c.record.category), address: c.record.address,
                                addressKey: addressKey, point: c.point, zones: c.zones))
    }
}
