import Geometry
import Input
import Model

/// Decides what an address means from its parsed parts. The rules, in order:
/// - a division that is neither on the map nor above it (罗湖区 on a map of 福田区, 龙岗区 on a map of
///   福田区 罗湖区 南山区, 广州市) puts the address outside the map;
/// - a gazetteer point (door, estate, building, POI) beats zone names, which only pick among
///   points when several fit; a point never moves because a zone name disagrees with it;
/// - exact names beat fuzzy ones; fuzzy matching only runs when no exact point was found;
/// - candidates that disagree locate the case only as far as they agree (its street), or, when they
///   share nothing, reject it as ambiguous.
struct Matcher {
    let index: NameIndex
    var area = MapArea()

    func resolve(_ p: ParsedAddress, into r: inout GeocodeResult) {
        if let other = p.admins.first(where: { !area.allows($0) }) {
            r.rejectReason = .outside
            r.detail = area.outsideDetail(other)
            return
        }
        var zoneSets = p.tokens.compactMap { zoneCandidates($0.entry) }
        var points = p.tokens.flatMap(pointCandidates)
        points += doorsOnSimilarRoads(p.tokens, found: points, named: namedZones(zoneSets))
        // A road without a number, or with one far from all its doors, says only what its doors agree on.
        var roadOnly = p.tokens.compactMap { t in
            t.number == nil || (points.isEmpty && pointCandidates(t).isEmpty) ? roadCandidate(t.entry, .road, edits: 0) : nil
        }
        if points.isEmpty {
            let f = FuzzyMatcher(index: index).match(p)
            zoneSets += f.zones
            points += f.points
            roadOnly += f.roads
        }
        let named = namedZones(zoneSets)
        if !points.isEmpty {
            decide(points, named: named, into: &r)
        } else if !roadOnly.isEmpty {
            decideRoad(roadOnly, named: named, into: &r)
        } else if !named.paths.isEmpty {
            decideNames(named, into: &r)
        } else {
            r.rejectReason = .notFound
            r.detail = p.tokens.isEmpty ? "no known place name" : "no known place name besides roads"
        }
    }

    // MARK: candidates from exact names

    /// The zones a zone name (or alias) can mean; nil for names of other kinds.
    func zoneCandidates(_ entry: Int) -> [Candidate]? {
        let list = index.entries[entry].places.compactMap { ref -> Candidate? in
            let place = index.places[Int(ref.place)]
            guard place.kind.isZone else { return nil }
            return Candidate(name: place.name, kind: place.kind, match: ref.alias ? .alias : .exact, point: nil,
                             zones: place.zones, score: Scores.name(place.kind, alias: ref.alias))
        }
        return list.isEmpty ? nil : list
    }

    func pointCandidates(_ t: NameToken) -> [Candidate] {
        let e = index.entries[t.entry]
        if e.road >= 0, let n = t.number, let door = doorCandidate(road: Int(e.road), number: n, edits: 0) {
            return [door]
        }
        return e.places.compactMap { ref in
            let place = index.places[Int(ref.place)]
            guard !place.kind.isZone, place.kind != .road, place.point != nil else { return nil }
            return Candidate(name: place.name, kind: place.kind, match: .exact, point: place.point, zones: place.zones,
                             score: Scores.place)
        }
    }

    /// A road written with a number it does not have, or whose door contradicts the zone names, may be
    /// a slip for a similar road (福中路 for 福中一路): its doors join the candidates, one edit down.
    func doorsOnSimilarRoads(_ tokens: [NameToken], found: [Candidate], named: Named) -> [Candidate] {
        let fits = { (c: Candidate) in named.paths.isEmpty || named.paths.contains { $0.zones.fits(c.zones) } }
        guard found.isEmpty || (!named.paths.isEmpty && !found.contains(where: fits)) else { return [] }
        return tokens.flatMap { t -> [Candidate] in
            guard let n = t.number, index.entries[t.entry].road >= 0 else { return [] }
            return FuzzyMatcher(index: index).doorsOnSimilarRoads(t.entry, number: n)
        }
    }

    func doorCandidate(road: Int, number: Int, edits: Int) -> Candidate? {
        guard let (id, gap) = index.door(on: road, number: number) else { return nil }
        let place = index.places[Int(id)]
        let match: MatchKind = edits > 0 ? .fuzzy : gap == 0 ? .exact : .nearestDoor
        return Candidate(name: place.name, kind: .door, match: match, point: place.point, zones: place.zones,
                         score: Scores.door(gap: gap, edits: edits), edits: edits)
    }

    /// A road without a door number: the zones all its doors share (often only none).
    func roadCandidate(_ entry: Int, _ match: MatchKind, edits: Int) -> Candidate? {
        let e = index.entries[entry]
        guard e.road >= 0 else { return nil }
        let road = index.roads[Int(e.road)]
        let paths = road.doors.map { index.places[Int($0.place)].zones }
        return Candidate(name: road.name, kind: .road, match: match, point: nil,
                         zones: paths.dropFirst().reduce(paths.first ?? ZoneRef()) { $0.common(with: $1) },
                         score: Scores.road - Double(edits) * 0.1, edits: edits)
    }

    // MARK: zone names

    struct Named { var paths: [Candidate] = []; var conflict = false }

    /// The zones the zone names agree on: each name's possible zones, kept when every other name has
    /// a zone that fits them; the finest survivors. Names that contradict each other (a community of
    /// another street) leave all their zones, flagged as a conflict.
    func namedZones(_ sets: [[Candidate]]) -> Named {
        let all = sets.flatMap { $0 }
        guard !all.isEmpty else { return Named() }
        let fitting = all.filter { c in sets.allSatisfy { set in set.contains { $0.zones.fits(c.zones) } } }
        guard !fitting.isEmpty else { return Named(paths: unique(all), conflict: true) }
        let depth = fitting.map { depthOf($0.zones) }.max()!
        return Named(paths: unique(fitting.filter { depthOf($0.zones) == depth }))
    }

    func depthOf(_ z: ZoneRef) -> Int { z.post != nil ? 3 : z.community != nil ? 2 : z.street != nil ? 1 : 0 }

    func unique(_ list: [Candidate]) -> [Candidate] {
        var seen = Set<ZoneRef>()
        return list.sorted { $0.score > $1.score }.filter { seen.insert($0.zones).inserted }
    }

    // MARK: decisions

    func decide(_ points: [Candidate], named: Named, into r: inout GeocodeResult) {
        let fitting = points.filter { c in named.paths.isEmpty || named.paths.contains { $0.zones.fits(c.zones) } }
        let pool = (fitting.isEmpty ? points : fitting).sorted { $0.score > $1.score }
        let top = pool.filter { $0.score >= pool[0].score - 1e-9 }
        let penalty = fitting.isEmpty && !named.paths.isEmpty ? Scores.disagreeingName : 1
        r.runnersUp = Array((pool.dropFirst(top.count) + named.paths).prefix(4))
        let common = top.dropFirst().reduce(top[0].zones) { $0.common(with: $1.zones) }
        if top.count == 1 || common.post != nil {
            guard !top[0].zones.isEmpty else {
                r.rejectReason = .outside
                r.detail = "\(top[0].name) lies outside every zone"
                return
            }
            located(top[0], point: top[0].point, zones: top[0].zones, method: .address,
                    confidence: top[0].score * penalty * (top.count == 1 ? 1 : Scores.tie), into: &r)
            r.runnersUp = Array((top.dropFirst() + r.runnersUp).prefix(4))
        } else {
            agree(top, common: common, into: &r)
        }
    }

    func decideRoad(_ roads: [Candidate], named: Named, into r: inout GeocodeResult) {
        // A zone name says more than a road that crosses several zones.
        if !named.paths.isEmpty, !named.conflict {
            decideNames(named, into: &r)
            r.runnersUp = Array((r.runnersUp + roads).prefix(4))
            return
        }
        let common = roads.dropFirst().reduce(roads[0].zones) { $0.common(with: $1.zones) }
        agree(roads, common: common, into: &r)
    }

    func decideNames(_ named: Named, into r: inout GeocodeResult) {
        let paths = named.paths
        let common = paths.dropFirst().reduce(paths[0].zones) { $0.common(with: $1.zones) }
        if paths.count == 1 {
            located(paths[0], point: nil, zones: paths[0].zones, method: .name, confidence: paths[0].score, into: &r)
        } else {
            agree(paths, common: common, into: &r)
        }
    }

    /// Several candidates: located as far as they agree, else ambiguous with them listed.
    func agree(_ candidates: [Candidate], common: ZoneRef, into r: inout GeocodeResult) {
        let list = candidates.sorted { $0.score > $1.score }
        if common.isEmpty {
            r.rejectReason = .ambiguous
            r.detail = "candidates: " + list.prefix(6).map(\.label).joined(separator: " | ")
            r.runnersUp = Array(list.prefix(6))
            return
        }
        located(list[0], point: nil, zones: common, method: .name,
                confidence: Scores.zones(common) * Scores.tie, into: &r)
        r.runnersUp = Array(list.prefix(4))
    }

    func located(_ c: Candidate, point: Coordinate?, zones: ZoneRef, method: LocationMethod, confidence: Double,
                 into r: inout GeocodeResult) {
        r.best = c
        r.point = point
        r.zones = zones
        r.method = method
        r.match = c.match
        r.confidence = min(1, max(0, (confidence * 1000).rounded() / 1000))
    }
}

/// Confidence of each kind of evidence (0..1). The order matters more than the values: an exact door
/// beats a named estate, which beats a guessed door, a fuzzy name, a zone name.
enum Scores {
    static let place = 0.95
    static let road = 0.5
    static let tie = 0.9
    static let disagreeingName = 0.8
    static func door(gap: Int, edits: Int) -> Double {
        let base = gap == 0 ? 1.0 : max(0.6, 0.9 - Double(gap) * 0.004)
        return base - Double(edits) * 0.1
    }
    static func name(_ kind: PlaceKind, alias: Bool) -> Double {
        let base: Double = kind == .post ? 0.7 : kind == .community ? 0.6 : 0.4
        return alias ? base - 0.05 : base
    }
    static func zones(_ z: ZoneRef) -> Double {
        z.post != nil ? 0.7 : z.community != nil ? 0.6 : z.street != nil ? 0.4 : 0
    }
}
