import Foundation
import Geometry
import Model
import TOMLKit

/// The `[repeats]` table of a style: what `stats --repeats` and the command centre's `repeats.csv`
/// list as repeat complaints. (Not `[repeat]`, which weighs repeated addresses in the score.)
/// Both keys are optional (a style without the table gets these defaults); a key that is present must
/// be valid, or the style is refused with an error naming the file and the key.
public struct RepeatsRule: Sendable, Equatable {
    /// An address or place is listed with at least this many cases in the window.
    public var minCases = 3
    /// Cases whose points lie within this many metres of each other belong to one place.
    public var withinMetres = 50.0

    public static let minCasesRange = 2...1_000_000
    public static let withinRange = 1.0...10_000.0

    public init(minCases: Int = 3, withinMetres: Double = 50) {
        self.minCases = minCases; self.withinMetres = withinMetres
    }

    /// Reads `[repeats]` from a parsed style; absent keys keep their defaults.
    init(table: TOMLTable, file: String) throws {
        guard let value = table["repeats"] else { return }
        guard let t = value.table else { throw InputError(file: file, location: "key 'repeats'", "must be a table") }
        func error(_ key: String, _ message: String) -> InputError {
            InputError(file: file, location: "key 'repeats.\(key)'", message)
        }
        if let v = t["min_cases"] {
            guard let k = v.int else { throw error("min_cases", "must be a whole number") }
            guard Self.minCasesRange.contains(k) else {
                throw error("min_cases", "\(k) is outside \(Self.minCasesRange.lowerBound)...\(Self.minCasesRange.upperBound)")
            }
            minCases = k
        }
        if let v = t["within_m"] {
            guard let m = v.double ?? v.int.map(Double.init) else { throw error("within_m", "must be a number of metres") }
            // 1 m at least: the place grid's cells are this size, and a zero or NaN cell has no grid.
            guard Self.withinRange.contains(m) else { throw error("within_m", "\(m) is outside 1...10000 metres") }
            withinMetres = m
        }
    }
}

/// A case as the repeat finder needs it: its day, category, the address as written and its key, its
/// point and zones.
public struct RepeatCase: Sendable {
    public var day: Day
    /// Index into the `CategoryTable` the cases were read with.
    public var category: Int
    public var address: String
    /// `AddressKey.of(address)`: two spellings of one door share it; 0 for no address.
    public var addressKey: UInt64
    public var point: Coordinate?
    public var zones: ZoneRef
    public init(day: Day, category: Int, address: String, addressKey: UInt64, point: Coordinate?, zones: ZoneRef) {
        self.day = day; self.category = category; self.address = address; self.addressKey = addressKey
        self.point = point; self.zones = zones
    }
}

/// One repeat complaint: an address, or a place (cases close together), with at least K cases.
public struct RepeatGroup: Sendable, Equatable {
    public enum Kind: String, Sendable { case address, place }
    public var kind: Kind
    /// The address (by `AddressKey`) with the most cases, as it is most often written (ties: the
    /// smallest text); for an address group, its own.
    public var address: String
    /// Distinct addresses (by `AddressKey`) among the cases.
    public var addresses: Int
    /// The mean point of the cases that have one; nil when none has.
    public var center: Coordinate?
    /// Per level, the zone most of the cases are in (ties: the smaller id).
    public var zones: ZoneRef
    /// Category key → cases (a case naming two categories counts in both, as in `stats`).
    public var categories: [String: Int]
    public var first: Day
    public var last: Day
    public var cases: Int
    /// Cases in the second half of the window minus cases in the first half (halves of ⌊window/2⌋
    /// days each; the middle day of an odd window counts in neither): > 0 growing, < 0 fading.
    public var trend: Int
}

/// Finds the repeat complaints of a window.
///
/// Addresses: cases grouped by `AddressKey` (the normalised address). Places: single-linkage clusters
/// of the cases with a point — two cases within `withinMetres` of each other are in one place, and so
/// are the cases of one address — found with a grid hash of cells `withinMetres`/√2 wide (the points of
/// one cell are all near each other; a point's neighbours lie in the 5 × 5 cells around it). A place that is just one listed address is not
/// listed again. Distances are in a local equirectangular frame at the cases' southern edge, as the
/// hotspot finder's (exact enough over a city). Single linkage chains: where cases are denser than one
/// per `withinMetres`, a place can grow along a street; keep `within_m` small.
/// The result does not depend on the order of the cases.
public struct RepeatFinder: Sendable {
    public var rule: RepeatsRule
    public var window: Window
    public init(rule: RepeatsRule, window: Window) { self.rule = rule; self.window = window }

    /// Addresses and places together, by cases (most first: the biggest problems head the list), then
    /// addresses before places, then by address text and point.
    public func find(_ all: [RepeatCase], categories: [ResolvedCategory]) -> [RepeatGroup] {
        // (The database hands over the window's cases only: no copy then.)
        let cases = all.allSatisfy { window.contains($0.day) } ? all : all.filter { window.contains($0.day) }
        var byAddress: [UInt64: [Int]] = [:]
        for (i, c) in cases.enumerated() where c.addressKey != 0 { byAddress[c.addressKey, default: []].append(i) }
        let listed = byAddress.filter { $0.value.count >= rule.minCases }
        let addresses = listed.values.map { group(.address, $0, cases, categories) }
        let places = placeMembers(cases, byAddress: byAddress).filter { members in
            members.count >= rule.minCases && !(Set(members.map { cases[$0].addressKey }).count == 1
                                                && listed[cases[members[0]].addressKey] != nil)
        }.map { group(.place, $0, cases, categories) }
        return Self.sorted(addresses + places)
    }

    /// Address texts are compared by their UTF-8 bytes: one order whatever the locale, and fast (most
    /// groups tie on their count). Indices are sorted, not the groups: moving tens of thousands of
    /// groups around costs more.
    static func sorted(_ groups: [RepeatGroup]) -> [RepeatGroup] {
        groups.indices.sorted { i, j in
            let a = groups[i], b = groups[j]
            if a.cases != b.cases { return a.cases > b.cases }
            if a.kind != b.kind { return a.kind == .address }
            if a.address != b.address { return a.address.utf8.lexicographicallyPrecedes(b.address.utf8) }
            return (a.center?.x ?? 0, a.center?.y ?? 0) < (b.center?.x ?? 0, b.center?.y ?? 0)
        }.map { groups[$0] }
    }

    /// The members (indices into `cases`) of each place with two or more cases.
    func placeMembers(_ cases: [RepeatCase], byAddress: [UInt64: [Int]]) -> [[Int]] {
        let located = cases.indices.filter { cases[$0].point != nil }
        guard let south = located.map({ cases[$0].point!.y }).min() else { return [] }
        let metresPerLon = 111_320 * cos(south * .pi / 180), metresPerLat = 110_574.0
        var sets = UnionFind(cases.count)
        // Cases at one point (one door, geocoded alike) are one place at once: only distinct points are
        // compared, which in a dense cell of a big district is far fewer.
        var distinct: [Coordinate: Int] = [:], points: [(index: Int, x: Double, y: Double)] = []
        for i in located {
            let p = cases[i].point!
            if let first = distinct[p] { sets.union(first, i); continue }
            distinct[p] = i
            points.append((i, p.x * metresPerLon, p.y * metresPerLat))
        }
        // Cells of within/√2: any two points of one cell are near, so a cell is one place at once; two
        // points within `within` lie at most two cells apart.
        let side = rule.withinMetres / 2.squareRoot()
        var cells: [GridCell: [Int]] = [:]
        for (k, p) in points.enumerated() {
            cells[GridCell(x: Int((p.x / side).rounded(.down)), y: Int((p.y / side).rounded(.down))), default: []].append(k)
        }
        for members in cells.values { for k in members.dropFirst() { sets.union(points[members[0]].index, points[k].index) } }
        let limit = rule.withinMetres * rule.withinMetres
        for (cell, members) in cells {
            for other in cell.forwardNeighbours {
                guard let near = cells[other] else { continue }
                let a0 = points[members[0]].index, b0 = points[near[0]].index
                // Both cells are one place each: one near pair joins them, and joined cells need no look.
                guard sets.find(a0) != sets.find(b0) else { continue }
                search: for k in members {
                    for j in near {
                        let dx = points[k].x - points[j].x, dy = points[k].y - points[j].y
                        if dx * dx + dy * dy <= limit { sets.union(a0, b0); break search }
                    }
                }
            }
        }
        // The cases of one address are one place (those with a point).
        for members in byAddress.values {
            let pointed = members.filter { cases[$0].point != nil }
            for j in pointed.dropFirst() { sets.union(pointed[0], j) }
        }
        var places: [Int: [Int]] = [:]
        for i in located { places[sets.find(i), default: []].append(i) }
        return places.values.filter { $0.count >= 2 }
    }

    /// The listing of one group of cases.
    func group(_ kind: RepeatGroup.Kind, _ members: [Int], _ cases: [RepeatCase], _ categories: [ResolvedCategory]) -> RepeatGroup {
        // Counted by category index and by zone triple (few distinct values per group), turned into keys
        // and levels once at the end: tens of thousands of groups make this the finder's inner loop.
        var keys: [UInt64: Int] = [:], byCategory: [Int: Int] = [:], byZones: [ZoneRef: Int] = [:]
        var firstHalf = 0, secondHalf = 0, first = Int.max, last = Int.min, points: [Coordinate] = []
        let half = window.days / 2
        // Field by field, not `let c = cases[i]`: a copy of the case would retain its four texts.
        for i in members {
            let key = cases[i].addressKey, day = cases[i].day.ordinal
            if key != 0 { keys[key, default: 0] += 1 }
            byCategory[cases[i].category, default: 0] += 1
            byZones[cases[i].zones, default: 0] += 1
            let age = window.asOf.ordinal - day
            if age < half { secondHalf += 1 } else if age < 2 * half { firstHalf += 1 }
            first = min(first, day); last = max(last, day)
            if let p = cases[i].point { points.append(p) }
        }
        var counted: [String: Int] = [:], zoneCounts: [ZoneLevel: [String: Int]] = [:]
        for (category, n) in byCategory { for k in categories[category].keys { counted[k, default: 0] += n } }
        for (zones, n) in byZones {
            for level in ZoneLevel.allCases { if let id = zones[level] { zoneCounts[level, default: [:]][id, default: 0] += n } }
        }
        // The address: the spelling written most often among the cases of the address (by key) with the
        // most cases; only those cases' texts are counted (a place may hold thousands of addresses).
        let most = keys.values.max() ?? 0
        var texts: [String: Int] = [:]
        for i in members where keys[cases[i].addressKey] == most && cases[i].addressKey != 0 { texts[cases[i].address, default: 0] += 1 }
        // Summed in sorted order so that the centre does not depend on the order of the cases.
        points.sort { ($0.x, $0.y) < ($1.x, $1.y) }
        let center = points.isEmpty ? nil : Coordinate(points.reduce(0) { $0 + $1.x } / Double(points.count),
                                                       points.reduce(0) { $0 + $1.y } / Double(points.count))
        return RepeatGroup(kind: kind, address: Self.mostFrequent(texts) ?? "", addresses: keys.count, center: center,
                           zones: ZoneRef(zoneCounts.compactMapValues { Self.mostFrequent($0) }),
                           categories: counted, first: Day(ordinal: first), last: Day(ordinal: last),
                           cases: members.count, trend: secondHalf - firstHalf)
    }

    /// The key with the highest count; ties go to the smallest key.
    static func mostFrequent(_ counts: [String: Int]) -> String? {
        counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}

private struct GridCell: Hashable {
    var x: Int
    var y: Int
    /// The 12 cells of the 5 × 5 around it that come after it (row by row): each pair of cells up to two
    /// apart is visited once.
    var forwardNeighbours: [GridCell] {
        [GridCell(x: x + 1, y: y), GridCell(x: x + 2, y: y)] + (1...2).flatMap { dy in (-2...2).map { GridCell(x: x + $0, y: y + dy) } }
    }
}

/// Disjoint sets with path halving and union by size.
private struct UnionFind {
    var parent: [Int]
    var size: [Int]
    init(_ n: Int) { parent = Array(0..<n); size = Array(repeating: 1, count: n) }
    mutating func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
        return i
    }
    mutating func union(_ a: Int, _ b: Int) {
        var (ra, rb) = (find(a), find(b))
        guard ra != rb else { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        size[ra] += size[rb]
    }
}
