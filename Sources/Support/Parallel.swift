import Dispatch
import Foundation
import Synchronization

// The one concurrency helper of riskmap: parallel loops over indices, with their results in order and
// their first error rethrown. Every parallel step (point location, geocoding, scoring, the density
// field, tiles, GeoJSON formatting, database reads) goes through these few functions rather than
// through hand-made boxes. Plain Dispatch, not Swift tasks: the work is CPU-bound loops over arrays,
// and `concurrentPerform` runs them on exactly the machine's cores with no scheduling overhead.

/// `body(0..<n)` on all cores, results in index order. The first error thrown is rethrown once every
/// iteration has finished (the others still run: each is short, and stopping them would need a check
/// in every body).
public func parallelMap<T>(_ n: Int, _ body: (Int) throws -> T) throws -> [T] {
    guard n > 0 else { return [] }
    let slots = ResultSlots<T>(n)
    try withoutActuallyEscaping(body) { body in
        let work = Unchecked(body)
        DispatchQueue.concurrentPerform(iterations: n) { i in slots.set(i, Result { try work.value(i) }) }
    }
    return try slots.results()
}

/// `parallelMap` for bodies that cannot fail.
public func parallelMap<T>(_ n: Int, _ body: (Int) -> T) -> [T] {
    // The throwing overload cannot throw when the body does not.
    (try? parallelMap(n, { (i: Int) throws -> T in body(i) })) ?? []
}

/// An array of `count` elements filled on all cores: `0..<count` is cut into at most `parts` contiguous
/// ranges (see `chunks`), and each range is written by one call of `body` into the array's storage
/// (`body` writes only the indices of its range). For results of a million small values, where
/// `parallelMap` of per-chunk arrays would copy them all once more. The first error is rethrown.
public func parallelFill<T>(_ count: Int, parts: Int, initial: T,
                            _ body: (Range<Int>, UnsafeMutableBufferPointer<T>) throws -> Void) throws -> [T] {
    var out = [T](repeating: initial, count: count)
    let ranges = chunks(of: count, parts: parts)
    try out.withUnsafeMutableBufferPointer { buffer in
        let storage = Unchecked(buffer)
        _ = try parallelMap(ranges.count) { c in try body(ranges[c], storage.value) }
    }
    return out
}

/// Runs `a` and `b` at once on two threads (work that shares nothing), returning both results.
public func inParallel<A, B>(_ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    let both = try parallelMap(2) { i -> Either<A, B> in i == 0 ? .first(try a()) : .second(try b()) }
    guard case .first(let x) = both[0], case .second(let y) = both[1] else { preconditionFailure("parallelMap keeps order") }
    return (x, y)
}

private enum Either<A, B> { case first(A), second(B) }

/// Splits `0..<count` into at most `parts` contiguous ranges of nearly equal length (none empty).
public func chunks(of count: Int, parts: Int) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let n = max(1, min(parts, count))
    let size = (count + n - 1) / n
    return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
}

/// The shared state of the workers of a long parallel loop that stops at the first error: the error,
/// whether to stop, and a progress count.
public final class ParallelProgress: Sendable {
    private let state = Mutex<(done: Int, error: (any Error)?)>((0, nil))
    public init() {}
    /// True once a worker failed: the others stop taking work.
    public var stopped: Bool { state.withLock { $0.error != nil } }
    public var error: (any Error)? { state.withLock { $0.error } }
    /// Counts one item done; returns how many are done.
    public func tick() -> Int { state.withLock { $0.done += 1; return $0.done } }
    /// Records a failure (the first one is kept and stops the loop).
    public func fail(_ e: any Error) { state.withLock { if $0.error == nil { $0.error = e } } }
    /// Rethrows the first failure, if any.
    public func check() throws { if let error { throw error } }
}

/// Work started on another thread now and waited for later.
public final class BackgroundTask: Sendable {
    private let work: BackgroundValue<Void>
    public init(_ work: @escaping @Sendable () throws -> Void) { self.work = BackgroundValue(work) }
    /// Waits for the work; its error, if it failed.
    public func wait() -> (any Error)? {
        do { try work.value() } catch { return error }
        return nil
    }
}

/// Work started on another thread now, its value waited for later: what the work makes is handed back
/// through the task, not through a variable both threads share.
public final class BackgroundValue<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the worker before it signals `done`; read only after waiting on `done`, which
    /// orders the two (hence @unchecked).
    private var result: Result<Value, any Error>?
    public init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            result = Result { try work() }
            done.signal()
        }
    }
    /// Waits for the work; its value, or its error thrown. Every call gives the same.
    public func value() throws -> Value {
        done.wait()
        done.signal()   // a second wait returns at once
        return try result!.get()
    }
}

/// One result slot per iteration: each iteration writes only its own, read after the loop. Raw
/// storage, not an array: iterations writing their slots at once must not meet in Swift's exclusivity
/// checks of one array.
private final class ResultSlots<T>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Result<T, Error>?>
    private let count: Int
    init(_ count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }
    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
    func set(_ i: Int, _ r: Result<T, Error>) { storage[i] = r }
    func results() throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let r = storage[i] else { preconditionFailure("an iteration of parallelMap did not run") }
            out.append(try r.get())
        }
        return out
    }
}

/// Hands a non-Sendable closure to the workers of one loop; safe because the loop ends before the
/// closure's scope does and the closures given here only read shared state.
private struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}
