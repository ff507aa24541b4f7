import Geometry
import Testing
@testable import Projection

@Suite struct WebMercatorTests {
    let fixture = ProjectionFixture.shared

    @Test func projectMatchesPyproj() {
        for p in fixture.points {
            #expect(maxDiff(WebMercator.project(coord(p.wgs)), coord(p.epsg3857)) < 1e-3, "\(p.wgs)")
        }
    }

    @Test func unprojectInvertsProject() {
        for p in fixture.points {
            #expect(maxDiff(WebMercator.unproject(coord(p.epsg3857)), coord(p.wgs)) < 1e-9)
        }
    }

    @Test func constantsAndWorldCorners() {
        #expect(abs(WebMercator.originShift - 20037508.342789244) < 1e-6)
        let corner = WebMercator.project(Coordinate(180, WebMercator.maxLatitude))
        #expect(abs(corner.x - WebMercator.originShift) < 1e-6)
        #expect(abs(corner.y - WebMercator.originShift) < 1e-3)
    }

    @Test func latitudeIsClamped() {
        let pole = WebMercator.project(Coordinate(10, 90))
        let south = WebMercator.project(Coordinate(10, -90))
        #expect(pole.y.isFinite && south.y.isFinite)
        #expect(pole == WebMercator.project(Coordinate(10, WebMercator.maxLatitude)))
        #expect(south.y == -pole.y)
    }
}
