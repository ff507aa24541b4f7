import Foundation
import Geometry
import Input
import Projection

/// Places case records into zones: coordinates first (converted to WGS84, then point-in-polygon),
/// and accounts for every record: located, or rejected with its reason.
public struct CaseLocator {
    public let boundaries: Boundaries
    public let defaultCRS: CRS
    private let parentOf: [ZoneLevel: [String: String]]
    /// Levels finest first, each with its non-empty zones and their first index in `zoneTable`.
    private var searchOrder: [(level: ZoneLevel, zones: [Zone], offset: Int)] = []
    /// The ids at every level of each zone of `searchOrder`, resolved once.
    public private(set) var zoneTable: [ZoneIDs] = []

    public init(boundaries: Boundaries, defaultCRS: CRS) {
        self.boundaries = boundaries
        self.defaultCRS = defaultCRS
        var parents: [ZoneLevel: [String: String]] = [:]
        for level in ZoneLevel.allCases {
            parents[level] = Dictionary(boundaries.zones(level).compactMap { z in z.parent.map { (z.id, $0) } },
                                        uniquingKeysWith: { a, _ in a })
        }
        parentOf = parents
        for level in ZoneLevel.allCases.reversed() {
            let zones = boundaries.zones(level).filter { !$0.geometry.isEmpty }
            guard !zones.isEmpty else { continue }
            searchOrder.append((level, zones, zoneTable.count))
            zoneTable += zones.map { ids(from: $0.id, at: level) }
        }
    }

    public func locate(_ records: [CaseRecord]) throws -> (located: [LocatedCase], rejected: [RejectedRow]) {
        var rejected: [RejectedRow] = []
        var withPoints: [(record: CaseRecord, point: Coordinate)] = []
        let converted = try toWGS84(records)
        for (record, result) in zip(records, converted) {
            switch result {
            case .success(let p): withPoints.append((record, p))
            case .failure(let r): rejected.append(r)
            }
        }
        let zones = try zoneIDs(of: withPoints.map(\.point))
        var located: [LocatedCase] = []
        located.reserveCapacity(withPoints.count)
        for (item, ids) in zip(withPoints, zones) {
            guard let ids else {
                rejected.append(reject(item.record, .outside, String(format: "point %.6f, %.6f is outside every zone",
                                                                     item.point.x, item.point.y)))
                continue
            }
            located.append(LocatedCase(record: item.record, point: item.point, street: ids.street,
                                       community: ids.community, post: ids.post, method: .coordinates, confidence: 1))
        }
        return (located, rejected)
    }

    public struct ZoneIDs: Sendable { public var street: String?; public var community: String?; public var post: String? }

    /// The zone ids of each point: the finest level that holds it, and its ancestors by their
    /// `parent` ids, so that the levels always nest and a border point lands in exactly one zone.
    public func zoneIDs(of points: [Coordinate]) throws -> [ZoneIDs?] {
        try zoneRefs(of: points).map { $0 < 0 ? nil : zoneTable[Int($0)] }
    }

    /// Like `zoneIDs`, as indexes into `zoneTable` (-1: in no zone): no strings are touched per
    /// point, which matters for a million points.
    public func zoneRefs(of points: [Coordinate]) throws -> [Int32] {
        var result = [Int32](repeating: -1, count: points.count)
        var pending = Array(points.indices)
        for (_, zones, offset) in searchOrder {
            guard !pending.isEmpty else { break }
            let all = pending.count == points.count
            let hits = try PointLocator.locateAll(all ? points : pending.map { points[$0] }, in: zones.map(\.geometry))
            var still: [Int] = []
            for (i, hit) in zip(pending, hits) {
                if let hit { result[i] = Int32(offset + hit) } else { still.append(i) }
            }
            pending = still
        }
        return result
    }

    func ids(from id: String, at level: ZoneLevel) -> ZoneIDs {
        var ids = ZoneIDs()
        var current: String? = id
        var l: ZoneLevel? = level
        while let lvl = l, let cur = current {
            switch lvl {
            case .post: ids.post = cur
            case .community: ids.community = cur
            case .street: ids.street = cur
            }
            current = parentOf[lvl]?[cur]
            l = lvl.parentLevel
        }
        return ids
    }

    /// Each record's WGS84 point, or why it has none. One transformer per coordinate system.
    func toWGS84(_ records: [CaseRecord]) throws -> [Result<Coordinate, RejectedRow>] {
        var transformers: [CRS: CoordinateTransformer] = [:]
        var failedCRS: [CRS: String] = [:]
        return records.map { record in
            if let problem = record.coordinateProblem {
                return .failure(reject(record, problem, record.coordinateProblemDetail))
            }
            guard let raw = record.rawCoordinate else {
                return .failure(reject(record, .noCoordinates, "no coordinates, and address geocoding is not available"))
            }
            let crs = record.crs ?? defaultCRS
            if crs == .wgs84 { return .success(raw) }
            if let message = failedCRS[crs] { return .failure(reject(record, .unknownCRS, message)) }
            if transformers[crs] == nil {
                do { transformers[crs] = try CoordinateTransformer(from: crs) } catch {
                    failedCRS[crs] = "\(error)"
                    return .failure(reject(record, .unknownCRS, "\(error)"))
                }
            }
            guard let p = transformers[crs]!.transform(raw), p.isFinite,
                  abs(p.x) <= 180, abs(p.y) <= 90 else {
                return .failure(reject(record, .outOfRange, "\(raw.x), \(raw.y) cannot be converted from \(crs)"))
            }
            return .success(p)
        }
    }

    func reject(_ r: CaseRecord, _ reason: RejectReason, _ detail: String) -> RejectedRow {
        RejectedRow(file: r.file, line: r.line, id: r.id, reason: reason, detail: detail, fields: r.fields)
    }
}

extension RejectedRow: Error {}

extension CaseLocator {
    /// The WGS84 points of the records that have usable coordinates (for benchmarks).
    public func wgs84Points(_ records: [CaseRecord]) throws -> [Coordinate] {
        try toWGS84(records).compactMap { try? $0.get() }
    }
}
