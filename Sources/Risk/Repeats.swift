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
        let byAddress = Runs(count: cases.count) { cases[$0].addressKey == 0 ? nil : cases[$0].addressKey }
        var listed: Set<UInt64> = []
        var addresses: [RepeatGroup] = []
        for run in byAddress.runs where run.count >= rule.minCases {
            listed.insert(cases[Int(run.first!)].addressKey)
            addresses.append(group(.address, run.map(Int.init), cases, categories))
        }
        let places = placeMembers(cases, byAddress: byAddress).filter { members in
            !(Set(members.map { cases[$0].addressKey }).count == 1 && listed.contains(cases[members[0]].addressKey))
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

    /// The members (indices into `cases`, ascending) of each place with at least `minCases` cases.
    ///
    /// Kept in flat arrays of 4-byte positions (cells and addresses as runs of one sorted array, the
    /// sets as two arrays) rather than dictionaries of arrays: at ten million cases the dictionaries
    /// took about 800 MB beside the cases, this about 150.
    func placeMembers(_ cases: [RepeatCase], byAddress: Runs<UInt64>) -> [[Int]] {
        let located = cases.indices.filter { cases[$0].point != nil }
        guard let south = located.map({ cases[$0].point!.y }).min() else { return [] }
        let metresPerLon = 111_320 * cos(south * .pi / 180), metresPerLat = 110_574.0
        // Cells of within/√2: any two points of one cell are near, so a cell is one place at once; two
        // points within `within` lie at most two cells apart.
        let side = rule.withinMetres / 2.squareRoot()
        func metres(_ i: Int) -> (x: Double, y: Double) {
            let p = cases[i].point!
            return (p.x * metresPerLon, p.y * metresPerLat)
        }
        let cells = Runs(count: cases.count) { i -> GridCell? in
            guard cases[i].point != nil else { return nil }
            let m = metres(i)
            return GridCell(x: Int((m.x / side).rounded(.down)), y: Int((m.y / side).rounded(.down)))
        }
        var sets = UnionFind(cases.count)
        for members in cells.runs { for k in members.dropFirst() { sets.union(Int(members.first!), Int(k)) } }
        // Only distinct points are compared between cells: cases at one point (one door, geocoded alike)
        // are many in a dense cell of a big district.
        let distinct = cells.distinctRuns { a, b in
            let (p, q) = (cases[Int(a)].point!, cases[Int(b)].point!)
            return p.x == q.x ? (p.y == q.y ? nil : p.y < q.y) : p.x < q.x
        }
        let limit = rule.withinMetres * rule.withinMetres
        for (c, cell) in cells.keys.enumerated() {
            for other in cell.forwardNeighbours {
                guard let n = cells.run(of: other) else { continue }
                let (near, here) = (distinct.run(n), distinct.run(c))
                let a0 = Int(here.first!), b0 = Int(near.first!)
                // Both cells are one place each: one near pair joins them, and joined cells need no look.
                guard sets.find(a0) != sets.find(b0) else { continue }
                search: for k in here {
                    let p = metres(Int(k))
                    for j in near {
                        let q = metres(Int(j))
                        let dx = p.x - q.x, dy = p.y - q.y
                        if dx * dx + dy * dy <= limit { sets.union(a0, b0); break search }
                    }
                }
            }
        }
        // The cases of one address are one place (those with a point).
        for members in byAddress.runs {
            let pointed = members.filter { cases[Int($0)].point != nil }
            for j in pointed.dropFirst() { sets.union(Int(pointed[0]), Int(j)) }
        }
        return sets.sets(of: located, atLeast: rule.minCases)
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

/// The positions 0..<n grouped by a key (nil: in no group), each group a run of one array, in the order
/// of the keys' first appearance, the positions of a run ascending. A counting sort: two passes, the
/// runs in one array of 4-byte positions.
struct Runs<Key: Hashable> {
    /// The distinct keys, in order of first appearance.
    private(set) var keys: [Key] = []
    private var runOfKey: [Key: Int32] = [:]
    private var members: [Int32] = []
    /// Where each run starts in `members`, and its end (`starts.count` is `keys.count + 1`).
    private var starts: [Int32] = []

    /// `key(i)` for each position, asked once.
    init(count: Int, key keyOf: (Int) -> Key?) {
        var run = [Int32](repeating: -1, count: count)
        var sizes: [Int32] = []
        for i in 0..<count {
            guard let key = keyOf(i) else { continue }
            if let r = runOfKey[key] { run[i] = r; sizes[Int(r)] += 1; continue }
            run[i] = Int32(keys.count)
            runOfKey[key] = Int32(keys.count)
            keys.append(key)
            sizes.append(1)
        }
        starts = [0] + sizes
        for r in sizes.indices { starts[r + 1] += starts[r] }
        var next = starts
        members = [Int32](repeating: 0, count: Int(starts.last ?? 0))
        for (i, r) in run.enumerated() where r >= 0 {
            members[Int(next[Int(r)])] = Int32(i)
            next[Int(r)] += 1
        }
    }

    /// The run of each key, in order.
    var runs: LazyMapSequence<Range<Int>, ArraySlice<Int32>> {
        keys.indices.lazy.map { members[Int(starts[$0])..<Int(starts[$0 + 1])] }
    }
    /// The number of a key's run; nil when no position has the key.
    func run(of key: Key) -> Int? { runOfKey[key].map(Int.init) }

    /// Each run with only the first of the positions `order` finds equal (nil: equal, else whether
    /// the first comes before the second), as runs of one array again.
    func distinctRuns(by order: (Int32, Int32) -> Bool?) -> FlatRuns {
        var flat = FlatRuns()
        for run in runs {
            let sorted = run.count == 1 ? Array(run) : run.sorted { order($0, $1) ?? ($0 < $1) }
            var last: Int32?
            for i in sorted where last.map({ order($0, i) != nil }) ?? true {
                flat.members.append(i)
                last = i
            }
            flat.starts.append(Int32(flat.members.count))
        }
        return flat
    }
}

/// Runs of positions in one array: run r is `members[starts[r]..<starts[r + 1]]`.
struct FlatRuns {
    var members: [Int32] = []
    var starts: [Int32] = [0]
    func run(_ r: Int) -> ArraySlice<Int32> { members[Int(starts[r])..<Int(starts[r + 1])] }
}

/// Disjoint sets with path halving and union by size, in 4-byte numbers (one pair per case).
private struct UnionFind {
    var parent: [Int32]
    var size: [Int32]
    init(_ n: Int) { parent = (0..<Int32(n)).map { $0 }; size = Array(repeating: 1, count: n) }
    mutating func find(_ i: Int) -> Int {
        var i = Int32(i)
        while parent[Int(i)] != i { parent[Int(i)] = parent[Int(parent[Int(i)])]; i = parent[Int(i)] }
        return Int(i)
    }
    mutating func union(_ a: Int, _ b: Int) {
        var (ra, rb) = (find(a), find(b))
        guard ra != rb else { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = Int32(ra)
        size[ra] += size[rb]
    }

    /// The sets of at least `minimum` of `members` (ascending), each ascending, in the order of their
    /// first member.
    mutating func sets(of members: [Int], atLeast minimum: Int) -> [[Int]] {
        var count = [Int32](repeating: 0, count: parent.count)
        for i in members { count[find(i)] += 1 }
        var slot = [Int32](repeating: -1, count: parent.count)
        var sets: [[Int]] = []
        for i in members {
            let root = find(i)
            guard count[root] >= minimum else { continue }
            if slot[root] < 0 {
                slot[root] = Int32(sets.count)
                sets.append([])
                sets[sets.count - 1].reserveCapacity(Int(count[root]))
            }
            sets[Int(slot[root])].append(i)
        }
        return sets
    }
}
