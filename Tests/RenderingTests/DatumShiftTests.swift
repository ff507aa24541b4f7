import Foundation
import Geometry
import Model
import Projection
import Testing
@testable import Rendering

/// The heat layer of a shifted pyramid (`run --publish-crs gcj02`): each pixel shows the density at the
/// WGS-84 point under it, with the WGS-84 layer's values (and so its colours and legend).
@Suite struct DatumShiftTests {
    static let ramp = HeatRamp(breakpoints: [5, 20, 80], colors: [RGBA8(hex: "#2E7D32")!, RGBA8(hex: "#F9A825")!,
                                                                  RGBA8(hex: "#C62828")!], steps: 8, opacity: 0.8)
    /// A few clusters in Futian; the sampling level of a 150 m kernel is 14, so zooms 11...13 read pixel
    /// averages of their own level and 15...17 interpolate level 14.
    static let points: [HeatPoint] = {
        var p: [HeatPoint] = []
        for (i, c) in [(114.0605, 22.5441), (114.0512, 22.5390), (114.0720, 22.5480)].enumerated() {
            for k in 0..<(5 + 3 * i) {
                p.append(HeatPoint(lon: c.0 + Double(k % 3) * 0.0004, lat: c.1 + Double(k / 3) * 0.0003, weight: 1 + Double(k % 2)))
            }
        }
        return p.sorted(by: HeatPoint.canonicalOrder)
    }()

    static func renderer(_ zooms: ClosedRange<Int>) -> HeatmapRenderer {
        HeatmapRenderer(points: points, bandwidthMetres: 150, ramp: ramp,
                        options: TileOptions(minZoom: zooms.lowerBound, maxZoom: zooms.upperBound))
    }

    static let identity = DatumShift(toWGS84: { $0 }, fromWGS84: { $0 })

    func worst(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

    /// Without a shift, the shifted tile is the WGS-84 tile: pixel averages where the field stores the
    /// tile's level, the same bilinear interpolation above it.
    @Test(arguments: [12, 13, 14, 15, 17])
    func identityShiftGivesTheWGS84Densities(zoom: Int) throws {
        let r = Self.renderer(12...17)
        let id = tile(containing: Coordinate(114.0605, 22.5441), zoom: zoom)
        let plain = r.density(id), shifted = r.density(id, shiftedBy: Self.identity)
        let peak = plain.max() ?? 0
        #expect(peak > 5)
        #expect(worst(plain, shifted) <= 1e-4 * peak, "z\(zoom)")
    }

    /// A shift by a whole number of pixels east (Web Mercator x is linear in longitude) moves the WGS-84
    /// densities by exactly that many pixels: pixel c of the shifted tile is pixel c − k of the plain one.
    @Test(arguments: [(13, 7), (14, 5), (16, 9)])
    func shiftByWholePixelsMovesTheDensities(zoom: Int, pixels k: Int) throws {
        let r = Self.renderer(12...17)
        let d = Double(k) * 360 / (256 * pow(2, Double(zoom)))
        let east = DatumShift(toWGS84: { Coordinate($0.x - d, $0.y) }, fromWGS84: { Coordinate($0.x + d, $0.y) })
        let id = tile(containing: Coordinate(114.0605, 22.5441), zoom: zoom)
        let plain = r.density(id), shifted = r.density(id, shiftedBy: east)
        var moved: [Float] = [], expected: [Float] = []
        for row in 0..<256 {
            for c in k..<256 {
                moved.append(shifted[row * 256 + c]); expected.append(plain[row * 256 + c - k])
            }
        }
        let peak = plain.max() ?? 0
        #expect(peak > 5)
        #expect(worst(moved, expected) <= 1e-4 * peak, "z\(zoom)")
    }

    /// GCJ-02: the density of a shifted pixel is the density at the WGS-84 point under it. Checked
    /// where the field needs no interpolation: at the sampling level (14) a pixel whose WGS-84 point
    /// lies on a pixel centre there reads that pixel's value; elsewhere the value lies between its
    /// four neighbours.
    @Test func gcj02PixelsReadTheDensityUnderThem() throws {
        let r = Self.renderer(14...14)
        let gcj = DatumShift(.gcj02)
        let center = ChinaOffsets.wgs84ToGCJ02(Coordinate(114.0605, 22.5441))
        let id = tile(containing: center, zoom: 14)
        let shifted = r.density(id, shiftedBy: gcj)
        let world = 256 * pow(2, 14.0)
        var checked = 0
        for (row, col) in [(40, 40), (128, 128), (200, 60), (77, 190), (250, 3)] {
            let u = (Double(id.x * 256 + col) + 0.5) / world, v = (Double(id.y * 256 + row) + 0.5) / world
            let wgs = ChinaOffsets.gcj02ToWGS84(Coordinate(u * 360 - 180, WebMercator.latitude(worldY: v)))
            let w = WebMercator.world(lon: wgs.x, lat: wgs.y)
            let (sx, sy) = (w.x * world - 0.5, w.y * world - 0.5)
            let plainTile = tile(containing: wgs, zoom: 14)
            let plain = r.density(plainTile)
            let (ix, iy) = (Int(sx.rounded(.down)) - plainTile.x * 256, Int(sy.rounded(.down)) - plainTile.y * 256)
            guard (0..<255).contains(ix), (0..<255).contains(iy) else { continue }
            let around = [plain[iy * 256 + ix], plain[iy * 256 + ix + 1], plain[(iy + 1) * 256 + ix], plain[(iy + 1) * 256 + ix + 1]]
            let (tx, ty) = (Float(sx - sx.rounded(.down)), Float(sy - sy.rounded(.down)))
            let expected = (around[0] * (1 - tx) + around[1] * tx) * (1 - ty) + (around[2] * (1 - tx) + around[3] * tx) * ty
            #expect(abs(shifted[row * 256 + col] - expected) <= 1e-3 * max(1, expected), "pixel \(col),\(row)")
            checked += 1
        }
        #expect(checked >= 4)
    }

    /// Every shifted tile with a coloured pixel is a candidate of `tiles(shiftedBy:)`: the tiles around
    /// the clusters are all drawn when they show something, and no drawn tile is empty.
    @Test func shiftedCandidatesHoldEveryTileThatShowsSomething() throws {
        let r = Self.renderer(11...16)
        let gcj = DatumShift(.gcj02)
        let candidates = Set(r.tiles(shiftedBy: gcj))
        let box = BoundingBox(minX: 114.040, minY: 22.530, maxX: 114.085, maxY: 22.560)
        var shown = 0
        for z in 11...16 {
            for id in tiles(covering: box, zoom: z) {
                let values = r.density(id, shiftedBy: gcj)
                guard values.contains(where: { Self.ramp.index($0) != 0 }) else { continue }
                shown += 1
                #expect(candidates.contains(id), "\(id) shows heat but is no candidate")
            }
        }
        #expect(shown > 10)
    }
}
