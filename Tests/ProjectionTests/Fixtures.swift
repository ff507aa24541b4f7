import Foundation
import Geometry

/// Tests/Fixtures/projection.json, written by scripts/oracles/projection_fixtures.py (prcoords, pyproj).
struct ProjectionFixture: Decodable {
    struct Point: Decodable {
        let wgs: [Double]
        let inChina: Bool
        let wgsToGcj: [Double], gcjToWgs: [Double]
        let gcjToBd: [Double], bdToGcj: [Double], wgsToBd: [Double]
        let epsg3857: [Double], epsg4547: [Double], epsg4547Back: [Double], epsg4490: [Double]
    }
    struct Area: Decodable {
        struct Part: Decodable { let exterior: [[Double]]; let holes: [[[Double]]] }
        let name: String
        let areaM2: Double
        let polygons: [Part]
        var multiPolygon: MultiPolygon {
            MultiPolygon(polygons.map { Polygon(exterior: ring($0.exterior), holes: $0.holes.map(ring)) })
        }
    }
    let points: [Point]
    let areas: [Area]

    static let shared: ProjectionFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/projection.json").standardized
        // A missing or unreadable fixture is a broken checkout: fail loudly rather than test nothing.
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(ProjectionFixture.self, from: data)
    }()
}

func coord(_ a: [Double]) -> Coordinate { Coordinate(a[0], a[1]) }
func ring(_ a: [[Double]]) -> Ring { a.map(coord) }

/// Largest absolute difference of either axis.
func maxDiff(_ a: Coordinate, _ b: Coordinate) -> Double { max(abs(a.x - b.x), abs(a.y - b.y)) }
