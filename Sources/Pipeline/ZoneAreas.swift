import Input
import Model
import Projection

/// Every zone's geodesic area in km², per level, computed once per run (the grid's cells: their area
/// in the grid's equal-area plane).
struct ZoneAreas {
    private var byLevel: [ZoneLevel: [String: Double]] = [:]
    init(_ boundaries: Boundaries) {
        for level in ZoneLevel.allCases {
            byLevel[level] = Dictionary(boundaries.zones(level).map { ($0.id, geodesicArea($0.geometry) / 1e6) },
                                        uniquingKeysWith: { a, _ in a })
        }
        if let grid = boundaries.grid { byLevel[.grid] = grid.areasKm2 }
    }
    func km2(_ level: ZoneLevel, _ id: String) -> Double { byLevel[level]?[id] ?? 0 }
    func of(_ level: ZoneLevel) -> [String: Double] { byLevel[level] ?? [:] }
}
