import Foundation
import Testing
import Model
import Geometry
import Projection
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

    /// The compact record reads back every value it was given, nil and empty ones included, and two
    /// records are equal exactly when their values are.
    @Test func compactRecordsKeepEveryValue() {
        #expect(MemoryLayout<CaseRecord>.stride <= 80)
        #expect(MemoryLayout<LocatedCase>.stride <= 80)
        let r = CaseRecord(file: "数据/12345.csv", line: 4_000_000_123, id: "PV000000001",
                           day: Day(year: 9999, month: 12, day: 31)!, time: "08:30", category: "油烟",
                           address: "福田区华富街道莲花一村社区彩田路7018号", rawCoordinate: Coordinate(114.05, 22.54),
                           crs: .epsg(4547), coordinateProblem: .outOfRange, coordinateProblemDetail: "lat 95 > 90",
                           channel: "12369", fields: ["a", "b"])
        #expect(r.file == "数据/12345.csv" && r.line == 4_000_000_123 && r.id == "PV000000001")
        #expect(r.address == "福田区华富街道莲花一村社区彩田路7018号")
        #expect(r.day.description == "9999-12-31" && r.time == "08:30" && r.category == "油烟" && r.channel == "12369")
        #expect(r.rawCoordinate == Coordinate(114.05, 22.54) && r.crs == .epsg(4547))
        #expect(r.coordinateProblem == .outOfRange && r.coordinateProblemDetail == "lat 95 > 90" && r.fields == ["a", "b"])
        let bare = CaseRecord(file: "", line: 2, id: "x", day: Day(year: 1, month: 1, day: 1)!, category: "",
                              address: "", rawCoordinate: nil, crs: nil, channel: "", fields: [])
        #expect(bare.time == nil && bare.rawCoordinate == nil && bare.crs == nil && bare.coordinateProblem == nil)
        #expect(bare.category == "" && bare.file == "" && bare.coordinateProblemDetail == "" && bare.address == "")
        var changed = r
        #expect(changed == r)
        changed.time = nil
        changed.crs = .wgs84
        changed.rawCoordinate = nil
        changed.coordinateProblem = nil
        #expect(changed != r && changed.time == nil && changed.crs == .wgs84 && changed.rawCoordinate == nil
                && changed.coordinateProblem == nil && changed.category == "油烟")
        // Texts equal by their bytes are one value; an empty time is not a missing one.
        var empty = bare
        empty.time = ""
        #expect(empty != bare && empty.time == "")
        for reason in RejectReason.allCases {
            var withProblem = bare
            withProblem.coordinateProblem = reason
            #expect(withProblem.coordinateProblem == reason)
        }
        let placed = LocatedCase(record: r, point: Coordinate(114.06, 22.55), street: "S", community: nil, post: nil,
                                 method: .address, confidence: 0.875)
        #expect(placed.point == Coordinate(114.06, 22.55) && placed.street == "S" && placed.method == .address
                && placed.confidence == 0.875)
        // A located case keeps its record but for the raw coordinate, the coordinate problem and the fields.
        var kept = r
        kept.rawCoordinate = nil
        kept.coordinateProblem = nil
        kept.coordinateProblemDetail = ""
        kept.fields = []
        #expect(placed.record == kept && placed.record.crs == .epsg(4547) && placed.record.time == "08:30"
                && placed.record.address == r.address && placed.record.line == 4_000_000_123)
        var unplaced = placed
        unplaced.point = nil
        #expect(unplaced.point == nil && unplaced != placed)
    }

    /// Addresses set through readers' own handle caches, on many threads, read back as written; equal
    /// texts (by their bytes) are equal records' addresses, others never.
    @Test func addressesSetThroughReadersCachesReadBack() {
        let day = Day(year: 2026, month: 11, day: 1)!
        let texts = (0..<3_000).map { "深圳市福田区测试路\($0 % 1_200)号" } + ["", "a", "福华路1号", "福华路１号"]
        let made = parallelMap(6) { _ in
            var handles = AddressHandles()
            return texts.map { text in
                var r = CaseRecord(file: "f.csv", line: 2, id: "x", day: day, category: "", address: "",
                                   rawCoordinate: nil, crs: nil, channel: "", fields: [])
                handles.set(text, on: &r)
                return r
            }
        }
        for records in made {
            #expect(records.map(\.address) == texts)
            #expect(records == made[0])
        }
        let plain = texts.map { CaseRecord(file: "f.csv", line: 2, id: "x", day: day, category: "", address: $0,
                                           rawCoordinate: nil, crs: nil, channel: "", fields: []) }
        #expect(plain == made[0])
        // Full-width １ is another text: another address.
        #expect(made[0][texts.count - 1] != made[0][texts.count - 2])
    }

    /// Records across several chunks read back by position, and `consume` hands every one on, in order,
    /// leaving none.
    @Test func chunkedRecordsKeepTheirOrderAndAreConsumedOnce() {
        let day = Day(year: 2026, month: 11, day: 1)!
        let n = 3 * 65_536 + 17
        var records = CaseRecords((0..<n).lazy.map { i in
            CaseRecord(file: "f.csv", line: i + 2, id: "C\(i)", day: day, category: "噪声", address: "",
                       rawCoordinate: nil, crs: nil, channel: "", fields: [])
        })
        #expect(records.count == n)
        for i in [0, 65_535, 65_536, 131_071, 131_072, n - 1] { #expect(records[i].line == i + 2 && records[i].id == "C\(i)") }
        var seen = 0
        records.consume { position, record in
            if position == seen && record.line == position + 2 { seen += 1 }
        }
        #expect(seen == n)
        #expect(records.isEmpty)
    }
}
