import Support
import Foundation
import Synchronization

/// A set of polygons indexed once for point location, then asked many times: every batch of a run
/// (cases, gazetteer points, stored cases being relocated) and every request of `riskmap serve`.
///
/// GEOS 3.11 prepared geometries must not be shared between threads (libgeos/geos#825), so the index
/// keeps a small pool of `PointLocator`s, each used by one thread at a time and given back after:
/// the polygons are converted and prepared once per worker for the life of the index, not once per
/// batch. The cell grid (`CellGrid`) is plain data, built on the first large batch and shared.
public final class PolygonIndex: Sendable {
    public let polygons: [MultiPolygon]
    /// Locators no thread is using.
    private let idle = LocatorPool()
    /// nil: not built yet; .some(nil): no grid for these polygons.
    private let grid = Mutex<CellGrid??>(nil)

    public init(_ polygons: [MultiPolygon]) { self.polygons = polygons }

    /// Batches from this size on go through the grid; smaller ones (a `locate --at`, a request) are
    /// not worth building it, and are answered exactly as before the grid existed.
    public static let gridThreshold = 10_000

    /// The index of the polygon holding each point (see `PointLocator` for the rule on borders), or
    /// nil; on all cores.
    public func locateAll(_ points: [Coordinate], workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [Int?] {
        try positions(of: points, workers: workers).map { $0 < 0 ? nil : Int($0) }
    }

    /// Like `locateAll`, as 4-byte positions (-1: in no polygon): an optional Int takes 16 bytes a point,
    /// 150 MB for the ten million cases of a province.
    public func positions(of points: [Coordinate], workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [Int32] {
        let grid = points.count >= Self.gridThreshold ? try cellGrid() : nil
        return try parallelFill(points.count, parts: max(1, min(workers, points.count / 2_000 + 1)), initial: Int32(-1)) { range, out in
            try withLocator { locator in
                for i in range { out[i] = locator.locate(points[i], grid: grid).map(Int32.init) ?? -1 }
            }
        }
    }

    /// The polygon holding one point, or nil.
    public func locate(_ point: Coordinate) throws -> Int? {
        try withLocator { $0.locate(point) }
    }

    /// Runs `body` with a locator no other thread uses meanwhile.
    private func withLocator<T>(_ body: (PointLocator) throws -> T) throws -> T {
        let locator = try idle.take() ?? PointLocator(polygons)
        defer { idle.give(locator) }
        return try body(locator)
    }

    private func cellGrid() throws -> CellGrid? {
        if let built = grid.withLock({ $0 }) { return built }
        let made = try withLocator { $0.makeGrid(polygons) }
        grid.withLock { $0 = .some(made) }
        return made
    }
}

/// The idle locators of one index. A locator is not thread-safe and so not Sendable; the pool hands
/// each to one thread at a time (taken under the lock, given back after use), which the compiler
/// cannot see: hence unchecked.
private final class LocatorPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [PointLocator] = []
    func take() -> PointLocator? { lock.withLock { idle.popLast() } }
    func give(_ locator: PointLocator) { lock.withLock { idle.append(locator) } }
}
