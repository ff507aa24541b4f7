import Support
import Foundation
import Geometry
import Input
import Model

/// The zones of a boundaries folder indexed for point location, built once per run (or once per
/// folder version in `riskmap serve`) and shared by everything that places points: the cases with
/// coordinates, the gazetteer's points (the geocoder), stored cases relocated after a boundary change,
/// `riskmap locate --at` and `/api/locate?q=LON,LAT`.
///
/// A point is placed at the finest level that holds it, and its ancestors come from the zones'
/// `parent` ids, so that the levels always nest and a border point lands in exactly one zone.
public final class ZoneIndex: Sendable {
    public let boundaries: Boundaries
    /// Levels finest first, each with its non-empty zones, their polygon index and the position of
    /// their first zone in `refs`.
    private let levels: [Level]
    /// The zone ids at every level of each zone of `levels`, resolved once.
    public let refs: [ZoneRef]
    private let byID: [ZoneLevel: [String: Zone]]

    private struct Level: Sendable {
        var level: ZoneLevel
        var zones: [Zone]
        var index: PolygonIndex
        var offset: Int
    }

    public init(boundaries: Boundaries) {
        self.boundaries = boundaries
        var parentOf: [ZoneLevel: [String: String]] = [:]
        var byID: [ZoneLevel: [String: Zone]] = [:]
        for level in ZoneLevel.allCases {
            let zones = boundaries.zones(level)
            parentOf[level] = Dictionary(zones.compactMap { z in z.parent.map { (z.id, $0) } }, uniquingKeysWith: { a, _ in a })
            byID[level] = Dictionary(zones.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var levels: [Level] = [], refs: [ZoneRef] = []
        for level in ZoneLevel.allCases.reversed() {
            let zones = boundaries.zones(level).filter { !$0.geometry.isEmpty }
            guard !zones.isEmpty else { continue }
            levels.append(Level(level: level, zones: zones, index: PolygonIndex(zones.map(\.geometry)), offset: refs.count))
            refs += zones.map { Self.ancestors(of: $0.id, at: level, parentOf: parentOf) }
        }
        self.levels = levels
        self.refs = refs
        self.byID = byID
    }

    /// The zone of `level` with `id`, if any.
    public func zone(_ level: ZoneLevel, id: String) -> Zone? { byID[level]?[id] }

    /// The zone ids of each point; nil for a point in no zone.
    public func zones(of points: [Coordinate], progress: ProgressSink = .silent) throws -> [ZoneRef?] {
        try positions(of: points, progress: progress).map { $0 < 0 ? nil : refs[Int($0)] }
    }

    /// Like `zones(of:)`, as positions in `refs` (-1: in no zone): no strings are touched per point,
    /// which matters for a million points.
    public func positions(of points: [Coordinate], progress: ProgressSink = .silent) throws -> [Int32] {
        var result = [Int32](repeating: -1, count: points.count)
        // 4-byte positions throughout: ten million points at a province.
        var pending: [Int32]? = nil   // nil: every point
        // One step per level: each is a single parallel point-in-polygon pass over the points left.
        let bar = progress.bar("locating")
        defer { bar.finish() }
        for (step, level) in levels.enumerated() {
            guard pending?.isEmpty != true else { break }
            bar.update(step, of: levels.count)
            let hits = try level.index.positions(of: pending.map { $0.map { points[Int($0)] } } ?? points)
            var still: [Int32] = []
            for (k, hit) in hits.enumerated() {
                let i = pending.map { Int($0[k]) } ?? k
                if hit >= 0 { result[i] = Int32(level.offset) + hit } else { still.append(Int32(i)) }
            }
            pending = still
        }
        return result
    }

    /// The ids of the zone `id` of `level` and of its ancestors.
    private static func ancestors(of id: String, at level: ZoneLevel, parentOf: [ZoneLevel: [String: String]]) -> ZoneRef {
        var ref = ZoneRef()
        var current: String? = id
        var l: ZoneLevel? = level
        while let lvl = l, let cur = current {
            ref[lvl] = cur
            current = parentOf[lvl]?[cur]
            l = lvl.parentLevel
        }
        return ref
    }
}
