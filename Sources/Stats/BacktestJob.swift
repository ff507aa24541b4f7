import Foundation
import Support
import Model
import Output
import Risk
import Store

public enum EvaluateFormat: String, CaseIterable, Sendable {
    case table, json
}

/// What `riskmap evaluate` needs: the database, the days, the horizon, the style.
public struct EvaluateOptions: Sendable {
    public var db: URL
    public var from: Day
    public var to: Day
    public var horizon: Int
    public var format: EvaluateFormat
    /// `--style FILE`; nil: the style built into the binary.
    public var style: URL?
    /// The output folder of a run on this database (`--out`): its zone files give the zones' neighbours
    /// for the significant hot spots; without them the backtest measures the red zones and the baseline.
    public var out: URL?
    public init(db: URL, from: Day, to: Day, horizon: Int = 30, format: EvaluateFormat = .table, style: URL? = nil,
                out: URL? = nil) {
        self.db = db; self.from = from; self.to = to; self.horizon = horizon; self.format = format; self.style = style
        self.out = out
    }

    /// The longest horizon asked for: ten years (beyond it the day arithmetic is no longer a backtest).
    public static let horizonRange = 1...3660
}

/// `riskmap evaluate`: the backtest of the maps `run --db` would have drawn on the days `from...to`.
public struct EvaluateJob {
    public var options: EvaluateOptions
    public init(options: EvaluateOptions) { self.options = options }

    /// The text to print.
    public func run() throws -> String {
        try CaseStore.verifyIntegrity(at: options.db)
        let store = try CaseStore(url: options.db, create: false)
        let style = try Style.load(options.style)
        let document = try BacktestRun(options: options, style: style, store: store).document()
        switch options.format {
        case .json: return DocumentJSON.text(document, pretty: true) + "\n"
        case .table: return Self.table(document)
        }
    }

    /// One row per level and map (the style's red zones, then the baseline).
    static func table(_ d: BacktestDocument) -> String {
        func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func fixed(_ x: Double) -> String { String(format: "%.2f", x) }
        var rows: [[String]] = []
        for level in d.levels.keys.sorted(by: levelOrder) {
            guard let l = d.levels[level] else { continue }
            for (name, m) in [("red zones", l.map), ("baseline", l.baseline)] + (l.hotSpots.map { [("hot spots (Gi*)", $0)] } ?? []) {
                rows.append([level, name, percent(m.hitRate), percent(m.areaShare), fixed(m.pai), fixed(m.peiStar),
                             String(format: "%.1f", m.redZones), "\(m.hits)", "\(m.nextCases)"])
            }
        }
        let title = "Backtest \(d.from) … \(d.to) (\(d.levels.values.first?.map.days ?? 0) days): each day's map against "
            + "the cases of the next \(d.horizon) days; window \(d.windowDays) days, style \(d.style)\n"
        return title + StatsRender(query: StatsQuery(level: .street, format: .table))
            .table(["level", "map", "hit rate", "area share", "PAI", "PEI*", "zones/day", "hits", "next cases"], rows,
                   rightAligned: [2, 3, 4, 5, 6, 7, 8])
    }

    /// Levels from the street down; names the model does not know (none today) last, by name.
    static func levelOrder(_ a: String, _ b: String) -> Bool {
        let rank = { (s: String) in ZoneLevel(rawValue: s).map { ZoneLevel.allCases.firstIndex(of: $0)! } ?? Int.max }
        return (rank(a), a) < (rank(b), b)
    }
}

/// One backtest: the cases read once, each day's map scored from them, the outcomes summed.
struct BacktestRun {
    var options: EvaluateOptions
    var style: Style
    var store: CaseStore

    /// A level's zones in the order scoring keeps, with their areas and an index by id.
    struct LevelZones {
        var level: ZoneLevel
        var zones: [Zone]
        var ids: [String]
        var areas: [Double]
        var areaByID: [String: Double]
        var index: [String: Int]
        /// The level's Gi* weights in the order of `zones`, when `--out` holds its shapes.
        var weights: SpatialWeights?
    }

    func document() throws -> BacktestDocument {
        let days = try checkedDays()
        let levels = try ZoneLevel.allCases.map { level in
            let (zones, areas) = try store.zones(level)
            let ids = zones.map(\.id)
            let weights = options.out.flatMap { try? LevelNeighbours(out: $0, level: level, style: style).weights(inOrderOf: ids) }
            return LevelZones(level: level, zones: zones, ids: ids, areas: ids.map { areas[$0] ?? 0 }, areaByID: areas,
                              index: Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }),
                              weights: weights)
        }
        let history = try CaseHistory(store: store, style: style, first: days.lowerBound - (style.windowDays - 1),
                                      last: days.upperBound + options.horizon, levels: levels)
        let evaluated = (days.lowerBound.ordinal...days.upperBound.ordinal).map { Day(ordinal: $0) }
        // One day per task, all levels in it: the window's cases and repeats are shared by the levels.
        let outcomes = parallelMap(evaluated.count) { i in dayOutcomes(evaluated[i], history: history, levels: levels) }
        var document = BacktestDocument(from: options.from.description, to: options.to.description, horizon: options.horizon,
                                        windowDays: style.windowDays, style: style.file, levels: [:])
        for (l, zones) in levels.enumerated() {
            var map = BacktestTally(), baseline = BacktestTally(), hot = BacktestTally()
            for day in outcomes {
                map.add(day[l].map)
                baseline.add(day[l].baseline)
                if let h = day[l].hot { hot.add(h) }
            }
            document.levels[zones.level.rawValue] = BacktestDocument.Level(map: map.measures, baseline: baseline.measures,
                                                                           hotSpots: zones.weights == nil ? nil : hot.measures)
        }
        return document
    }

    /// `from...to`, once it is sure that every day has a whole window before it and a whole horizon
    /// after it in the stored history. A date outside is a mistake on the command line (exit 2), with
    /// the days that would do.
    func checkedDays() throws -> ClosedRange<Day> {
        guard let stored = try store.storedDays() else {
            throw InputError(file: options.db.path, "holds no cases: nothing to backtest (store cases with `riskmap run --db`)")
        }
        let window = style.windowDays, horizon = options.horizon
        let earliest = stored.lowerBound + (window - 1)
        if options.from < earliest {
            throw UsageError("--from", "the \(window)-day window of \(options.from) starts on \(options.from - (window - 1)), before the "
                             + "database's first stored day \(stored.lowerBound); the first day with a whole window is \(earliest)")
        }
        let reach = options.to + horizon
        if reach > stored.upperBound {
            let lacking = reach.ordinal - stored.upperBound.ordinal
            throw UsageError("--to", "the \(horizon)-day horizon after \(options.to) reaches \(reach), but the database's history ends "
                             + "on \(stored.upperBound): it lacks \(lacking) day\(lacking == 1 ? "" : "s"); the last day with a whole "
                             + "horizon is \(stored.upperBound - horizon) (or give a shorter --horizon)")
        }
        return options.from...options.to
    }

    /// Day D's outcomes per level (in `levels`' order): the map `run --db` draws as of D (the style's
    /// window ending D, scored as `Scorer` scores it) and the baseline, against the cases of (D, D + horizon].
    func dayOutcomes(_ day: Day, history: CaseHistory, levels: [LevelZones]) -> [(map: DayOutcome, baseline: DayOutcome, hot: DayOutcome?)] {
        let window = Window(asOf: day, days: style.windowDays)
        let cases = history.cases(window.first...window.asOf)
        let scorer = Scorer(style: style, window: window)
        let repeats = scorer.repeatedAddresses(cases)
        return levels.enumerated().map { l, zones in
            // The previous window only makes the trend, never the colour: not read.
            var stats = scorer.score(level: zones.level, zones: zones.zones, cases: cases, categories: history.categories,
                                     areas: zones.areaByID, repeats: repeats, previous: [:])
            let red = stats.indices.filter { stats[$0].level == .red }
            let next = history.counts(level: l, zones: zones.ids.count, days: (day + 1)...(day + options.horizon))
            let baseline = Backtest.baseline(count: red.count, windowCases: stats.map(\.cases), ids: zones.ids)
            // The day's significant hot spots (Gi* classes hot90/95/99 of the map `run` would have drawn).
            let hot = zones.weights.map { weights -> DayOutcome in
                ZoneSignificance.assignGi(&stats, weights: weights, style: style.gi)
                let flagged = stats.indices.filter { stats[$0].gi?.giClass.isHot == true }
                return Backtest.outcome(flagged: flagged, next: next, areas: zones.areas)
            }
            return (Backtest.outcome(flagged: red, next: next, areas: zones.areas),
                    Backtest.outcome(flagged: baseline, next: next, areas: zones.areas), hot)
        }
    }
}

/// The stored cases of the days a backtest needs, read once (all levels, on all cores) and kept by
/// day, so that every day's window is a run of whole days; and per day and level, the cases per zone
/// (sparse), for the next periods.
struct CaseHistory: Sendable {
    let first: Day
    let categories: [ResolvedCategory]
    /// By day − first.
    private let byDay: [[ScoringCase]]
    /// [level][day − first]: (zone index, cases) of the zones with cases that day.
    private let zoneCounts: [[[(zone: Int, cases: Int)]]]

    init(store: CaseStore, style: Style, first: Day, last: Day, levels: [BacktestRun.LevelZones]) throws {
        var table = CategoryTable(style: style)
        let span = last.ordinal - first.ordinal + 1
        let parts = try store.readMapCases(first: first, last: last, table: &table, parts: ProcessInfo.processInfo.activeProcessorCount,
                                           makePart: { [ScoringCase]() }) { part, c in
            // As `run --db` draws its map: a case in no zone counts nowhere (see `MapCasesPart.add`).
            if c.scoring.street != nil { part.append(c.scoring) }
        }
        var byDay = [[ScoringCase]](repeating: [], count: span)
        for part in parts { for c in part { byDay[c.day.ordinal - first.ordinal].append(c) } }
        self.first = first
        self.categories = table.resolved
        self.byDay = byDay
        zoneCounts = levels.map { zones in
            byDay.map { cases in
                var counts: [Int: Int] = [:]
                for c in cases { if let id = c.zone(zones.level), let z = zones.index[id] { counts[z, default: 0] += 1 } }
                return counts.map { (zone: $0.key, cases: $0.value) }
            }
        }
    }

    /// The cases of `days`, in day order.
    func cases(_ days: ClosedRange<Day>) -> [ScoringCase] {
        let range = (days.lowerBound.ordinal - first.ordinal)...(days.upperBound.ordinal - first.ordinal)
        var out: [ScoringCase] = []
        out.reserveCapacity(range.reduce(0) { $0 + byDay[$1].count })
        for d in range { out += byDay[d] }
        return out
    }

    /// Cases per zone of `levels[level]` over `days`.
    func counts(level: Int, zones: Int, days: ClosedRange<Day>) -> [Int] {
        var out = [Int](repeating: 0, count: zones)
        for d in (days.lowerBound.ordinal - first.ordinal)...(days.upperBound.ordinal - first.ordinal) {
            for (z, n) in zoneCounts[level][d] { out[z] += n }
        }
        return out
    }
}
