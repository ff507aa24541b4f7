import Support
import Foundation
import Geometry
import Input
import Model
import Rendering
import Risk
import Store

/// The cases a map is drawn from: the zone scores (window and previous window), the heat layer and
/// the hotspots (window, with a point).
///
/// Without `--db` they are the cases of this run's files. With `--db` they are every case the
/// database holds for those days — the history of all runs, this one's included — so that a daily run
/// on the day's new export draws the same map as a full run on every case ever exported.
struct MapCases {
    var scoring: [ScoringCase] = []
    var table: CategoryTable
    /// Window cases with a point, in one canonical order (see `HeatPoint.canonicalOrder`).
    var heat: [HeatPoint] = []
    var hotspots: [HotspotCase] = []
    /// Cases per zone in the previous window when `scoring` holds only the window's (database).
    var previous: [ZoneLevel: [String: Int]]?
    /// Cases located (in a street at least) and inside the window (report.json `counted`).
    var counted = 0

    /// From this run's located cases, given up a chunk at a time as they are read (`located` is empty
    /// afterwards); `visit` sees each case of the window or the previous window with its `AddressKey`,
    /// worked out once (the repeat finder's cases are made in the same pass).
    init(consuming located: inout Chunked<LocatedCase>, window: Window, style: Style, grid: ZoneGrid? = nil,
         visit: (LocatedCase, UInt64) -> Void = { _, _ in }) throws {
        table = CategoryTable(style: style)
        let previous = window.previous
        var part = MapCasesPart(keepingPoints: grid != nil)
        var last: (text: String, id: Int)?   // exports come sorted by time: runs of one category are common
        located.consume { _, c in
            guard window.contains(c.record.day) || previous.contains(c.record.day) else { return }
            let address = AddressKey.of(c.record.address)
            visit(c, address)
            let text = c.record.category
            let category = last?.text == text ? last!.id : table.id(of: text)
            last = (text, category)
            part.add(ScoringCase(day: c.record.day, category: category, address: address,
                                 zones: c.zones), point: c.point, window: window)
        }
        try join([consume part], grid: grid)
    }

    /// From the database: every stored case of the window, read on all cores, and the previous
    /// window's counts per zone, counted by SQLite meanwhile.
    init(store: CaseStore, window: Window, style: Style, grid: ZoneGrid? = nil) throws {
        var table = CategoryTable(style: style)
        // Each reader's arrays sized once: growing them row by row copies and page-faults hundreds of MB.
        let readers = ProcessInfo.processInfo.activeProcessorCount
        let share = try store.caseCount(first: window.first, last: window.asOf) * 11 / 10 / readers
        let (parts, previous) = try inParallel({
            try store.readMapCases(first: window.first, last: window.asOf, table: &table,
                                   parts: readers,
                                   makePart: { MapCasesPart(reserving: share, keepingPoints: grid != nil) }) { part, c in
                part.add(c.scoring, point: c.point, window: window)
            }
        }, {
            var counts = try store.zoneCounts(first: window.previous.first, last: window.previous.asOf)
            // The database counts no cells: the previous window's points are placed in them here.
            if let grid {
                let points = try store.pointDays(first: window.previous.first, last: window.previous.asOf).map(\.point)
                for case let cell? in try grid.cellIDs(of: points) { counts[.grid, default: [:]][cell, default: 0] += 1 }
            }
            return counts
        })
        self.table = table
        self.previous = previous
        try join(consume parts, grid: grid)
    }

    /// The parts' arrays, joined: a single part's are taken as they are, never copied (each is
    /// hundreds of megabytes at ten million cases), and the heat weights are set in place.
    private mutating func join(_ parts: consuming [MapCasesPart], grid: ZoneGrid?) throws {
        var points: [Coordinate] = []
        for i in parts.indices {
            var p = MapCasesPart()
            swap(&p, &parts[i])
            for k in p.heat.indices { p.heat[k].weight = table.resolved[Int(p.heat[k].weight)].weight }
            Self.append(&scoring, p.scoring)
            Self.append(&points, p.points)
            Self.append(&heat, p.heat)
            Self.append(&hotspots, p.hotspots)
            counted += p.counted
        }
        if let grid { try placeInCells(points, grid: grid) }
        finish()
    }

    private static func append<T>(_ all: inout [T], _ part: consuming [T]) {
        if all.isEmpty { all = part } else { all += part }
    }

    /// Each scoring case's grid cell, from its point (`points` parallel to `scoring`; NaN: no point),
    /// in chunks on all cores, each one batch through PROJ.
    private mutating func placeInCells(_ points: [Coordinate], grid: ZoneGrid) throws {
        let parts = chunks(of: points.count, parts: ProcessInfo.processInfo.activeProcessorCount * 4)
        let cells = try parallelMap(parts.count) { p in try grid.cellIDs(of: Array(points[parts[p]])) }
        for (range, ids) in zip(parts, cells) {
            for (i, id) in zip(range, ids) { scoring[i].zones.grid = id }
        }
    }

    /// Puts the heat points in an order that does not depend on where they came from (file order,
    /// database order): the density field adds them in this order. (The hotspot finder does not
    /// depend on the order of its cases.)
    private mutating func finish() {
        heat.sort(by: HeatPoint.canonicalOrder)
    }
}

/// One reader's share of `MapCases` (the heat points carry the category's table index as their weight
/// until the parts are joined: the table is only complete then).
struct MapCasesPart {
    var scoring: [ScoringCase] = []
    var heat: [HeatPoint] = []
    var hotspots: [HotspotCase] = []
    var counted = 0
    /// With a grid: each scoring case's point, NaN where it has none (the grid places cases by point).
    var points: [Coordinate] = []
    let keepingPoints: Bool

    init(reserving n: Int = 0, keepingPoints: Bool = false) {
        self.keepingPoints = keepingPoints
        scoring.reserveCapacity(n); heat.reserveCapacity(n); hotspots.reserveCapacity(n)
        if keepingPoints { points.reserveCapacity(n) }
    }

    mutating func add(_ c: ScoringCase, point: Coordinate?, window: Window) {
        // A case in no zone counts nowhere: a stored case whose boundaries changed since (see
        // `RunJob.relocateStored`); a located case always has its street.
        guard c.street != nil else { return }
        scoring.append(c)
        if keepingPoints { points.append(point ?? Coordinate(.nan, .nan)) }
        guard window.contains(c.day) else { return }
        counted += 1
        guard let point else { return }
        heat.append(HeatPoint(lon: point.x, lat: point.y, weight: Double(c.category)))
        hotspots.append(HotspotCase(point: point, zones: c.zones))
    }
}
