@testable import Geocoding
import Geometry
import Input
import Model
import Testing

/// Normalising text of any script: case, width, spacing, punctuation, leading zeros and Latin
/// diacritics do not matter; Chinese addresses come out as before.
@Suite struct AnyScriptNormalizerTests {
    @Test(arguments: [
        ("Brooklyn Community 03", "BROOKLYN COMMUNITY 3"),
        ("brooklyn community 3", "BROOKLYN COMMUNITY 3"),
        ("BROOKLYN-COMMUNITY 003", "BROOKLYN-COMMUNITY 3"),
        ("ＢＫ　ＣＢ０３", "BK CB3"),                                  // full-width letters, digits and space
        ("  bk \t cb  3 ", "BK CB 3"),                                 // spacing: one space between words
        ("Apt 4, 12 Main St.", "APT 4 12 MAIN ST"),                    // punctuation between words: a space
        ("O'Brien Street", "OBRIEN STREET"),                           // an apostrophe joins its word
        ("Zürich", "ZURICH"), ("Zu\u{308}rich", "ZURICH"),             // diacritics, precomposed or not
        ("Straße", "STRASSE"), ("Αθήνα", "ΑΘΗΝΑ"),
        ("٠٣ Tahrir", "3 TAHRIR"),                                      // Arabic-Indic digits
        ("0", "0"), ("10 100", "10 100"),                               // zeros that are not leading
        // Chinese addresses as before: spaces are noise there, also between the digits of a door number.
        ("彩田路30 09号", "彩田路3009号"), ("福 田 区 彩田路 3009 号", "福田区彩田路3009号"),
        ("12－3－501", "12-3-501"),
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(Normalizer.normalizedString(input) == expected)
    }
}

/// Zone names and aliases in Latin script, matched on whole words, with street text before or after.
@Suite struct AnyScriptMatcherTests {
    static let square = MultiPolygon([])

    /// Two boroughs (streets), three community boards, a post with an accented name, and a Chinese
    /// street so the two scripts live in one index.
    static let geocoder: Geocoder = {
        func zone(_ id: String, _ name: String, _ parent: String?, _ level: ZoneLevel, _ aliases: [String] = []) -> Zone {
            Zone(id: id, name: name, parent: parent, aliases: aliases, level: level, geometry: square)
        }
        let streets = [zone("BK", "Brooklyn", nil, .street, ["BK"]), zone("MN", "Manhattan", nil, .street, ["MN"]),
                       zone("S9", "梅林街道", nil, .street)]
        let communities = [zone("B03", "Brooklyn Community 03", "BK", .community, ["BK CB03"]),
                           zone("B13", "Brooklyn Community 13", "BK", .community, ["BK CB13"]),
                           zone("M01", "Manhattan Community 01", "MN", .community, ["MN CB01"])]
        let posts = [zone("P1", "Zürich Nord", "B03", .post)]
        return Geocoder(streets: streets, communities: communities, posts: posts, gazetteer: []) { _ in [] }
    }()

    func geocode(_ s: String) -> GeocodeResult { Self.geocoder.geocode(s) }

    @Test(arguments: ["brooklyn community 3", "Brooklyn Community 03", "BROOKLYN-COMMUNITY 003", "BK CB03", "bk cb 3",
                      "ＢＫ　ＣＢ０３", "bk-cb-03", "Brooklyn  Community\t03."])
    func everySpellingOfTheCommunity(_ address: String) {
        let r = geocode(address)
        #expect(r.zones == ZoneRef(street: "BK", community: "B03"), "\(address): \(r.rejectReason?.rawValue ?? "") \(r.detail)")
        #expect(r.method == .name && r.point == nil)
    }

    @Test(arguments: ["12 Main St, Brooklyn Community 03", "Brooklyn Community 03, 12 Main St",
                      "Apt 4, 12 Main St, BK CB03, New York", "BK CB03 12 Main St"])
    func aZoneNameBeforeOrAfterStreetText(_ address: String) {
        let r = geocode(address)
        #expect(r.zones == ZoneRef(street: "BK", community: "B03"), "\(address): \(r.rejectReason?.rawValue ?? "") \(r.detail)")
    }

    @Test func aStreetLevelNameLocatesToTheStreetOnly() {
        let r = geocode("12 Main St, Brooklyn, NY")
        #expect(r.zones == ZoneRef(street: "BK") && r.method == .name)
        #expect(geocode("Brooklyn Community 03, Brooklyn").zones == ZoneRef(street: "BK", community: "B03"))
        #expect(geocode("zurich nord").zones == ZoneRef(street: "BK", community: "B03", post: "P1"))
    }

    /// A zone name followed by a thoroughfare word is part of a road's name (Manhattan Ave runs through
    /// Brooklyn): the address is placed by the zone it names, not by the road.
    @Test func aZoneNameInARoadNameIsTheRoad() {
        #expect(geocode("117 Manhattan Ave, Brooklyn").zones == ZoneRef(street: "BK"))
        #expect(geocode("46 Manhattan Blvd, Brooklyn Community 03").zones == ZoneRef(street: "BK", community: "B03"))
        #expect(geocode("12 Brooklyn Street").rejectReason == .unparseableAddress)
        #expect(geocode("Manhattan, 5 Main St").zones == ZoneRef(street: "MN"))
    }

    /// Whole words only: a longer number, another board, a name inside a longer word.
    @Test func wordBoundaries() {
        #expect(geocode("Brooklyn Community 031").zones.community == nil)
        #expect(geocode("Brooklyn Community 030").zones.community == nil)
        #expect(geocode("BK CB13").zones.community == "B13")
        #expect(geocode("BK CB133").zones.community == nil)
        #expect(geocode("XBK CB03").zones.community == nil)
        #expect(geocode("BK CB03X").zones.community == nil)
        #expect(geocode("12 Brooklynite Ave").rejectReason == .unparseableAddress)
        #expect(geocode("Bkln Heights").rejectReason == .unparseableAddress)
        #expect(geocode("12 MNO Street").rejectReason == .unparseableAddress)
    }

    /// A community that is not in the named borough: the names disagree, as in Chinese (ambiguous).
    @Test func disagreeingNamesAreAmbiguous() {
        let r = geocode("Manhattan, BK CB03")
        #expect(r.rejectReason == .ambiguous && r.detail.contains("Brooklyn Community 03") && r.detail.contains("Manhattan"))
    }

    /// Text without a known name of any script stays unparseable; Chinese names still match.
    @Test func unknownTextAndChineseBesideLatin() {
        #expect(geocode("Main Street 5").rejectReason == .unparseableAddress)
        #expect(geocode("0755-12345678").rejectReason == .unparseableAddress)
        #expect(geocode("Main Street 5").detail.contains("no known place name"))
        #expect(geocode("梅林街道").zones == ZoneRef(street: "S9"))
        #expect(geocode("MN CB01").zones == ZoneRef(street: "MN", community: "M01"))
        #expect(geocode("MN CB01 梅林街道").rejectReason == .ambiguous)
    }
}
