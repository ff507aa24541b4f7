import Foundation
import Geometry
import Model

/// One density peak of the cases.
public struct Hotspot: Sendable {
    public var rank: Int
    /// The mean point of the cases of the peak.
    public var center: Coordinate
    /// Cases within the peak's 3 × 3 cells.
    public var cases: Int
    /// Half the side of the 3 × 3 cells, metres.
    public var radiusMetres: Double
    /// Per level: zone id → cases of the peak in it.
    public var zones: [ZoneLevel: [String: Int]]

    /// The zone of `level` holding most of the peak's cases (ties: the smaller id).
    public func mainZone(_ level: ZoneLevel) -> String? {
        zones[level]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}

/// The density peaks: cases are counted in square cells of `cellMetres`, each cell's density is the
/// count of its 3 × 3 neighbourhood (a box kernel, so a peak on a cell border is not split), and a
/// peak is a cell whose density no neighbour exceeds (ties: the first in row order). Peaks are
/// ranked by density; plain counting in metres keeps every number checkable by hand.
/// The finder's result does not depend on the order of the cases.
public struct HotspotFinder {
    public var cellMetres: Double
    public init(cellMetres: Double) { self.cellMetres = cellMetres }

    public func find(_ cases: [HotspotCase], top: Int) -> [Hotspot] {
        guard !cases.isEmpty, top > 0 else { return [] }
        // Local metres at the cases' southern edge: an equirectangular frame is exact enough over a
        // city, and the minimum (unlike the first case or a mean) does not depend on the cases' order.
        let south = cases.reduce(Double.infinity) { min($0, $1.point.y) }
        let metresPerLon = 111_320 * cos(south * .pi / 180), metresPerLat = 110_574.0
        var cells: [Cell: [Int]] = [:]
        for (i, c) in cases.enumerated() {
            cells[Cell(x: Int((c.point.x * metresPerLon / cellMetres).rounded(.down)),
                       y: Int((c.point.y * metresPerLat / cellMetres).rounded(.down))), default: []].append(i)
        }
        let density = Dictionary(uniqueKeysWithValues: cells.keys.map { cell in
            (cell, cell.neighbourhood.reduce(0) { $0 + (cells[$1]?.count ?? 0) })
        })
        let peaks = density.filter { cell, d in
            cell.neighbourhood.allSatisfy { n in n == cell || (density[n] ?? 0) < d || ((density[n] ?? 0) == d && cell < n) }
        }
        let ranked = peaks.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(top)
        return ranked.enumerated().map { rank, peak in
            hotspot(rank: rank + 1, members: peak.key.neighbourhood.flatMap { cells[$0] ?? [] }.map { cases[$0] })
        }
    }

    /// The hotspot of `members`; their points are summed in sorted order, so that the centre does not
    /// depend on the order the cases came in (file or database).
    func hotspot(rank: Int, members unsorted: [HotspotCase]) -> Hotspot {
        let members = unsorted.sorted { ($0.point.x, $0.point.y) < ($1.point.x, $1.point.y) }
        let n = Double(members.count)
        let center = Coordinate(members.reduce(0) { $0 + $1.point.x } / n, members.reduce(0) { $0 + $1.point.y } / n)
        var zones: [ZoneLevel: [String: Int]] = [:]
        for m in members {
            for level in ZoneLevel.allCases { if let id = m.zones[level] { zones[level, default: [:]][id, default: 0] += 1 } }
        }
        return Hotspot(rank: rank, center: center, cases: members.count, radiusMetres: cellMetres * 1.5, zones: zones)
    }
}

private struct Cell: Hashable, Comparable {
    var x: Int
    var y: Int
    var neighbourhood: [Cell] {
        (-1...1).flatMap { dy in (-1...1).map { dx in Cell(x: x + dx, y: y + dy) } }
    }
    static func < (a: Cell, b: Cell) -> Bool { (a.y, a.x) < (b.y, b.x) }
}
