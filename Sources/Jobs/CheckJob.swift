import Foundation
import Geometry
import Input
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
    /// Gaps and overlaps smaller than this are rounding noise, not findings.
    public var minimumAreaM2 = 1.0
    public init(folder: URL, crs: CRS) { self.folder = folder; self.crs = crs }

    public func run() throws -> (boundaries: Boundaries, findings: [BoundaryFinding]) {
        let b = try BoundaryReader(folder: folder, defaultCRS: crs).read()
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
        let geos = GEOSContext()
        let geometries = try siblings.map { try geos.geometry($0.geometry) }
        var out: [BoundaryFinding] = []
        for i in siblings.indices {
            for j in (i + 1)..<siblings.count {
                guard let a = siblings[i].geometry.boundingBox, let b = siblings[j].geometry.boundingBox,
                      a.intersects(b), geometries[i].intersects(geometries[j]) else { continue }
                let shared = try geometries[i].intersection(geometries[j]).polygons()
                let area = geodesicArea(shared)
                if area >= minimumAreaM2 {
                    out.append(BoundaryFinding(kind: .overlap, level: level, zones: [siblings[i].id, siblings[j].id],
                                               areaM2: area, where_: shared.boundingBox?.center,
                                               message: "\(level.rawValue)s '\(siblings[i].id)' and '\(siblings[j].id)' overlap by \(Self.m2(area))"))
                }
            }
        }
        return out
    }

    private func gaps(in parent: Zone, children: [Zone], level: ZoneLevel) throws -> [BoundaryFinding] {
        guard !children.isEmpty else { return [] }
        let geos = GEOSContext()
        let union = try geos.unaryUnion(children.map { try geos.geometry($0.geometry) })
        let rest = try geos.geometry(parent.geometry).difference(union).polygons()
        return rest.polygons.compactMap { piece in
            let area = geodesicArea(MultiPolygon([piece]))
            guard area >= minimumAreaM2 else { return nil }
            return BoundaryFinding(kind: .gap, level: level, zones: [parent.id], areaM2: area,
                                   where_: piece.boundingBox?.center,
                                   message: "gap of \(Self.m2(area)) inside \(parent.level.rawValue) '\(parent.id)' not covered by any \(level.rawValue)")
        }
    }

    /// Streets have no parent: a gap is a hole in their union.
    private func holes(ofUnion zones: [Zone]) throws -> [BoundaryFinding] {
        guard !zones.isEmpty else { return [] }
        let geos = GEOSContext()
        let union = try geos.unaryUnion(zones.map { try geos.geometry($0.geometry) }).polygons()
        return union.polygons.flatMap(\.holes).compactMap { hole in
            let area = geodesicArea(MultiPolygon([Polygon(exterior: hole)]))
            guard area >= minimumAreaM2 else { return nil }
            return BoundaryFinding(kind: .gap, level: .street, zones: [], areaM2: area, where_: BoundingBox(of: hole)?.center,
                                   message: "gap of \(Self.m2(area)) between streets")
        }
    }

    static func m2(_ a: Double) -> String { String(format: "%.1f m²", a) }
}
