import Support
import Foundation
import Geometry
import Input
import Model

/// The offline address geocoder: normalises an address, parses it, and matches it against the zone
/// names and aliases of every level and the gazetteer's roads, doors, estates, buildings and POIs.
///
/// Built once per run; `geocode` is then pure and thread-safe (the index is read-only).
public struct Geocoder: Sendable {
    let index: NameIndex
    /// The district the zones are in; addresses naming another are outside.
    public var home: HomeArea { didSet { area = MapArea(home: home, onMap: onMap) } }
    /// The divisions that are zones of the map (a city bureau's map: 福田区 罗湖区 南山区).
    let onMap: [Int]
    private(set) var area: MapArea
    public let gazetteerSize: Int

    /// - Parameter zonesOf: the zones each gazetteer point falls in (point-in-polygon, done by the
    ///   caller, which owns the zone geometry); an empty path for a point outside every zone.
    public init(streets: [Zone], communities: [Zone], posts: [Zone], gazetteer: [GazetteerEntry],
                home: HomeArea = HomeArea(), zonesOf: ([Coordinate]) throws -> [ZoneRef]) rethrows {
        var index = NameIndex()
        let streetOf = Dictionary(communities.map { ($0.id, $0.parent) }, uniquingKeysWith: { a, _ in a })
        for z in streets {
            index.addPlace(Place(name: z.name, kind: .street, zones: ZoneRef(street: z.id)), names: Self.names(z))
        }
        for z in communities {
            index.addPlace(Place(name: z.name, kind: .community, zones: ZoneRef(street: z.parent, community: z.id)),
                           names: Self.names(z))
        }
        for z in posts {
            let street = z.parent.flatMap { streetOf[$0] ?? nil }
            index.addPlace(Place(name: z.name, kind: .post, zones: ZoneRef(street: street, community: z.parent, post: z.id)),
                           names: Self.names(z))
        }
        let zones = try zonesOf(gazetteer.map(\.point))
        for (entry, path) in zip(gazetteer, zones) {
            var place = Place(name: entry.name, kind: entry.kind, point: entry.point, zones: path)
            switch entry.kind {
            case .door:
                if let (road, number) = Self.door(entry.name) {
                    place.number = number
                    index.addDoor(place, road: road)
                } else {
                    index.addPlace(place, names: [(entry.name, false)])
                }
            case .road: index.addRoad(place)
            default: index.addPlace(place, names: [(entry.name, false)])
            }
        }
        index.finish()
        self.index = index
        let (onMap, mapHome) = Self.divisionsOnMap(streets + communities + posts)
        self.onMap = onMap
        self.home = home.isKnown ? home : mapHome ?? home
        area = MapArea(home: self.home, onMap: onMap)
        gazetteerSize = gazetteer.count
    }

    /// The divisions whose full names are zone names or aliases (a map whose zones are districts), and
    /// the area they share: the finest division that holds at least half of them (a stray namesake
    /// elsewhere in China does not widen it). Empty for zones that are no divisions (街道, 社区).
    static func divisionsOnMap(_ zones: [Zone]) -> (onMap: [Int], home: HomeArea?) {
        let named = zones.flatMap { names($0).map(\.0) }.compactMap { AdminDivisions.byName[Normalizer.normalizedString($0)] }
        guard !named.isEmpty else { return ([], nil) }
        var holding: [Int: Int] = [:]
        for ids in named {
            for a in Set(ids.flatMap(AdminDivisions.ancestors)) { holding[a, default: 0] += 1 }
        }
        let depth = { (id: Int) in AdminDivisions.ancestors(of: id).count }
        guard let area = holding.filter({ $0.value * 2 >= named.count })
            .max(by: { (depth($0.key), $0.value, -$0.key) < (depth($1.key), $1.value, -$1.key) })?.key else { return ([], nil) }
        let onMap = named.compactMap { ids in ids.first { AdminDivisions.isAncestor(area, of: $0) } }
        return (Array(Set(onMap)).sorted(), HomeArea(division: area))
    }

    static func names(_ z: Zone) -> [(String, alias: Bool)] {
        [(z.name, false)] + z.aliases.filter { !$0.isEmpty }.map { ($0, true) }
    }

    /// `彩田路3009号` → (彩田路, 3009); nil when the name does not end in a number (+ 号).
    static func door(_ name: String) -> (String, Int)? {
        var s = Normalizer.normalize(name)
        if s.last == "号" { s.removeLast() }
        var digits = 0
        while digits < s.count, Normalizer.isDigit(s[s.count - 1 - digits]) { digits += 1 }
        guard digits > 0, digits < s.count, digits <= 7 else { return nil }
        let number = Int(s.suffix(digits).text)!
        return (s.dropLast(digits).text, number)
    }

    public func geocode(_ address: String) -> GeocodeResult {
        geocode(address, normalized: Normalizer.normalize(address))
    }

    /// `geocode` of an address already normalised (`text` is `Normalizer.normalize(address)`): a run
    /// normalises each distinct address once and hands the result here (see Location's `AddressBook`).
    public func geocode(_ address: String, normalized text: [Unicode.Scalar]) -> GeocodeResult {
        var r = GeocodeResult(address: address, normalized: text.text, components: AddressComponents())
        guard !text.isEmpty else {
            r.rejectReason = .unparseableAddress
            r.detail = "empty address"
            return r
        }
        let parsed = AddressParser(index: index, area: area).parse(text)
        r.components = parsed.components
        // Text of any script is an address when it names a known place; without a Chinese character or
        // such a name (a phone number, a street abroad) it is no address at all.
        guard !parsed.tokens.isEmpty || !parsed.admins.isEmpty || text.contains(where: Normalizer.isCJK) else {
            r.rejectReason = .unparseableAddress
            r.detail = "no Chinese text and no known place name in '\(text.text)'"
            return r
        }
        Matcher(index: index, area: area).resolve(parsed, into: &r)
        return r
    }

    /// The home district and city: the ones most addresses name (at least half of those that name one).
    /// The zone files do not say which district they cover, and the cases do, many times over.
    public func inferHome(from addresses: some Sequence<String>) -> HomeArea {
        let texts = addresses.map(Normalizer.normalize)
        return inferHome(normalized: texts, counts: Array(repeating: 1, count: texts.count))
    }

    /// `inferHome` from normalised addresses, `counts[i]` addresses having the text `texts[i]`.
    public func inferHome(normalized texts: [[Unicode.Scalar]], counts: [Int]) -> HomeArea {
        var districts: [String: Int] = [:], cities: [String: Int] = [:]
        let parser = AddressParser(index: index)
        for (text, n) in zip(texts, counts) {
            var p = ParsedAddress(text: text)
            _ = parser.stripAdmins(&p, from: 0, allowShort: false)
            if let d = p.components.district { districts[d, default: 0] += n }
            if let c = p.components.city { cities[c, default: 0] += n }
        }
        // The district read inside the city most addresses name (南山区 of 深圳, not of 鹤岗).
        let named = HomeArea(city: Self.majority(cities), district: Self.majority(districts))
        return named.division.map(HomeArea.init(division:)) ?? HomeArea()
    }

    static func majority(_ counts: [String: Int]) -> String? {
        let total = counts.values.reduce(0, +)
        guard let (name, n) = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), n * 2 >= total else { return nil }
        return name
    }

    /// Every name the geocoder knows, with its kind (for tests and `locate`).
    public var knownNames: Int { index.entries.count }
}

extension Geocoder {
    /// The version of what `geocode` makes of a normalised address, given the same zones, gazetteer and
    /// home. Bump it with every change here (normalising, parsing, matching, scores, details, the
    /// character and division tables) that can change a result: the geocode cache of `riskmap run --db`
    /// then drops what an older geocoder worked out.
    public static let logicVersion = 3

    /// Geocodes many normalised addresses (address, `Normalizer.normalize(address)`) on all cores,
    /// results in input order.
    public func geocodeAll(normalized items: [(address: String, text: [Unicode.Scalar])]) -> [GeocodeResult] {
        onAllCores(items.count) { geocode(items[$0].address, normalized: items[$0].text) }
    }

    /// Geocodes many addresses on all cores, results in input order.
    public func geocodeAll(_ addresses: [String]) -> [GeocodeResult] {
        onAllCores(addresses.count) { geocode(addresses[$0]) }
    }

    /// `body(0..<count)` in order, in contiguous chunks of at least 256 addresses per core.
    private func onAllCores(_ count: Int, _ body: (Int) -> GeocodeResult) -> [GeocodeResult] {
        let parts = chunks(of: count, parts: max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 256)))
        return parallelMap(parts.count) { w in parts[w].map(body) }.flatMap { $0 }
    }

    /// This geocoder with its home district inferred from the addresses, unless it already has one.
    public func withHome(from addresses: some Sequence<String>) -> Geocoder {
        guard !home.isKnown else { return self }
        var g = self
        g.home = inferHome(from: addresses)
        return g
    }
}

extension HomeArea {
    /// Reads `广东省深圳市福田区`, `深圳福田` or `福田区` (as `--home` gives it).
    public init(parsing text: String) {
        var p = ParsedAddress(text: Normalizer.normalize(text))
        _ = AddressParser(index: NameIndex()).stripAdmins(&p, from: 0, allowShort: true)
        // Divisions are read down the hierarchy: the last one is the finest, and knows its ancestors.
        self = p.admins.last.map { HomeArea(division: $0.id) } ?? HomeArea()
    }
}
