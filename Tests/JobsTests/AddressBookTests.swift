import Foundation
import Geocoding
import Input
import TestSupport
import Testing
@testable import Location

/// A run normalises each distinct address once (`AddressBook`) and hands that text to the home
/// district, the geocode cache and the geocoder: the answers must be those of geocoding each address
/// from its raw text, as before.
@Suite struct AddressBookTests {
    static let setup: (addresses: [String], geocoder: Geocoder) = {
        let records = try! CaseFileReader.read(url: Repo.demo.appendingPathComponent("cases.csv"), displayName: "cases.csv").records
        var locator = CaseLocator(boundaries: try! BoundaryReader(folder: Repo.demo).read(), defaultCRS: .wgs84)
        try! locator.enableGeocoding()
        // Every spelling the normaliser folds, and repeats of them.
        let extra = ["福田区 福中一路２００５号", "福田区福中一路2005号", "福田区福中一路2005号", "", "  "]
        return (records.map(\.address) + extra, locator.geocoder!)
    }()

    @Test func keysAreTheNormalisedTextsAndCountEveryAddress() {
        let (addresses, _) = Self.setup
        let book = AddressBook(addresses)
        #expect(book.counts.reduce(0, +) == addresses.count)
        #expect(Set(book.keys).count == book.keys.count)
        #expect(book.keys.count < Set(addresses).count, "spellings that normalise alike share a key")
        for address in addresses {
            guard let k = book.key(of: address) else { Issue.record("no key for '\(address)'"); continue }
            #expect(book.keys[k] == Normalizer.normalizedString(address))
        }
    }

    @Test func homeAndAnswersAreThoseOfTheRawTexts() {
        let (addresses, geocoder) = Self.setup
        let book = AddressBook(addresses)
        let home = geocoder.withHome(from: book)
        let before = geocoder.withHome(from: addresses)
        #expect(home.home == before.home && home.home.isKnown)
        let sample = Array(addresses.prefix(3_000)) + addresses.suffix(5)
        let keys = sample.map { book.key(of: $0)! }
        let wanted = distinctKeys(keys)
        let byKey = home.geocode(wanted.first, of: book, bar: nil).map(GeocodeAnswer.init)
        let raw = before.geocodeAll(sample).map(GeocodeAnswer.init)
        #expect(wanted.of.map { byKey[$0] } == raw)
    }

    /// Which addresses are checked against their coordinates: the blank ones are not. Foundation's
    /// trimming is the reference, on ASCII, Unicode and full-width (U+3000) spaces and line ends.
    @Test(arguments: ["", " ", "\t\r\n", "\u{3000}", "\u{85}\u{A0}\u{2028}", " 福田路1号", "福田路1号 ", "\u{3000}x", "\u{200B}", "\u{FEFF}"])
    func aBlankAddressIsWhatTrimmingEmpties(address: String) {
        #expect(CaseLocator.isBlank(address) == address.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
