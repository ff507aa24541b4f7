import Foundation
import Geometry
import Input
import Model
import Testing
@testable import Risk

@Suite struct HotspotTests {
    func cluster(_ x: Double, _ y: Double, _ n: Int, community: String) -> [HotspotCase] {
        (0..<n).map { i in
            HotspotCase(point: Coordinate(x + Double(i % 3) * 0.0001, y + Double(i / 3) * 0.0001),
                        zones: [.street: "S", .community: community])
        }
    }

    @Test func peaksRankedByCases() {
        let cases = cluster(114.00, 22.50, 9, community: "C1") + cluster(114.05, 22.55, 20, community: "C2")
            + cluster(114.10, 22.52, 1, community: "C3")
        let spots = HotspotFinder(cellMetres: 100).find(cases, top: 2)
        #expect(spots.count == 2)
        #expect(spots.map(\.cases) == [20, 9])
        #expect(spots[0].mainZone(.community) == "C2" && spots[0].zones[.street] == ["S": 20])
        #expect(abs(spots[0].center.x - 114.0501) < 0.0002 && abs(spots[0].center.y - 22.5503) < 0.0004)
        #expect(spots.map(\.rank) == [1, 2])
    }

    /// A run reads its cases from a file, a daily run from the database in another order: the
    /// hotspots must come out the same to the last bit.
    @Test func theOrderOfTheCasesDoesNotMatter() {
        var cases: [HotspotCase] = []
        for i in 0..<400 {
            let t = Double(i)
            cases.append(HotspotCase(point: Coordinate(114.0 + 0.0003 * (t * 7).truncatingRemainder(dividingBy: 97) + 0.1 * (t / 400),
                                                       22.5 + 0.00037 * (t * 13).truncatingRemainder(dividingBy: 89)),
                                     zones: [.street: "S\(i % 3)"]))
        }
        let finder = HotspotFinder(cellMetres: 150)
        let forward = finder.find(cases, top: 5), backward = finder.find(cases.reversed(), top: 5)
        #expect(forward.count == 5)
        #expect(forward.map(\.center) == backward.map(\.center))
        #expect(forward.map(\.cases) == backward.map(\.cases))
        #expect(forward.map { $0.zones } == backward.map { $0.zones })
    }

    @Test func noCasesNoHotspots() {
        #expect(HotspotFinder(cellMetres: 100).find([], top: 5).isEmpty)
    }
}
