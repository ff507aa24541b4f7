import Foundation
import Testing
@testable import Geometry

/// Point-in-polygon against shapely (scripts/oracles/pip_fixtures.py → Tests/Fixtures/pip.json).
@Suite struct PointLocatorTests {
    let polygons: [MultiPolygon]
    let points: [(Coordinate, covers: [Int], contains: [Int])]

    init() throws {
        let f = try Fixture.json("pip.json")
        polygons = (f["polygons"] as! [[String: Any]]).map(Fixture.multiPolygon)
        points = (f["points"] as! [[String: Any]]).map {
            (Coordinate(Double($0["x"] as! String)!, Double($0["y"] as! String)!), $0["covers"] as! [Int], $0["contains"] as! [Int])
        }
    }

    @Test func everyPointMatchesShapely() throws {
        let locator = try PointLocator(polygons)
        var borderPoints = 0
        for (p, covers, contains) in points {
            let hit = locator.locate(p)
            if covers.isEmpty {
                #expect(hit == nil, "point \(p) is in no polygon (shapely) but was located in \(hit!)")
            } else if let inside = contains.first {
                #expect(hit == inside, "point \(p) is inside \(inside) (shapely), located in \(String(describing: hit))")
            } else {
                // On a shared border: exactly one answer, the first covering polygon in input order.
                borderPoints += 1
                #expect(hit == covers.min(), "border point \(p) covered by \(covers), located in \(String(describing: hit))")
            }
        }
        #expect(borderPoints >= 15, "the fixture must hold points on shared borders")
    }

    @Test func holesAreNotInside() throws {
        let locator = try PointLocator(polygons)
        let inHole = points.filter { $0.covers.isEmpty && polygons[5].boundingBox!.contains($0.0) }
        #expect(!inHole.isEmpty)
        for (p, _, _) in inHole { #expect(locator.locate(p) == nil) }
    }

    @Test func parallelAgreesWithSerial() throws {
        let locator = try PointLocator(polygons)
        let many = (0..<20).flatMap { _ in points.map(\.0) }
        let parallel = try PointLocator.locateAll(many, in: polygons, workers: 2)
        let serial = many.map { locator.locate($0) }
        let differing = many.indices.filter { parallel[$0] != serial[$0] }
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(5).map { many[$0] })")
    }

    @Test func nonFinitePointIsNowhere() throws {
        let locator = try PointLocator(polygons)
        #expect(locator.locate(Coordinate(.nan, 22.5)) == nil)
    }
}

@Suite struct VoronoiTests {
    /// Every cell holds exactly the points nearer to its site than to any other (brute force), and
    /// the cells tile the area.
    @Test func cellsAreNearestSiteRegions() throws {
        let square = MultiPolygon([Polygon(exterior: [Coordinate(0, 0), Coordinate(10, 0), Coordinate(10, 8),
                                                      Coordinate(0, 8), Coordinate(0, 0)])])
        let sites = [Coordinate(2, 2), Coordinate(7, 1), Coordinate(5, 6), Coordinate(9, 7), Coordinate(1, 7)]
        let cells = try voronoiPartition(of: square, sites: sites)
        #expect(cells.count == sites.count)
        let geos = GEOSContext()
        let total = try cells.map { try geos.geometry($0).area() }.reduce(0, +)
        #expect(abs(total - 80) < 1e-9)
        let locator = try PointLocator(cells)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let p = Coordinate(Double.random(in: 0...10, using: &rng), Double.random(in: 0...8, using: &rng))
            let d = sites.map { ($0.x - p.x) * ($0.x - p.x) + ($0.y - p.y) * ($0.y - p.y) }
            let sorted = d.sorted()
            guard sorted[1] - sorted[0] > 1e-6 else { continue }  // equidistant: either cell is right
            #expect(locator.locate(p) == d.firstIndex(of: sorted[0]))
        }
    }

    /// Stretching x by cos(latitude) measures "nearer" in metres, not degrees.
    @Test func xScaleChangesTheSplit() throws {
        let box = MultiPolygon([Polygon(exterior: [Coordinate(0, 0), Coordinate(4, 0), Coordinate(4, 4),
                                                   Coordinate(0, 4), Coordinate(0, 0)])])
        let sites = [Coordinate(1, 1), Coordinate(3, 2.2)]
        let p = Coordinate(2.3, 1.3)  // nearer to site 1 in plain units, to site 0 with x shrunk by 0.5
        let plain = try PointLocator(try voronoiPartition(of: box, sites: sites)).locate(p)
        let scaled = try PointLocator(try voronoiPartition(of: box, sites: sites, xScale: 0.5)).locate(p)
        #expect(plain == 1)
        #expect(scaled == 0)
    }

    @Test func makeValidRepairsABowtie() throws {
        let geos = GEOSContext()
        let bowtie = try geos.geometry(MultiPolygon([Polygon(exterior: [Coordinate(0, 0), Coordinate(2, 2),
                                                                        Coordinate(2, 0), Coordinate(0, 2), Coordinate(0, 0)])]))
        #expect(bowtie.invalidityReason()?.contains("Self-intersection") == true)
        let fixed = try bowtie.makeValid()
        #expect(fixed.invalidityReason() == nil)
        #expect(abs(try fixed.area() - 2) < 1e-12)
        #expect(fixed.polygons().polygons.count == 2)
    }
}
