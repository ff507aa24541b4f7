import CPROJ
import Foundation
import Geometry

/// Converts coordinates between two coordinate systems, by default from `source` to WGS84 lon/lat.
///
/// Axis order is always lon/lat (or easting/northing) on both sides, whatever the EPSG definition
/// says: EPSG:4326, 4490 and 4547 are latitude/northing-first, and a swapped axis would silently put
/// every case in the sea. GCJ-02 and BD-09, which PROJ does not model, go through WGS84 with
/// `ChinaOffsets`; WGS84 (and GCJ-02/BD-09) to WGS84 needs no PROJ object at all.
///
/// Each instance owns its own PROJ context, and a PROJ context may be used by one thread at a time:
/// an instance is for one thread (it is deliberately not `Sendable`). Make one per worker; creating
/// one opens proj.db, about 1 ms.
public final class CoordinateTransformer {
    public let source: CRS
    public let target: CRS
    /// Applied before PROJ: GCJ-02/BD-09 → WGS84.
    private let before: ((Coordinate) -> Coordinate)?
    /// Applied after PROJ: WGS84 → GCJ-02/BD-09.
    private let after: ((Coordinate) -> Coordinate)?
    private let proj: ProjOperation?

    /// A transformer from `source` to WGS84 lon/lat.
    public convenience init(from source: CRS) throws(CRSError) {
        try self.init(from: source, to: .wgs84)
    }

    /// Throws `CRSError.projFailed` when PROJ does not know an EPSG code or cannot relate the two.
    public init(from source: CRS, to target: CRS) throws(CRSError) {
        self.source = source
        self.target = target
        before = Self.offsetToWGS84(source)
        after = Self.offsetFromWGS84(target)
        let (from, to) = (Self.projName(source), Self.projName(target))
        proj = from == to && from == Self.projName(.wgs84) ? nil : try ProjOperation(from: from, to: to)
    }

    /// The transformed coordinate, or nil when PROJ cannot transform it (e.g. outside the
    /// projection's domain) or the input is not finite.
    public func transform(_ c: Coordinate) -> Coordinate? {
        guard c.isFinite else { return nil }
        var p = before?(c) ?? c
        if let proj {
            guard let q = proj.transform(p) else { return nil }
            p = q
        }
        p = after?(p) ?? p
        return p.isFinite ? p : nil
    }

    /// Transforms `coordinates` in place, in one PROJ call (`proj_trans_generic`). Returns one flag
    /// per coordinate: false where the transformation failed; such a coordinate is left non-finite.
    @discardableResult
    public func transform(_ coordinates: inout [Coordinate]) -> [Bool] {
        if let before { applyInPlace(before, &coordinates) }
        proj?.transformInPlace(&coordinates)
        if let after { applyInPlace(after, &coordinates) }
        return coordinates.map(\.isFinite)
    }

    private func applyInPlace(_ f: (Coordinate) -> Coordinate, _ cs: inout [Coordinate]) {
        for i in cs.indices where cs[i].isFinite { cs[i] = f(cs[i]) }
    }

    /// The name PROJ gets for a CRS; GCJ-02/BD-09 are handled as WGS84 after their offset.
    static func projName(_ crs: CRS) -> String {
        switch crs {
        case .wgs84, .gcj02, .bd09: "EPSG:4326"
        case .cgcs2000: "EPSG:4490"
        case .epsg(let code): "EPSG:\(code)"
        }
    }

    static func offsetToWGS84(_ crs: CRS) -> ((Coordinate) -> Coordinate)? {
        switch crs {
        case .gcj02: ChinaOffsets.gcj02ToWGS84
        case .bd09: ChinaOffsets.bd09ToWGS84
        default: nil
        }
    }

    static func offsetFromWGS84(_ crs: CRS) -> ((Coordinate) -> Coordinate)? {
        switch crs {
        case .gcj02: ChinaOffsets.wgs84ToGCJ02
        case .bd09: ChinaOffsets.wgs84ToBD09
        default: nil
        }
    }
}

/// One PROJ context and one normalized crs-to-crs operation; freed together.
final class ProjOperation {
    private let ctx: OpaquePointer
    private let pj: OpaquePointer

    init(from: String, to: String) throws(CRSError) {
        guard let ctx = proj_context_create() else {
            throw CRSError.projFailed(crs: from, message: "cannot create a PROJ context")
        }
        // PROJ logs to stderr by default; errors are reported through CRSError instead.
        proj_log_level(ctx, PJ_LOG_NONE)
        do {
            // Check each side alone first, so the error names the CRS PROJ does not know.
            try Self.checkCRS(from, ctx)
            try Self.checkCRS(to, ctx)
            self.pj = try Self.makeOperation(from, to, ctx)
            self.ctx = ctx
        } catch {
            proj_context_destroy(ctx)
            throw error
        }
    }

    deinit {
        proj_destroy(pj)
        proj_context_destroy(ctx)
    }

    func transform(_ c: Coordinate) -> Coordinate? {
        let out = proj_trans(pj, PJ_FWD, proj_coord(c.x, c.y, 0, 0))
        let p = Coordinate(out.xy.x, out.xy.y)
        return p.isFinite ? p : nil
    }

    /// `proj_trans_generic` works on strided arrays (strides in bytes), so `[Coordinate]` is
    /// transformed where it lies. Failed points come back as infinity (its count is of points
    /// processed, not succeeded).
    func transformInPlace(_ cs: inout [Coordinate]) {
        guard !cs.isEmpty else { return }
        let stride = MemoryLayout<Coordinate>.stride
        let xOffset = MemoryLayout<Coordinate>.offset(of: \.x)!
        let yOffset = MemoryLayout<Coordinate>.offset(of: \.y)!
        let n = cs.count
        cs.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let x = (base + xOffset).assumingMemoryBound(to: Double.self)
            let y = (base + yOffset).assumingMemoryBound(to: Double.self)
            _ = proj_trans_generic(pj, PJ_FWD, x, stride, n, y, stride, n,
                                   nil, 0, 0, nil, 0, 0)
        }
    }

    private static func checkCRS(_ name: String, _ ctx: OpaquePointer) throws(CRSError) {
        guard let crs = proj_create(ctx, name) else {
            throw CRSError.projFailed(crs: name, message: "PROJ does not know it (\(lastError(ctx)))")
        }
        defer { proj_destroy(crs) }
        guard proj_is_crs(crs) != 0 else {
            throw CRSError.projFailed(crs: name, message: "not a coordinate reference system")
        }
    }

    private static func makeOperation(_ from: String, _ to: String,
                                      _ ctx: OpaquePointer) throws(CRSError) -> OpaquePointer {
        guard let raw = proj_create_crs_to_crs(ctx, from, to, nil) else {
            throw CRSError.projFailed(crs: from, message: "no transformation to \(to): \(lastError(ctx))")
        }
        // Force lon/lat and easting/northing order whatever the EPSG axis order is.
        let normalized = proj_normalize_for_visualization(ctx, raw)
        proj_destroy(raw)
        guard let normalized else {
            throw CRSError.projFailed(crs: from, message: "cannot normalize axis order: \(lastError(ctx))")
        }
        return normalized
    }

    private static func lastError(_ ctx: OpaquePointer) -> String {
        let code = proj_context_errno(ctx)
        guard code != 0, let text = proj_context_errno_string(ctx, code) else { return "unknown error" }
        return String(cString: text)
    }
}
