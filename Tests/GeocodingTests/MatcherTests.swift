import Geocoding
import Geometry
import Input
import Model
import Testing

/// The matching rules on a hand-made district: two streets, a road sharing a street's stem.
@Suite struct MatcherTests {
    static let square = MultiPolygon([])

    static let geocoder: Geocoder = {
        let streets = [Zone(id: "S1", name: "梅林街道", parent: nil, aliases: ["梅林"], level: .street, geometry: square),
                       Zone(id: "S2", name: "莲花街道", parent: nil, level: .street, geometry: square)]
        let communities = [Zone(id: "C1", name: "彩田社区", parent: "S1", level: .community, geometry: square),
                           Zone(id: "C2", name: "景田社区", parent: "S2", level: .community, geometry: square),
                           Zone(id: "C3", name: "锦田社区", parent: "S2", level: .community, geometry: square)]
        let gazetteer = [
            GazetteerEntry(name: "梅林路1号", kind: .door, point: Coordinate(1, 0)),
            GazetteerEntry(name: "梅林路3号", kind: .door, point: Coordinate(3, 0)),
            GazetteerEntry(name: "梅林路2号", kind: .door, point: Coordinate(2, 0)),
            GazetteerEntry(name: "景华新村", kind: .estate, point: Coordinate(10, 0)),
            GazetteerEntry(name: "景华花园", kind: .estate, point: Coordinate(11, 0)),
            GazetteerEntry(name: "外面大厦", kind: .building, point: Coordinate(99, 0)),
        ]
        // x < 5: C1 (street S1); 5 ≤ x < 10.5: C2; 10.5 ≤ x < 50: C3; beyond: outside.
        return Geocoder(streets: streets, communities: communities, posts: [], gazetteer: gazetteer,
                        home: HomeArea(parsing: "深圳市福田区")) { points in
            points.map { p in
                p.x < 5 ? ZoneRef(street: "S1", community: "C1") : p.x < 10.5 ? ZoneRef(street: "S2", community: "C2")
                    : p.x < 50 ? ZoneRef(street: "S2", community: "C3") : ZoneRef()
            }
        }
    }()

    func geocode(_ s: String) -> GeocodeResult { Self.geocoder.geocode(s) }

    @Test func roadIsNotTheStreet() {
        let r = geocode("梅林路3号")
        #expect(r.method == .address && r.match == .exact && r.point == Coordinate(3, 0))
        let s = geocode("梅林街道")
        #expect(s.method == .name && s.zones == ZoneRef(street: "S1") && s.point == nil)
        #expect(geocode("梅林").zones == ZoneRef(street: "S1"))
        #expect(geocode("梅林").match == .alias)
    }

    @Test func nearestDoorOnTheSameSide() {
        let r = geocode("梅林路5号")
        #expect(r.match == .nearestDoor && r.point == Coordinate(3, 0))
        #expect(r.confidence < 1)
    }

    @Test func aZoneNameNeverOverridesAPoint() {
        let r = geocode("梅林街道景华新村")
        #expect(r.method == .address && r.zones.community == "C2")
    }

    @Test func disagreeingCandidatesLocateOnlyAsFarAsTheyAgree() {
        // 景华新X: 景华新村 (C2) or not; 景华X园 … both estates are one edit from 景华新园, in C2 and C3 of S2.
        let r = geocode("景华新园")
        #expect(r.method == .name && r.zones == ZoneRef(street: "S2") && r.point == nil)
        #expect(r.runnersUp.count == 2)
    }

    @Test func contradictingZoneNamesAreAmbiguous() {
        let r = geocode("莲花街道彩田社区")
        #expect(r.rejectReason == .ambiguous && r.detail.contains("彩田社区") && r.detail.contains("莲花街道"))
    }

    @Test func badAddresses() {
        #expect(geocode("").rejectReason == .unparseableAddress)
        #expect(geocode(" \t ").rejectReason == .unparseableAddress)
        #expect(geocode("0755-12345678").rejectReason == .unparseableAddress)
        #expect(geocode("Main Street 5").rejectReason == .unparseableAddress)
        #expect(geocode("罗湖区梅林路1号").rejectReason == .outside)
        #expect(geocode("广州市梅林路1号").rejectReason == .outside)
        #expect(geocode("外面大厦").rejectReason == .outside)
        #expect(geocode("不知道").rejectReason == .notFound)
    }
}
