import Foundation
import Testing
@testable import Store

/// The geocode cache of the case database: opaque results by home and key, valid for one fingerprint.
@Suite struct GeocodeCacheStoreTests {
    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-store-\(UUID().uuidString.prefix(8))-\(name)")
    }

    @Test func resultsComeBackByHomeAndKey() throws {
        let url = temporary("geocode.sqlite")
        let store = try CaseStore(url: url, create: true)
        let a = Data([0, 1, 2, 255]), b = Data("{\"r\":\"not-found\"}".utf8), c = Data()
        try store.storeGeocodes(fingerprint: "f1", home: "福田区", ["福华路1号": a, "测试花园": b, "": c])
        try store.storeGeocodes(fingerprint: "f1", home: "罗湖区", ["福华路1号": b])
        // A fresh connection sees what was committed.
        let again = try CaseStore(url: url, create: false)
        #expect(try again.cachedGeocodes(fingerprint: "f1", home: "福田区", keys: ["福华路1号", "测试花园", "", "没有", "测试花园"])
                == [a, b, c, nil, b])
        #expect(try again.cachedGeocodes(fingerprint: "f1", home: "罗湖区", keys: ["福华路1号", "测试花园"]) == [b, nil])
        #expect(try again.cachedGeocodes(fingerprint: "f1", home: "南山区", keys: ["福华路1号"]) == [nil])
        #expect(try again.cachedGeocodes(fingerprint: "f1", home: "福田区", keys: []) == [])
        // A key stored again is replaced.
        try again.storeGeocodes(fingerprint: "f1", home: "福田区", ["测试花园": a])
        #expect(try again.cachedGeocodes(fingerprint: "f1", home: "福田区", keys: ["测试花园"]) == [a])
        #expect(try again.geocodeCacheCount() == 4)
    }

    /// Results of another fingerprint are never returned, and the first store under a new one empties the cache.
    @Test func anotherFingerprintStartsAnew() throws {
        let store = try CaseStore(url: temporary("fingerprint.sqlite"), create: true)
        #expect(try store.cachedGeocodes(fingerprint: "f1", home: "h", keys: ["k"]) == [nil])
        try store.storeGeocodes(fingerprint: "f1", home: "h", ["k": Data([1]), "l": Data([2])])
        try store.storeGeocodes(fingerprint: "f1", home: "i", ["k": Data([3])])
        #expect(try store.cachedGeocodes(fingerprint: "f2", home: "h", keys: ["k", "l"]) == [nil, nil])
        try store.storeGeocodes(fingerprint: "f2", home: "h", ["m": Data([4])])
        #expect(try store.geocodeCacheCount() == 1)
        #expect(try store.cachedGeocodes(fingerprint: "f1", home: "h", keys: ["k", "m"]) == [nil, nil])
        #expect(try store.cachedGeocodes(fingerprint: "f2", home: "h", keys: ["k", "m"]) == [nil, Data([4])])
    }

    /// A daily run's sizes: 100,000 stored, 15,000 looked up (and keys not there). Prints the time each
    /// takes; the bounds only catch a pathological slowdown.
    @Test func manyKeys() throws {
        let store = try CaseStore(url: temporary("many.sqlite"), create: true)
        let entries = Dictionary(uniqueKeysWithValues: (0..<100_000).map { i in
            ("深圳市福田区福华路\(i)号", Data("{\"r\":null,\"d\":\"\",\"x\":114.0\(i),\"y\":22.5,\"c\":\"C\(i % 97)\",\"f\":0.9}".utf8))
        })
        var start = Date()
        try store.storeGeocodes(fingerprint: "f", home: "广东省深圳市福田区", entries)
        let storeSeconds = Date().timeIntervalSince(start)
        let keys = (0..<15_000).map { "深圳市福田区福华路\($0 * 6 + 3)号" } + (0..<250).map { "没有\($0)" }
        start = Date()
        let found = try store.cachedGeocodes(fingerprint: "f", home: "广东省深圳市福田区", keys: keys)
        let lookupSeconds = Date().timeIntervalSince(start)
        print("geocode cache: stored 100,000 in \(String(format: "%.3f", storeSeconds)) s; "
              + "looked up \(keys.count) in \(String(format: "%.3f", lookupSeconds)) s")
        #expect(found.count == keys.count)
        #expect(zip(keys, found).allSatisfy { key, data in data == entries[key] })
        #expect(found.suffix(250).allSatisfy { $0 == nil })
        #expect(storeSeconds < 30 && lookupSeconds < 10)
    }
}
