import Foundation
import Geometry
import Testing
@testable import Projection

@Suite struct ChinaOffsetsTests {
    let fixture = ProjectionFixture.shared
    /// Degrees; 1e-9 deg is about 0.1 mm. The oracle's iterations were run to 1e-13.
    let tol = 1e-9

    @Test func fixtureCoversShenzhenAndOutsideChina() {
        #expect(fixture.points.count >= 200)
        #expect(fixture.points.contains { !$0.inChina })
        #expect(fixture.points.allSatisfy { $0.inChina == ChinaOffsets.isInChinaBox(coord($0.wgs)) })
    }

    @Test func checkVector() {
        // ../shared/c-libraries.md: WGS (lat, lon) 22.543847, 113.912316 → GCJ 22.540796131694766, 113.9171764808363
        let gcj = ChinaOffsets.wgs84ToGCJ02(Coordinate(113.912316, 22.543847))
        #expect(abs(gcj.y - 22.540796131694766) < 1e-12)
        #expect(abs(gcj.x - 113.9171764808363) < 1e-12)
    }

    @Test func wgsToGcjMatchesPrcoords() {
        for p in fixture.points {
            #expect(maxDiff(ChinaOffsets.wgs84ToGCJ02(coord(p.wgs)), coord(p.wgsToGcj)) < tol, "\(p.wgs)")
        }
    }

    @Test func gcjToWgsMatchesPrcoordsExactInverse() {
        for p in fixture.points {
            #expect(maxDiff(ChinaOffsets.gcj02ToWGS84(coord(p.wgs)), coord(p.gcjToWgs)) < tol, "\(p.wgs)")
        }
    }

    @Test func gcjToBdAndBackMatchPrcoords() {
        for p in fixture.points {
            #expect(maxDiff(ChinaOffsets.gcj02ToBD09(coord(p.wgs)), coord(p.gcjToBd)) < tol, "\(p.wgs)")
            #expect(maxDiff(ChinaOffsets.bd09ToGCJ02(coord(p.wgs)), coord(p.bdToGcj)) < tol, "\(p.wgs)")
            #expect(maxDiff(ChinaOffsets.wgs84ToBD09(coord(p.wgs)), coord(p.wgsToBd)) < tol, "\(p.wgs)")
        }
    }

    @Test func roundTripsAreExact() {
        for p in fixture.points {
            let w = coord(p.wgs)
            #expect(maxDiff(ChinaOffsets.gcj02ToWGS84(ChinaOffsets.wgs84ToGCJ02(w)), w) < 1e-11)
            #expect(maxDiff(ChinaOffsets.bd09ToGCJ02(ChinaOffsets.gcj02ToBD09(w)), w) < 1e-11)
            #expect(maxDiff(ChinaOffsets.bd09ToWGS84(ChinaOffsets.wgs84ToBD09(w)), w) < 1e-11)
        }
    }

    /// Guards the point of the exact inverse: the one-step inverse misses by metres in Shenzhen.
    @Test func exactInverseBeatsOneStepApproximation() {
        var worstOneStep = 0.0
        for p in fixture.points where p.inChina {
            let gcj = coord(p.wgsToGcj), wgs = coord(p.wgs)
            let f = ChinaOffsets.wgs84ToGCJ02(gcj)
            let oneStep = Coordinate(gcj.x - (f.x - gcj.x), gcj.y - (f.y - gcj.y))
            worstOneStep = max(worstOneStep, maxDiff(oneStep, wgs))
            #expect(maxDiff(ChinaOffsets.gcj02ToWGS84(gcj), wgs) < 1e-11)
        }
        #expect(worstOneStep > 1e-5)  // ≈ 1 m or more
    }

    @Test func identityOutsideChinaForGcj() {
        for p in fixture.points where !p.inChina {
            let w = coord(p.wgs)
            #expect(ChinaOffsets.wgs84ToGCJ02(w) == w)
            #expect(ChinaOffsets.gcj02ToWGS84(w) == w)
        }
    }

    @Test func typicalFutianOffsetSizes() {
        // c-libraries.md: WGS→GCJ ≈ 606 m in Futian; GCJ→BD ≈ 921 m more. Catches a swapped lat/lon.
        let w = Coordinate(114.055, 22.54)
        let g = ChinaOffsets.wgs84ToGCJ02(w), b = ChinaOffsets.gcj02ToBD09(g)
        #expect((550...650).contains(metres(w, g)))
        #expect((850...1000).contains(metres(g, b)))
    }

    private func metres(_ a: Coordinate, _ b: Coordinate) -> Double {
        let dy = (a.y - b.y) * 111_320, dx = (a.x - b.x) * 111_320 * cos(a.y * .pi / 180)
        return (dx * dx + dy * dy).squareRoot()
    }
}
