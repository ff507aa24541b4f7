import Foundation
import Testing
import Model
import Support

/// The compact forms a run keeps per case (issue 16, memory per case): interned zone references and the
/// in-place sort of the located cases. Each must behave exactly as the plain form it replaces.
@Suite struct CaseMemoryTests {
    @Test func zoneReferencesAreFourBytesAndKeepTheirIDs() {
        #expect(MemoryLayout<ZoneRef>.size == 4)
        var ref = ZoneRef(street: "440304001", community: "440304001003", post: "P-17")
        #expect(ref.street == "440304001" && ref.community == "440304001003" && ref.post == "P-17" && ref.grid == nil)
        ref.grid = "c3_4"
        #expect(ref[.grid] == "c3_4" && ref[.post] == "P-17")
        ref.post = nil
        #expect(ref.post == nil && ref.community == "440304001003" && ref.finest == .community)
        #expect(ZoneRef().isEmpty && ZoneRef().finest == nil && !ref.isEmpty)
        #expect(ZoneRef(street: "A", community: "B").common(with: ZoneRef(street: "A", community: "C")) == ZoneRef(street: "A"))
    }

    /// Equal ids give equal references (and hashes), whichever thread made them first; different ids
    /// never share one.
    @Test func equalIDsMadeOnManyThreadsAreOneReference() {
        let names = (0..<2_000).map { "街道\($0 % 37)/社区\($0)" }
        let made = parallelMap(8) { _ in names.map { ZoneRef(street: String($0.prefix(4)), community: $0, post: nil) } }
        for refs in made.dropFirst() { #expect(refs == made[0]) }
        #expect(Set(made[0]).count == names.count)
        #expect(made[0].map(\.community) == names.map(Optional.init))
    }

    @Test func referencesEncodeAsTheirIDs() throws {
        var ref = ZoneRef(street: "S1", post: "P9")
        ref.grid = "g"
        let json = String(decoding: try JSONEncoder().encode(ref), as: UTF8.self)
        #expect(json.contains("\"street\":\"S1\"") && json.contains("\"post\":\"P9\"") && json.contains("\"grid\":\"g\"")
                && !json.contains("community"))
        #expect(try JSONDecoder().decode(ZoneRef.self, from: Data(json.utf8)) == ref)
    }

    /// `sortByMoving` against the standard library's sort, on random keys with ties broken by position.
    @Test func sortingByMovingMatchesTheStandardSort() {
        var generator = SystemRandomNumberGenerator()
        for n in [0, 1, 2, 17, 1_000, 25_000] {
            let values = (0..<n).map { i in (key: Int.random(in: 0..<max(1, n / 3), using: &generator), at: i) }
            var moved = values
            moved.sortByMoving { ($0.key, $0.at) < ($1.key, $1.at) }
            let sorted = values.sorted { ($0.key, $0.at) < ($1.key, $1.at) }
            #expect(moved.map(\.at) == sorted.map(\.at))
        }
    }
}
