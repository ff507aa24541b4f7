import Foundation
import Geometry
import Testing
@testable import Rendering

/// The tile count a run is refused on (`--max-tiles`) bounds the tiles the renderer really considers,
/// and vertices far off the world no longer trap in a Double → Int conversion.
@Suite struct TileBudgetTests {
    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> MultiPolygon {
        MultiPolygon([Polygon(exterior: [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1),
                                         Coordinate(x0, y1), Coordinate(x0, y0)])])
    }
    static let colour = RGBA8(r: 200, g: 0, b: 0, a: 128)

    /// Neighbouring, nested and distant zones: the bound is never below the renderer's candidate count,
    /// and equals it for one zone.
    @Test func boundsTheRenderersCandidates() {
        let layers: [[MultiPolygon]] = [
            [Self.box(114.0, 22.5, 114.05, 22.55)],
            [Self.box(114.0, 22.5, 114.05, 22.55), Self.box(114.05, 22.5, 114.1, 22.55), Self.box(114.02, 22.52, 114.03, 22.53)],
            [Self.box(114.0, 22.5, 114.01, 22.51), Self.box(116.0, 24.5, 116.01, 24.51)],
        ]
        for (n, geometries) in layers.enumerated() {
            for options in [TileOptions(minZoom: 10, maxZoom: 15), TileOptions(minZoom: 0, maxZoom: 12, tileSize: 512)] {
                let features = geometries.map { ChoroplethFeature(geometry: $0, fill: Self.colour, stroke: Self.colour) }
                let candidates = Double(ChoroplethRenderer(features: features, options: options).tiles().count)
                let budget = TileBudget(boxes: geometries.map(\.boundingBox), options: options)
                #expect(budget.tiles >= candidates, "layer \(n)")
                if geometries.count == 1 { #expect(budget.tiles == candidates) }
                #expect(budget.tiles <= 2 * candidates, "layer \(n): a useful bound, not a wild one")
            }
        }
    }

    @Test func worldSizedZoneIsCountedNotEnumerated() {
        let world = Self.box(-179, -84, 179, 84)
        let budget = TileBudget(boxes: [Self.box(114.0, 22.5, 114.05, 22.55).boundingBox, world.boundingBox],
                                options: TileOptions(minZoom: 10, maxZoom: 24))
        #expect(budget.tiles > 1e14 && budget.tiles.isFinite)
        #expect(budget.largest?.index == 1)
    }

    /// A vertex at 1e308 (read before boundaries were range-checked) trapped in the candidate-tile index.
    @Test func farVerticesDoNotTrap() {
        let far = MultiPolygon([Polygon(exterior: [Coordinate(114.0, 22.5), Coordinate(1e308, 22.55), Coordinate(114.05, 22.55),
                                                   Coordinate(114.0, 22.5)])])
        let renderer = ChoroplethRenderer(features: [ChoroplethFeature(geometry: far, fill: Self.colour, stroke: Self.colour)],
                                          options: TileOptions(minZoom: 0, maxZoom: 3))
        #expect(!renderer.tiles().isEmpty)
        #expect(tile(containing: Coordinate(.nan, .nan), zoom: 5) == TileID(z: 5, x: 0, y: 0))
    }
}
