import Geometry
import Testing
@testable import Projection

@Suite struct GeodesicAreaTests {
    let fixture = ProjectionFixture.shared

    @Test func matchesPyprojGeod() {
        #expect(fixture.areas.count >= 3)
        for a in fixture.areas {
            let area = geodesicArea(a.multiPolygon)
            #expect(abs(area - a.areaM2) <= 1e-6 * a.areaM2, "\(a.name): \(area) vs \(a.areaM2)")
        }
    }

    @Test func orientationDoesNotMatter() {
        for a in fixture.areas {
            let mp = a.multiPolygon
            let reversed = MultiPolygon(mp.polygons.map {
                Polygon(exterior: $0.exterior.reversed(), holes: $0.holes.map { $0.reversed() })
            })
            #expect(abs(geodesicArea(reversed) - geodesicArea(mp)) <= 1e-9 * a.areaM2)
        }
    }

    @Test func holesAreSubtracted() {
        let holed = fixture.areas.first { $0.name == "futian_block_with_two_holes" }!.multiPolygon.polygons[0]
        let outer = geodesicArea(Polygon(exterior: holed.exterior))
        let holes = holed.holes.map { geodesicArea(Polygon(exterior: $0)) }
        #expect(holes.allSatisfy { $0 > 0 })
        #expect(abs(geodesicArea(holed) - (outer - holes.reduce(0, +))) < 1e-6)
    }

    @Test func oneDegreeSquareAtEquator() {
        // Independent of PROJ: a 1°×1° cell at the equator is ≈ 12,308 km² on WGS84.
        let ring: Ring = [.init(0, 0), .init(1, 0), .init(1, 1), .init(0, 1), .init(0, 0)]
        #expect(abs(geodesicArea(Polygon(exterior: ring)) / 1e6 - 12_308.8) < 1)
    }

    @Test func degenerateRingsHaveNoArea() {
        #expect(geodesicArea(MultiPolygon([])) == 0)
        #expect(geodesicArea(Polygon(exterior: [.init(1, 1), .init(2, 2), .init(1, 1)])) == 0)
    }
}
