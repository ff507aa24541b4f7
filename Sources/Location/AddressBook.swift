import Foundation
import Geocoding
import Support

/// The addresses of a run, each distinct text normalised once, on all cores: the one normalisation
/// that the home district, the geocode cache's keys and the geocoder all use. (Before, an address was
/// normalised to infer the home district, again for the cache key, and again when geocoded.)
///
/// A result of the geocoder depends only on the normalised text (and the home district and index), so
/// addresses are grouped by it: `keys[k]` is the k-th distinct normalised text, `texts[k]` its scalars
/// and `sample[k]` one address that stands for it.
struct AddressBook {
    let keys: [String]
    let texts: [[Unicode.Scalar]]
    let sample: [String]
    /// How many of the book's addresses normalise to each key.
    let counts: [Int]
    /// Raw text (by its UTF-8 bytes) → key.
    private let keyOfText: [UTF8Key: Int]

    init<Addresses: RandomAccessCollection<String>>(_ addresses: Addresses) where Addresses.Index == Int {
        // A daily export repeats addresses: each distinct raw text is normalised once.
        let raw = distinctTexts(addresses)
        let distinct = raw.first.map { addresses[$0] }
        let parts = chunks(of: distinct.count, parts: (distinct.count + 2047) / 2048)
        let normalised = parallelMap(parts.count) { c in parts[c].map { Normalizer.normalize(distinct[$0]) } }.flatMap { $0 }
        let strings = normalised.map(\.text)
        let byKey = distinctTexts(strings, numbering: true)
        keys = byKey.first.map { strings[$0] }
        texts = byKey.first.map { normalised[$0] }
        sample = byKey.first.map { distinct[$0] }
        var counts = [Int](repeating: 0, count: keys.count)
        for (d, n) in raw.counts.enumerated() { counts[byKey.of[d]] += n }
        self.counts = counts
        var keyOfText: [UTF8Key: Int] = [:]
        for (d, text) in distinct.enumerated() { keyOfText[UTF8Key(text)] = byKey.of[d] }
        self.keyOfText = keyOfText
    }

    /// The key of an address of the book (one hash lookup, no normalising).
    func key(of address: String) -> Int? { keyOfText[UTF8Key(address)] }

    /// The key of an address that is in the book, as four bytes (a run keeps one per row).
    func position(of address: String) -> Int32 {
        guard let key = key(of: address) else { preconditionFailure("an address outside the run's book") }
        return Int32(key)
    }
}

extension Geocoder {
    /// This geocoder with its home district inferred from the book's addresses, unless it has one.
    func withHome(from book: AddressBook) -> Geocoder {
        guard !home.isKnown else { return self }
        var g = self
        g.home = inferHome(normalized: book.texts, counts: book.counts)
        return g
    }

    /// The geocoder's results for the book's keys `wanted`, in blocks so that a progress bar can move
    /// between them; each block runs on all cores.
    func geocode(_ wanted: [Int], of book: AddressBook, bar: ProgressBar?) -> [GeocodeResult] {
        geocode(wanted, of: book, bar: bar) { $0 }
    }

    /// `geocode`, each block's results made into what the caller keeps as soon as they are found: a
    /// result carries its candidates and texts (335 bytes), a run's answer a fifth of that, and a
    /// province asks for half a million distinct addresses.
    func geocode<Kept>(_ wanted: [Int], of book: AddressBook, bar: ProgressBar?,
                       keeping keep: (GeocodeResult) -> Kept) -> [Kept] {
        let block = 16_384
        var kept: [Kept] = []
        kept.reserveCapacity(wanted.count)
        for start in stride(from: 0, to: wanted.count, by: block) {
            let part = wanted[start..<min(wanted.count, start + block)]
            kept += geocodeAll(normalized: part.map { (book.sample[$0], book.texts[$0]) }).lazy.map(keep)
            bar?.update(kept.count, of: wanted.count)
        }
        return kept
    }
}

/// The distinct texts (by UTF-8 bytes) in order of first appearance: where each first appears, how
/// often it appears, and, with `numbering`, the number of each text's distinct value (80 MB at ten
/// million addresses: not asked for the run's raw addresses).
func distinctTexts<Texts: RandomAccessCollection<String>>(_ texts: Texts, numbering: Bool = false)
    -> (of: [Int], first: [Int], counts: [Int]) where Texts.Index == Int {
    var number: [UTF8Key: Int] = [:], of: [Int] = [], first: [Int] = [], counts: [Int] = []
    if numbering { of.reserveCapacity(texts.count) }
    for i in texts.indices {
        let key = UTF8Key(texts[i])
        let known = number[key]
        if let known { counts[known] += 1 } else {
            number[key] = first.count
            first.append(i)
            counts.append(1)
        }
        if numbering { of.append(known ?? first.count - 1) }
    }
    return (of, first, counts)
}
