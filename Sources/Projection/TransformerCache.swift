import Foundation
import Synchronization
import Geometry

/// PROJ transformers to WGS84, made once per process and coordinate system: making one reads PROJ's
/// database, and the command line checks a CRS (`--cases-crs EPSG:4547`, `?crs=`) by making the very
/// transformer that locating then uses. PROJ objects are not thread-safe: each transformer is used by
/// one thread at a time, under its own lock.
public final class TransformerCache: Sendable {
    public static let shared = TransformerCache()
    private let entries = Mutex<[CRS: Entry]>([:])
    /// One coordinate system's transformer (or why PROJ has none). A PROJ transformer is not
    /// Sendable; the entry lends it to one thread at a time, under its lock, which the compiler
    /// cannot see: hence unchecked.
    private final class Entry: @unchecked Sendable {
        private let lock = NSLock()
        private let transformer: Result<CoordinateTransformer, CRSError>
        init(_ t: Result<CoordinateTransformer, CRSError>) { transformer = t }
        func with<T>(_ body: (CoordinateTransformer) throws -> T) throws -> T {
            try lock.withLock { try body(try transformer.get()) }
        }
    }

    /// Runs `body` with the transformer from `crs` to WGS84; PROJ's error when there is none.
    public func withTransformer<T>(from crs: CRS, _ body: (CoordinateTransformer) throws -> T) throws -> T {
        let entry = entries.withLock { entries in
            if let e = entries[crs] { return e }
            let e = Entry(Result { () throws(CRSError) in try CoordinateTransformer(from: crs) })
            entries[crs] = e
            return e
        }
        return try entry.with(body)
    }
}

extension CRS {
    /// Parses a coordinate system name and checks that PROJ can convert from it (an EPSG code PROJ
    /// does not know is an error here, not on the first row that uses it).
    public init(checking text: String) throws(CRSError) {
        let crs = try CRS(parsing: text)
        if case .epsg = crs {
            do { try TransformerCache.shared.withTransformer(from: crs) { _ in } } catch let e as CRSError { throw e } catch {
                throw CRSError.projFailed(crs: text, message: "\(error)")
            }
        }
        self = crs
    }
}
