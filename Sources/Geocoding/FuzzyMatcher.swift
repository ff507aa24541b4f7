/// Names with one or two characters wrong or missing (typos, homophones picked by the input method,
/// a dropped 村 or 路), found in the stretches of an address that matched nothing exactly.
///
/// Each name may match any part of a stretch (semi-global edit distance). Short names allow fewer
/// edits: a three-character road allows one, so 彩天路 finds 彩田路 but 东门中路 finds nothing; a
/// two-character name must match exactly, and so must an administrative name (坂田街道 is not a slip
/// for 福田街道, but another street). Only the best distance is kept per stretch; ties stay
/// ties, for the matcher to resolve or reject as ambiguous.
struct FuzzyMatcher {
    let index: NameIndex

    struct Found { var zones: [[Candidate]] = []; var points: [Candidate] = []; var roads: [Candidate] = [] }

    static func allowedEdits(_ length: Int) -> Int { length >= 5 ? 2 : length >= 3 ? 1 : 0 }

    func match(_ p: ParsedAddress) -> Found {
        var found = Found()
        for (span, number) in zip(p.spans, p.spanNumbers) {
            let hits = bestNames(in: span, roadBeforeNumber: number != nil)
            let matcher = Matcher(index: index)
            var zones: [Candidate] = []
            for (entry, edits) in hits {
                let e = index.entries[entry]
                if e.road >= 0 {
                    if let n = number, let d = matcher.doorCandidate(road: Int(e.road), number: n, edits: edits) {
                        found.points.append(d)
                    } else if let road = matcher.roadCandidate(entry, .fuzzy, edits: edits) {
                        found.roads.append(road)
                    }
                }
                for ref in e.places {
                    let place = index.places[Int(ref.place)]
                    if place.kind == .road { continue }
                    let score = place.kind.isZone ? Scores.name(place.kind, alias: ref.alias) : Scores.place
                    let c = Candidate(name: place.name, kind: place.kind, match: .fuzzy, point: place.point,
                                      zones: place.zones, score: score - 0.1 * Double(edits), edits: edits)
                    if place.kind.isZone { zones.append(c) } else if place.point != nil { found.points.append(c) }
                }
            }
            if !zones.isEmpty { found.zones.append(zones) }
        }
        return found
    }

    /// Doors with this number on roads one or two edits from `road` (福中路 written for 福中一路).
    func doorsOnSimilarRoads(_ entry: Int, number: Int) -> [Candidate] {
        let matcher = Matcher(index: index)
        return bestNames(in: index.entries[entry].text, roadBeforeNumber: true, excluding: entry).compactMap { hit in
            let e = index.entries[hit.entry]
            guard e.road >= 0 else { return nil }
            return matcher.doorCandidate(road: Int(e.road), number: number, edits: max(1, hit.edits))
        }
    }

    /// The names closest to a stretch, all at the smallest distance found.
    func bestNames(in span: [Unicode.Scalar], roadBeforeNumber: Bool, excluding: Int = -1) -> [(entry: Int, edits: Int)] {
        // A stretch is a few characters: scanning it beats hashing each name's characters into a set.
        var inSpan: [Unicode.Scalar] = []
        for s in span where !inSpan.contains(s) { inSpan.append(s) }
        var candidates: [Int32] = []
        for s in inSpan { candidates += index.fuzzyNamesWithCharacter[s] ?? [] }
        candidates.sort()
        var best: [(Int, Int)] = []
        var bestEdits = Int.max
        var previous: Int32 = -1
        for e in candidates where e != previous {
            previous = e
            let shared = index.fuzzyCharacters[Int(e)].reduce(0) { $0 + (inSpan.contains($1) ? 1 : 0) }
            guard Int(e) != excluding, shared >= index.fuzzyShared[Int(e)] else { continue }
            let name = index.entries[Int(e)].text
            let k = Self.allowedEdits(name.count)
            // Before a door number the road must end where the number starts (彩天路|3009号). A short
            // name must match the whole stretch: 燕南路 is one edit from part of 宝安南路, not from it.
            let anchored = roadBeforeNumber && index.entries[Int(e)].road >= 0
            let d = name.count <= 3 ? Self.distance(name, span) : Self.distance(name, in: span, anchoredAtEnd: anchored)
            guard d <= k, Self.sameNumerals(name, span) else { continue }
            if d < bestEdits { bestEdits = d; best = [] }
            if d == bestEdits { best.append((Int(e), d)) }
        }
        return best.sorted { $0.0 < $1.0 }
    }

    /// Chinese numerals in a name tell roads apart (福华一路, 福华三路, 新洲十一街): a stretch matches
    /// such a name only with the same numerals, so 新洲二街 is not a slip for 新洲十一街.
    static func sameNumerals(_ name: [Unicode.Scalar], _ span: [Unicode.Scalar]) -> Bool {
        let inName = name.filter(Tail.chineseDigits.contains)
        return inName.isEmpty || span.filter(Tail.chineseDigits.contains) == inName
    }

    /// Plain edit distance (Levenshtein).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Edit distance between `name` and the best-matching part of `text` (free start and end in text).
    static func distance(_ name: [Unicode.Scalar], in text: [Unicode.Scalar], anchoredAtEnd: Bool) -> Int {
        var previous = [Int](repeating: 0, count: text.count + 1)
        var current = previous
        for i in 1...name.count {
            current[0] = i
            for j in 1...text.count {
                let cost = name[i - 1] == text[j - 1] ? 0 : 1
                current[j] = min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return anchoredAtEnd ? previous[text.count] : previous.min()!
    }
}
