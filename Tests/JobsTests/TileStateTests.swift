import Foundation
import Model
import TestSupport
import Rendering
import Testing
@testable import Location
@testable import Pipeline
@testable import Publishing
@testable import Stats
@testable import Tiles

/// The tile state file and the dirty-tile arithmetic of incremental runs.
@Suite struct TileStateTests {
    let points = [HeatPoint(lon: 114.05, lat: 22.54, weight: 1), HeatPoint(lon: 114.06, lat: 22.53, weight: 2.5)]
        .sorted(by: HeatPoint.canonicalOrder)

    @Test func roundTrips() throws {
        let state = TileState(fingerprint: "f", fills: ["street": ["#ff000080", "#00ff0080"]], heat: points)
        #expect(TileState(data: state.encoded()) == state)
    }

    @Test func aDamagedOrForeignFileIsNoState() {
        let data = TileState(fingerprint: "f", fills: [:], heat: points).encoded()
        #expect(TileState(data: data.dropLast()) == nil)
        #expect(TileState(data: Data("riskmap-tiles-0\n".utf8) + data.dropFirst(16)) == nil)
        #expect(TileState(data: Data()) == nil)
    }

    @Test func changedPointsAreTheSymmetricDifference() {
        let moved = HeatPoint(lon: 114.07, lat: 22.52, weight: 1)
        let new = [points[0], moved].sorted(by: HeatPoint.canonicalOrder)
        #expect(Set(changedPoints(points, new).map { "\($0.lon)" }) == ["\(points[1].lon)", "\(moved.lon)"])
        #expect(changedPoints(points, points).isEmpty)
    }

    @Test func heatTilesCoverTheKernelAtEveryZoom() {
        let options = TileOptions(minZoom: 10, maxZoom: 14)
        let tiles = heatTiles(around: [points[0]], bandwidthMetres: 300, sampleLevel: 13, options: options)
        for z in 10...14 {
            let n = Double(1 << z)
            let x = Int((points[0].lon + 180) / 360 * n)
            #expect(tiles.contains { $0.z == z && $0.x == x })
        }
        // 1.5 × 300 m is under one z14 tile (~2.2 km at this latitude): at most 2 × 2 tiles a zoom.
        #expect(tiles.filter { $0.z == 14 }.count <= 4)
    }
}

extension TileStateTests {
    @Test func theDensityRoundTripsPackedAndSmall() throws {
        let many = (0..<400).map { (i: Int) -> HeatPoint in
            HeatPoint(lon: 114.0 + Double(i % 20) * 0.005, lat: 22.5 + Double(i / 20) * 0.004, weight: 1 + Double(i % 3))
        }.sorted(by: HeatPoint.canonicalOrder)
        let field = DensityField(points: many, bandwidthMetres: 150, coarsestLevel: 10, finestLevel: 16)
        let state = TileState(fingerprint: "f", fills: [:], heat: many, density: field.fixed)
        let data = state.encoded()
        let read = try #require(TileState(data: data))
        #expect(read == state)
        #expect(read.density.blocks.values.allSatisfy { $0.unpacked() != nil })
        // Plain Int64 blocks took 8 bytes a pixel.
        #expect(data.count < field.fixed.blocks.count * 256 * 256 * 2, "\(data.count) bytes")
        #expect(TileState(data: data.dropLast()) == nil)
    }
}
