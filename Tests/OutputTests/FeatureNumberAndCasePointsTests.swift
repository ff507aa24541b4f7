import Foundation
@testable import Output
import Geometry
import Testing

/// The feature-id rule and the privacy grid (issue 14), on their own.
@Suite struct FeatureNumberTests {
    @Test func plainCodesAreTheirOwnNumbers() {
        #expect(FeatureNumber.of(["440304001", "440304002", "7", "0"]) == [440_304_001, 440_304_002, 7, 0])
        #expect(FeatureNumber.of([String]()) == [])
    }

    /// One id that is not a plain whole number (a letter, a leading zero, a sign, a decimal, 2^53, a
    /// repeat) and the whole file is numbered by position instead, so ids never collide.
    @Test(arguments: [["1", "S02"], ["1", "007"], ["1", "-3"], ["1", "4.0"], ["1", "9007199254740992"], ["5", "5"],
                      ["1", " 2"], ["1", "２"]])
    func anyOtherIdNumbersTheFileByPosition(ids: [String]) {
        #expect(FeatureNumber.of(ids) == [1, 2])
    }

    @Test func theLargestExactNumberIsKept() {
        #expect(FeatureNumber.of(["9007199254740991"]) == [9_007_199_254_740_991])
    }
}

@Suite struct CasePointsTests {
    @Test(arguments: [("exact", "exact"), ("none", "none"), ("snap:200", "snap:200"), ("snap:10", "snap:10"),
                      ("snap:100000", "snap:100000"), ("snap:12.5", "snap:12.5")])
    func parsesAndPrintsTheOption(text: String, printed: String) {
        #expect(CasePoints(parsing: text)?.description == printed)
    }

    @Test(arguments: ["", "Exact", "snap", "snap:", "snap:9.9", "snap:100001", "snap:-200", "snap:inf", "snap:200m"])
    func refusesAnythingElse(text: String) {
        #expect(CasePoints(parsing: text) == nil)
    }

    /// Points of one cell go to one centre; the centre is in the cell (about N metres each way, by the
    /// haversine distance), and the next cell's points go elsewhere.
    @Test func snappingIsAGridOfAboutNMetres() throws {
        let snap = try #require(CasePoints(parsing: "snap:500"))
        var centres: Set<[Double]> = []
        for i in 0..<200 {
            let p = Coordinate(114.05 + Double(i % 20) * 0.0007, 22.53 + Double(i / 20) * 0.0007)
            let c = try #require(snap.place(p))
            #expect(haversine(p, c) <= 500 * 2.0.squareRoot() / 2 * 1.01)
            #expect(snap.place(c).map { [$0.x, $0.y] } == [c.x, c.y], "a centre is its own cell's centre")
            centres.insert([c.x, c.y])
        }
        // 20 × 10 points 0.0007° (≈ 72 m / 78 m) apart span ≈ 1.4 km × 0.7 km: about 3 × 2 cells of 500 m.
        #expect((4...12).contains(centres.count), "\(centres.count)")
        #expect(CasePoints.none.place(Coordinate(1, 2)) == nil)
        #expect(CasePoints.exact.place(Coordinate(1, 2)) == Coordinate(1, 2))
    }

    func haversine(_ a: Coordinate, _ b: Coordinate) -> Double {
        let r = 6_371_008.8, rad = Double.pi / 180
        let dLat = (b.y - a.y) * rad, dLon = (b.x - a.x) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.y * rad) * cos(b.y * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, h.squareRoot()))
    }
}
