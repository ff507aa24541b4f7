import Geometry
import Testing
@testable import Projection

@Suite struct CoordinateTransformerTests {
    let fixture = ProjectionFixture.shared

    @Test func wgs84ToGaussKrugerMatchesPyproj() throws {
        let t = try CoordinateTransformer(from: .wgs84, to: .epsg(4547))
        for p in fixture.points where p.inChina {
            let out = try #require(t.transform(coord(p.wgs)))
            #expect(maxDiff(out, coord(p.epsg4547)) < 1e-3, "\(p.wgs)")
        }
    }

    @Test func gaussKrugerToWgs84MatchesPyproj() throws {
        let t = try CoordinateTransformer(from: .epsg(4547))
        for p in fixture.points where p.inChina {
            let out = try #require(t.transform(coord(p.epsg4547)))
            #expect(maxDiff(out, coord(p.epsg4547Back)) < 1e-9, "\(p.wgs)")
            #expect(maxDiff(out, coord(p.wgs)) < 1e-8)
        }
    }

    @Test func cgcs2000AndMercatorThroughProj() throws {
        let cgcs = try CoordinateTransformer(from: .wgs84, to: .cgcs2000)
        let merc = try CoordinateTransformer(from: .wgs84, to: .epsg(3857))
        for p in fixture.points {
            #expect(maxDiff(try #require(cgcs.transform(coord(p.wgs))), coord(p.epsg4490)) < 1e-9)
            #expect(maxDiff(try #require(merc.transform(coord(p.wgs))), coord(p.epsg3857)) < 1e-3)
        }
    }

    @Test func bulkTransformEqualsSinglePoints() throws {
        let t = try CoordinateTransformer(from: .wgs84, to: .epsg(4547))
        var cs = fixture.points.filter(\.inChina).map { coord($0.wgs) }
        let singles = cs.map { t.transform($0) }
        let ok = t.transform(&cs)
        #expect(ok.count == cs.count && ok.allSatisfy { $0 })
        for (a, b) in zip(cs, singles) { #expect(a == b) }
    }

    @Test func failuresAreNilAndFlagged() throws {
        let t = try CoordinateTransformer(from: .wgs84, to: .epsg(4547))
        #expect(t.transform(Coordinate(114, 100)) == nil)
        #expect(t.transform(Coordinate(.nan, 22)) == nil)
        var cs = [Coordinate(114, 22.5), Coordinate(114, 100), Coordinate(114.1, 22.6)]
        #expect(t.transform(&cs) == [true, false, true])
    }

    @Test func chinaOffsetsGoThroughWgs84() throws {
        let fromGcj = try CoordinateTransformer(from: .gcj02)
        let fromBd = try CoordinateTransformer(from: .bd09)
        let bdToGk = try CoordinateTransformer(from: .bd09, to: .epsg(4547))
        let wgsToGcj = try CoordinateTransformer(from: .wgs84, to: .gcj02)
        for p in fixture.points where p.inChina {
            #expect(try #require(fromGcj.transform(coord(p.wgsToGcj))) == ChinaOffsets.gcj02ToWGS84(coord(p.wgsToGcj)))
            #expect(maxDiff(try #require(fromGcj.transform(coord(p.wgsToGcj))), coord(p.wgs)) < 1e-9)
            #expect(maxDiff(try #require(fromBd.transform(coord(p.wgsToBd))), coord(p.wgs)) < 1e-9)
            #expect(maxDiff(try #require(bdToGk.transform(coord(p.wgsToBd))), coord(p.epsg4547)) < 1e-3)
            #expect(maxDiff(try #require(wgsToGcj.transform(coord(p.wgs))), coord(p.wgsToGcj)) < 1e-9)
        }
        var bulk = fixture.points.filter(\.inChina).map { coord($0.wgsToBd) }
        #expect(bdToGk.transform(&bulk).allSatisfy { $0 })
        for (c, p) in zip(bulk, fixture.points.filter(\.inChina)) { #expect(maxDiff(c, coord(p.epsg4547)) < 1e-3) }
    }

    @Test func wgs84ToWgs84IsIdentity() throws {
        let t = try CoordinateTransformer(from: .wgs84)
        // Out-of-range values pass untouched: no PROJ object is involved.
        for c in [Coordinate(113.912316, 22.543847), Coordinate(-179.999999999, 89.9), Coordinate(400, -95)] {
            #expect(t.transform(c) == c)
        }
    }

    @Test func unknownEpsgThrowsAtInit() {
        #expect(throws: CRSError.self) { try CoordinateTransformer(from: .epsg(999999)) }
        do {
            _ = try CoordinateTransformer(from: .wgs84, to: .epsg(999999))
            Issue.record("EPSG:999999 accepted")
        } catch {
            guard case .projFailed(let crs, let message) = error else { Issue.record("\(error)"); return }
            #expect(crs == "EPSG:999999")
            #expect(!message.isEmpty)
        }
        // EPSG:7030 exists but is an ellipsoid, not a coordinate system.
        #expect(throws: CRSError.self) { try CoordinateTransformer(from: .epsg(7030)) }
    }

    @Test func parsesCrsNames() throws {
        #expect(try CRS(parsing: "urn:ogc:def:crs:EPSG::4547") == .epsg(4547))
        #expect(try CRS(parsing: "EPSG:4490") == .cgcs2000)
        #expect(try CRS(parsing: "GCJ-02") == .gcj02)
        #expect(try CRS(parsing: "bd09") == .bd09)
        #expect(try CRS(parsing: "urn:ogc:def:crs:OGC:1.3:CRS84") == .wgs84)
        #expect(throws: CRSError.unknownName("foo")) { try CRS(parsing: "foo") }
        #expect(throws: CRSError.self) { try CRS(parsing: "EPSG:abc") }
    }
}
