import Foundation
import Geometry
import Input
import Model
import Output
import Risk
import Store
import Support

/// `riskmap stats --emerging`: the Emerging Hot Spot category of every zone of a level, from the case
/// database's history (`CaseStore.zoneSeries`), with the zones' shapes from the zone GeoJSON of `--out`
/// (the database keeps no geometry) for the spatial weights of the style's `[gi]`.
struct EmergingStats {
    var options: StatsOptions
    var style: Style
    var store: CaseStore

    /// One zone's line of the answer.
    struct Row {
        var zone: Zone
        var counts: [Int]
        var result: EmergingResult
    }

    func run() throws -> String {
        let q = options.query
        if let option = ([("--category", q.category != nil), ("--since", q.since != nil), ("--until", q.until != nil),
                          ("--window", q.window != nil), ("--explain", q.explain != nil), ("--hotspots", q.hotspots)]
                         .first { $0.1 }?.0) {
            throw UsageError(option, "not with --emerging: the history counts every case of every category, in steps up to --as-of")
        }
        let level = q.level
        try q.checkParent { up, id in try store.zones(up).areas[id] != nil }
        let (zones, areas) = try store.zones(level)
        guard !zones.isEmpty else {
            throw UsageError("--db", "the database holds no \(level.rawValue) zones: run `riskmap run --db` first")
        }
        let shaped = try withShapes(zones, level: level)
        let asOf = try q.asOf ?? store.lastRun()?.asOf ?? Day.today()
        let steps = q.steps ?? style.emerging.steps, stepDays = q.stepDays ?? style.emerging.stepDays
        let series: [String: [Int]]
        do {
            // The grid's cells are not stored with the cases: its points are placed in the cells of --out.
            series = level == .grid
                ? try FolderGrid(out: options.out, storedAreas: areas).series(store, last: asOf, stepDays: stepDays, steps: steps)
                : try store.zoneSeries(level: level, last: asOf, stepDays: stepDays, steps: steps)
        } catch let e as HistoryError where q.steps != nil || q.stepDays != nil {
            throw UsageError(q.steps != nil ? "--steps" : "--step-days", e.description)
        }
        let counts = shaped.map { series[$0.id] ?? Array(repeating: 0, count: steps) }
        let weights = try style.gi.spatialWeights(shaped.map(\.geometry))
        let results = EmergingHotSpots.details(counts: counts, areasKm2: shaped.map { areas[$0.id] ?? 0 }, weights: weights)
        let rows = zip(shaped, zip(counts, results)).map { Row(zone: $0, counts: $1.0, result: $1.1) }
            .filter { q.parent == nil || $0.zone.parent == q.parent }
        return render(rows, asOf: asOf, stepDays: stepDays)
    }

    /// The database's zones with the shapes of the same ids in `<out>/<level file>`.
    func withShapes(_ zones: [Zone], level: ZoneLevel) throws -> [Zone] {
        let file = options.out.appendingPathComponent(level.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw InputError(file: file.path, "not found: --emerging reads the zones' shapes from the zone GeoJSON of --out "
                             + "(the database keeps none); give the --out of the run that wrote --db")
        }
        let shapes = Dictionary(try BoundaryReader(folder: options.out).readZones(level).map { ($0.id, $0.geometry) },
                                uniquingKeysWith: { a, _ in a })
        return try zones.map { zone in
            guard let shape = shapes[zone.id] else {
                throw InputError(file: file.path, "no \(level.rawValue) '\(zone.id)', which the database holds: "
                                 + "give the --out of the run that wrote --db")
            }
            var z = zone
            z.geometry = shape
            return z
        }
    }

    /// Hot categories first (in ArcGIS's order), then cold, then none; within a category the strongest
    /// trend first, then by id.
    func render(_ rows: [Row], asOf: Day, stepDays: Int) -> String {
        let order = Dictionary(uniqueKeysWithValues: EmergingCategory.allCases.enumerated().map { ($1, $0) })
        let sorted = rows.sorted { a, b in
            let (ca, cb) = (order[a.result.category] ?? 0, order[b.result.category] ?? 0)
            if ca != cb { return ca < cb }
            if abs(a.result.trend.z) != abs(b.result.trend.z) { return abs(a.result.trend.z) > abs(b.result.trend.z) }
            return a.zone.id < b.zone.id
        }
        let shown = Array(sorted.prefix(options.query.top ?? sorted.count))
        let render = StatsRender(options: options)
        let header = ["id", "name", "parent", "emerging", "hot_steps", "cold_steps", "cases", "trend_z", "trend_p"]
        func cells(_ r: Row) -> [String] {
            [r.zone.id, r.zone.name, r.zone.parent ?? "", r.result.category.rawValue, "\(r.result.hotSteps)",
             "\(r.result.coldSteps)", "\(r.counts.reduce(0, +))", String(format: "%.3f", r.result.trend.z),
             String(format: "%.4f", r.result.trend.p)]
        }
        switch options.query.format {
        case .json:
            return "[" + shown.map { json($0, asOf: asOf, stepDays: stepDays) }.joined(separator: ",\n") + "]\n"
        case .csv:
            return render.csv(header, shown.map(cells))
        case .table:
            return render.table(["id", "name", "parent", "emerging", "hot", "cold", "cases", "trend z", "trend p"],
                                shown.map(cells), rightAligned: [4, 5, 6, 7, 8])
        }
    }

    func json(_ r: Row, asOf: Day, stepDays: Int) -> String {
        JSONText.object([
            ("id", JSONText.string(r.zone.id)), ("name", JSONText.string(r.zone.name)),
            ("parent", JSONText.optional(r.zone.parent)), ("emerging", JSONText.string(r.result.category.rawValue)),
            ("hot_steps", "\(r.result.hotSteps)"), ("cold_steps", "\(r.result.coldSteps)"),
            ("trend_z", JSONText.number(r.result.trend.z, decimals: 6)), ("trend_p", JSONText.number(r.result.trend.p, decimals: 8)),
            ("trend", JSONText.string(r.result.trend.trend.rawValue)),
            ("last_day", JSONText.string("\(asOf)")), ("step_days", "\(stepDays)"),
            ("counts", "[" + r.counts.map(String.init).joined(separator: ",") + "]"),
        ])
    }
}
