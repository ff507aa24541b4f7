import Support
import Foundation
import Geocoding
import Geometry
import Model
import Output

/// The geocoder's figures for `report.json`.
public struct GeocodeStats: Sendable {
    public var home = ""
    /// The gazetteer file used (absolute), so that `riskmap locate --out` can find it again.
    public var gazetteer = ""
    public var gazetteerEntries = 0
    public var gazetteerSkipped = 0
    public var addressRows = 0
    public var located = 0
    public var byMatch: [String: Int] = [:]
    public var rejected: [String: Int] = [:]
    /// Rows with coordinates whose address was geocoded too, and how many disagreed beyond their community.
    public var checkedRows = 0
    public var disagreements = 0
    /// With the geocode cache (`run --db`): distinct normalised addresses found in it, and not.
    public var cache: (hits: Int, misses: Int)?
    public var seconds = 0.0

    /// The `geocode` part of report.json (`disagreements` goes to its `address_warnings`).
    public var report: RunReport.Geocode {
        RunReport.Geocode(home: home, gazetteer: gazetteer, gazetteerEntries: gazetteerEntries, gazetteerRowsSkipped: gazetteerSkipped,
                          addressRows: addressRows, located: located, byMatch: byMatch, rejected: rejected,
                          checkedRowsWithCoordinates: checkedRows, seconds: (seconds * 1000).rounded() / 1000,
                          cache: cache.map { RunReport.Geocode.Cache(hits: $0.hits, misses: $0.misses) })
    }
}

/// Locates rows without coordinates by their address, and checks the addresses of rows with
/// coordinates against them.
struct AddressLocator {
    let geocoder: Geocoder
    let gazetteerWarnings: [String]
    let gazetteerPath: String
    let cache: GeocodeCache?
    let progress: ProgressSink

    /// The figures known before geocoding.
    func stats(addressRows: Int, checkedRows: Int) -> GeocodeStats {
        var stats = GeocodeStats()
        stats.home = geocoder.home.description
        stats.gazetteer = gazetteerPath
        stats.gazetteerEntries = geocoder.gazetteerSize
        stats.gazetteerSkipped = gazetteerWarnings.count
        stats.addressRows = addressRows
        stats.checkedRows = checkedRows
        return stats
    }

    /// An address row's case, from the answer for its address, or its reject.
    func place(_ record: CaseRecord, _ r: GeocodeAnswer, stats: inout GeocodeStats) -> Result<LocatedCase, RejectedRow> {
        if let reason = r.reason {
            let (why, detail) = reason == .notFound && geocoder.gazetteerSize == 0
                ? (RejectReason.noCoordinates, "no coordinates, and the address names no zone (no gazetteer.csv)")
                : (reason, r.detail)
            stats.rejected[why.rawValue, default: 0] += 1
            return .failure(record.rejected(why, detail))
        }
        stats.located += 1
        stats.byMatch[r.match?.rawValue ?? "none", default: 0] += 1
        return .success(LocatedCase(record: record.withoutFields, point: r.point, zones: r.zones,
                                    method: r.method ?? .name, confidence: r.confidence))
    }

    /// What the geocoder makes of each address asked, given by its key in `book` (every address of the
    /// run, normalised once; `AddressBook.position`): each distinct normalised address once, through the
    /// cache when there is one. The book is not kept: it is 150 MB at ten million rows, and placing the
    /// cases needs only the answers.
    func geocode(_ wanted: DistinctKeys<Int32>, of book: AddressBook, stats: inout GeocodeStats) throws -> AddressAnswers {
        let bar = progress.bar("geocoding")
        defer { bar.finish() }
        let answers: [GeocodeAnswer]
        if let cache {
            let found = try cache.answers(wanted.first, of: book, geocoder: geocoder,
                                          fingerprint: cache.fingerprint(gazetteerPath: gazetteerPath), bar: bar)
            answers = found.answers
            stats.cache = (found.hits, found.misses)
        } else {
            answers = geocoder.geocode(wanted.first, of: book, bar: bar, keeping: GeocodeAnswer.init)
        }
        return AddressAnswers(distinct: answers, of: wanted.of)
    }

    /// Coordinates win over the address; when the address points to another community (or street),
    /// the case says so. Post-level differences are normal (an address names a building, the
    /// coordinates where the complaint was made) and not flagged. `c`: a case located by its point.
    func check(_ c: LocatedCase, _ r: GeocodeAnswer, warnings: inout [String: String], stats: inout GeocodeStats) {
        guard r.isLocated else { return }
        // Compared level by level: making two references per row would intern them (ten million rows).
        let (street, community) = (r.zones.street, r.zones.community)
        func differ(_ a: String?, _ b: String?) -> Bool { a != nil && b != nil && a != b }  // as `ZoneRef.fits`
        guard differ(street, c.street) || differ(community, c.community) else { return }
        let byCoordinates = ZoneRef(street: c.street, community: c.community)
        let byAddress = ZoneRef(street: street, community: community)
        stats.disagreements += 1
        warnings[c.record.id] = "address points to \(byAddress.text) (\(r.best ?? "?")), "
            + "coordinates to \(byCoordinates.text): coordinates used"
    }
}

/// The answer for each address asked, as positions into the distinct addresses' answers: a run asks for
/// every row's address (ten million at a province), and a copy of the answer per row would be gigabytes.
struct AddressAnswers: RandomAccessCollection {
    let distinct: [GeocodeAnswer]
    /// Per address asked, its position in `distinct`.
    let of: [Int32]
    var startIndex: Int { 0 }
    var endIndex: Int { of.count }
    subscript(i: Int) -> GeocodeAnswer { distinct[Int(of[i])] }
}
