import Foundation
import Support
import Geometry
import Input
import Model
import Projection

/// One finding of `riskmap check`.
public struct BoundaryFinding: Sendable {
    public enum Kind: String, Sendable { case gap, overlap, warning }
    public var kind: Kind
    public var level: ZoneLevel?
    /// The zones concerned (two for an overlap, the parent for a gap inside it).
    public var zones: [String]
    public var areaM2: Double
    public var where_: Coordinate?
    public var message: String
}

/// Validates a boundaries folder: what stops `run` is thrown by the reader (exit 1); gaps and overlaps
/// between siblings, repairs and poor nesting are findings.
public struct CheckJob {
    public var folder: URL
    public var crs: CRS
    /// Gaps and overlaps smaller than this, or thinner than `minimumWidthM` (slivers that overlay
    /// arithmetic and coordinate rounding leave along shared borders), are noise, not findings.
    public var minimumAreaM2 = 1.0
    public var minimumWidthM = 0.05
    /// The bounds `riskmap run` applies (see `BoundaryLimits`): a folder that passes `check` passes `run`.
    public var limits = BoundaryLimits()
    public init(folder: URL, crs: CRS) { self.folder = folder; self.crs = crs }

    public func run() throws -> (boundaries: Boundaries, findings: [BoundaryFinding]) {
        let b = try BoundaryReader(folder: folder, defaultCRS: crs, limits: limits).read()
        var findings = b.warnings.map { BoundaryFinding(kind: .warning, level: nil, zones: [], areaM2: 0, where_: nil, message: $0) }
        for level in ZoneLevel.allCases {
            let zones = b.zones(level).filter { !$0.geometry.isEmpty }
            let groups = Dictionary(grouping: zones, by: { $0.parent ?? "" })
            for key in groups.keys.sorted() {
                findings += try overlaps(groups[key]!, level: level)
            }
            if let parentLevel = level.parentLevel {
                for parent in b.zones(parentLevel) {
                    findings += try gaps(in: parent, children: groups[parent.id] ?? [], level: level)
                }
            } else {
                findings += try holes(ofUnion: zones)
            }
        }
        return (b, findings)
    }

    private func overlaps(_ siblings: [Zone], level: ZoneLevel) throws -> [BoundaryFinding] {
        var out: [BoundaryFinding] = []
        for (i, j, shared) in try MultiPolygon.pairwiseIntersections(siblings.map(\.geometry)) {
            let area = geodesicArea(shared)
            guard isFinding(shared, area: area) else { continue }
            out.append(BoundaryFinding(kind: .overlap, level: level, zones: [siblings[i].id, siblings[j].id],
                                       areaM2: area, where_: shared.boundingBox?.center,
                                       message: "\(level.rawValue)s '\(siblings[i].id)' and '\(siblings[j].id)' overlap by \(Self.m2(area))"))
        }
        return out
    }

    private func gaps(in parent: Zone, children: [Zone], level: ZoneLevel) throws -> [BoundaryFinding] {
        guard !children.isEmpty else { return [] }
        let rest = try parent.geometry.difference(unionOf: children.map(\.geometry))
        return rest.polygons.compactMap { piece in
            let area = geodesicArea(MultiPolygon([piece]))
            guard isFinding(MultiPolygon([piece]), area: area) else { return nil }
            return BoundaryFinding(kind: .gap, level: level, zones: [parent.id], areaM2: area,
                                   where_: piece.boundingBox?.center,
                                   message: "gap of \(Self.m2(area)) inside \(parent.level.rawValue) '\(parent.id)' not covered by any \(level.rawValue)")
        }
    }

    /// Streets have no parent: a gap is a hole in their union.
    private func holes(ofUnion zones: [Zone]) throws -> [BoundaryFinding] {
        guard !zones.isEmpty else { return [] }
        let union = try MultiPolygon.union(zones.map(\.geometry))
        return union.polygons.flatMap(\.holes).compactMap { hole in
            let area = geodesicArea(MultiPolygon([Polygon(exterior: hole)]))
            guard isFinding(MultiPolygon([Polygon(exterior: hole)]), area: area) else { return nil }
            return BoundaryFinding(kind: .gap, level: .street, zones: [], areaM2: area, where_: BoundingBox(of: hole)?.center,
                                   message: "gap of \(Self.m2(area)) between streets")
        }
    }

    /// Large enough, and not a sliver: mean width ≈ 2 · area / perimeter.
    func isFinding(_ shape: MultiPolygon, area: Double) -> Bool {
        guard area >= minimumAreaM2 else { return false }
        let perimeter = shape.polygons.flatMap(\.rings).map(ringLengthMetres).reduce(0, +)
        return perimeter == 0 || 2 * area / perimeter >= minimumWidthM
    }

    /// Ring length on a local equirectangular approximation (ample for telling a sliver from a gap).
    func ringLengthMetres(_ ring: Ring) -> Double {
        guard ring.count > 1 else { return 0 }
        let metresPerDegree = 111_320.0
        return zip(ring, ring.dropFirst()).reduce(0) { sum, pair in
            let (a, b) = pair
            let dx = (b.x - a.x) * metresPerDegree * cos((a.y + b.y) / 2 * .pi / 180)
            let dy = (b.y - a.y) * metresPerDegree
            return sum + (dx * dx + dy * dy).squareRoot()
        }
    }

    static func m2(_ a: Double) -> String { String(format: "%.1f m²", a) }
}
