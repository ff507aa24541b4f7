import Foundation
import Support
import Model
import Output
import Risk
import Store

/// `riskmap stats`: zone statistics for analysts, from the case database (any category, any days) or,
/// without one, from the zone GeoJSON a run wrote (that run's window only).
public struct StatsJob {
    public var options: StatsOptions
    public init(options: StatsOptions) { self.options = options }

    /// The text to print.
    public func run() throws -> String {
        // The database first: a missing or damaged one is the problem to report, whatever the style.
        if let db = options.db, options.verifyDatabase { try CaseStore.verifyIntegrity(at: db) }
        let store = try options.db.map { try CaseStore(url: $0, create: false) }
        let style = try Style.load(options.style)
        if let store {
            if options.query.emerging { return try EmergingStats(options: options, style: style, store: store).run() }
            return try DatabaseStats(options: options, style: style, store: store).run()
        }
        if options.query.emerging {
            throw UsageError("--emerging", "needs --db FILE: the categories come from the database's history of cases")
        }
        if options.repeats != nil {
            throw UsageError("--repeats", "needs --db FILE: repeat complaints are counted from the stored cases and their addresses")
        }
        if let first = options.query.caseFilters.first {
            throw UsageError(first, "needs --db FILE: the zone GeoJSON of --out holds only the window of its run")
        }
        return try FolderStats(options: options, style: style).run()
    }

    /// Opens the database at `url` and checks it as `stats` does (it must exist, be a riskmap
    /// database and pass `PRAGMA quick_check`); for `serve --db` at start-up.
    public static func verifyDatabase(_ url: URL) throws {
        try CaseStore.verifyIntegrity(at: url)
        _ = try CaseStore(url: url, create: false)
    }
}

/// Statistics computed afresh from the database with the style's rules.
struct DatabaseStats {
    var options: StatsOptions
    var style: Style
    var store: CaseStore

    func run() throws -> String {
        let last = try store.lastRun()
        let window = try options.query.days(defaultAsOf: last?.asOf ?? Day.today(), defaultDays: last?.windowDays ?? style.windowDays)
        let only = try options.query.category.map { try categoryKey($0) }
        if options.query.hotspots { return try hotspots(window: window, only: only) }
        if let repeats = options.repeats { return try self.repeats(repeats, window: window, only: only) }
        let level = try options.query.explain.map { try levelOf(zone: $0) } ?? options.query.level
        try checkParent()
        // The grid: cells from the run's grid.geojson, cases placed by their points (see FolderGrid).
        let grid = level == .grid ? try FolderGrid(out: options.out, storedAreas: try store.zones(.grid).areas) : nil
        let (zones, areas) = try grid.map { ($0.zones, $0.areas) } ?? store.zones(level)
        var table = CategoryTable(style: style)
        let cases = try grid?.scoringCases(store, first: window.previous.first, last: window.asOf, table: &table)
            ?? store.scoringCases(level: level, first: window.previous.first, last: window.asOf, table: &table)
        var stats = Scorer(style: style, window: window, only: only)
            .score(level: level, zones: zones, cases: cases, categories: table.resolved, areas: areas)
        // Gi* and the emerging categories need the zones' neighbours, from the shapes in the zone file
        // of --out (the database keeps none): with them the rows carry what the run's features carry.
        // `--sort gi` cannot do without them (the error says why); otherwise they are added when found.
        let file = options.out.appendingPathComponent(level.fileName).path
        let neighbours = options.query.sort == .gi
            ? try LevelNeighbours(out: options.out, level: level, style: style)
            : try? LevelNeighbours(out: options.out, level: level, style: style)
        if let neighbours {
            let ordered = options.query.sort == .gi
                ? try neighbours.assigningGi(stats, style: style, file: file) : try? neighbours.assigningGi(stats, style: style, file: file)
            if let ordered {
                stats = ordered
                try? assignEmerging(&stats, level: level, asOf: window.asOf, weights: neighbours.weights, grid: grid)
            }
        }
        if let id = options.query.explain {
            let text = Explanation(style: style, window: window, only: only).text(stats.first { $0.zone.id == id }!)
            let ordered = neighbours.flatMap { n in try? n.assigningGi(stats, style: style, file: "") }
            guard let neighbours, let ordered,
                  let gi = neighbours.text(id: id, densities: ordered.map(ZoneSignificance.writtenDensity)) else {
                return text + "(Gi*: no zone GeoJSON of this database's zones in \(options.out.path) for their neighbours)\n"
            }
            return text + gi + "\n"
        }
        let shown = stats.filter { options.query.parent == nil || $0.zone.parent == options.query.parent }
        return StatsRender(options: options).zones(shown.map { StatsRow($0, style: style) })
    }

    /// The emerging hot spot categories of `stats` (in the order of `weights`), as `run --db` finds them.
    func assignEmerging(_ stats: inout [ZoneStats], level: ZoneLevel, asOf: Day, weights: SpatialWeights, grid: FolderGrid?) throws {
        let steps = style.emerging
        let series = try grid?.series(store, last: asOf, stepDays: steps.stepDays, steps: steps.steps)
            ?? store.zoneSeries(level: level, last: asOf, stepDays: steps.stepDays, steps: steps.steps)
        ZoneSignificance.assignEmerging(&stats, series: series, steps: steps.steps, weights: weights)
    }

    /// `--category` as a key of the style: a key or any word of its vocabulary.
    func categoryKey(_ name: String) throws -> String {
        guard let key = style.categoryKey(named: name) else {
            throw UsageError("--category", "unknown category '\(name)'; the style knows \(style.categoryKeys.joined(separator: ", "))")
        }
        return key
    }

    /// The level of the zone to explain: --level first, then any level that has the id.
    func levelOf(zone id: String) throws -> ZoneLevel {
        for level in [options.query.level] + ZoneLevel.allCases where try store.zones(level).areas[id] != nil { return level }
        throw UsageError("--explain", "unknown zone id '\(id)' (no street, community or post has it)")
    }

    func checkParent() throws {
        try options.query.checkParent { level, id in try store.zones(level).areas[id] != nil }
    }

    func hotspots(window: Window, only: String?) throws -> String {
        var table = CategoryTable(style: style)
        let cases = try store.pointCases(first: window.first, last: window.asOf, table: &table)
            .filter { only == nil || table.resolved[$0.category].keys.contains(only!) }.map(\.0)
        let found = HotspotFinder(cellMetres: style.hotspots.cellMetres).find(cases, top: options.query.top ?? style.hotspots.count)
        return StatsRender(options: options).hotspots(found.map { HotspotRow($0) })
    }
}

extension DatabaseStats {
    /// `--repeats`: the addresses and places with at least K cases in the window (`RepeatFinder`).
    func repeats(_ query: RepeatsQuery, window: Window, only: String?) throws -> String {
        var rule = style.repeats
        if let k = query.minCases { rule.minCases = k }
        if let m = query.withinMetres { rule.withinMetres = m }
        var table = CategoryTable(style: style)
        var cases = try store.repeatCases(first: window.first, last: window.asOf, table: &table)
        if let only { cases = cases.filter { table.resolved[$0.category].keys.contains(only) } }
        let found = RepeatFinder(rule: rule, window: window).find(cases, categories: table.resolved)
        let shown = Array(found.prefix(options.query.top ?? found.count))
        switch options.query.format {
        case .json: return RepeatsWriter.json(shown)
        case .csv: return RepeatsWriter.csv(shown)
        case .table:
            return StatsRender(options: options).table(RepeatsWriter.header, shown.map(RepeatsWriter.cells),
                                                       rightAligned: [2, 3, 4, 11, 12])
        }
    }
}

/// Statistics read back from the zone GeoJSON of an output folder.
struct FolderStats {
    var options: StatsOptions
    var style: Style

    func run() throws -> String {
        if options.query.hotspots {
            let rows = try document("hotspots.geojson", as: HotspotCollection.self).features.map(HotspotRow.init(feature:))
            return StatsRender(options: options).hotspots(Array(rows.prefix(options.query.top ?? rows.count)))
        }
        if let id = options.query.explain {
            for level in [options.query.level] + ZoneLevel.allCases {
                let all = try rows(level)
                guard let row = all.first(where: { $0.id == id }) else { continue }
                var text = Explanation.text(folderRow: row, level: level)
                if let neighbours = try? LevelNeighbours(out: options.out, level: level, style: style),
                   let gi = neighbours.text(id: id, densities: all.map(\.density)) {
                    text += gi + "\n"
                }
                return text
            }
            throw UsageError("--explain", "unknown zone id '\(id)' in \(options.out.path)")
        }
        var rows = try rows(options.query.level)
        try options.query.checkParent { level, id in try self.rows(level).contains { $0.id == id } }
        if let parent = options.query.parent { rows = rows.filter { $0.parent == parent } }
        return StatsRender(options: options).zones(rows)
    }

    func rows(_ level: ZoneLevel) throws -> [StatsRow] {
        try document(level.fileName, as: ZoneCollection.self).features.map { StatsRow(properties: $0.properties) }
    }

    /// A GeoJSON file of the output folder, typed.
    func document<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = options.out.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, "not found: run `riskmap run --out \(options.out.path)` first, or give --db FILE")
        }
        do {
            return try DocumentJSON.decode(type, from: data)
        } catch {
            throw InputError(file: url.path, "not a GeoJSON FeatureCollection as riskmap writes it: \(DocumentJSON.describe(error))")
        }
    }
}
