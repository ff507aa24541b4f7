import Foundation

/// Runs `a` and `b` at once on two threads (work that shares nothing), returning both results.
func inParallel<A, B>(_ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    var ra: Result<A, Error>?, rb: Result<B, Error>?
    try withoutActuallyEscaping(a) { a in
        try withoutActuallyEscaping(b) { b in
            try withUnsafeMutablePointer(to: &ra) { pa in
                try withUnsafeMutablePointer(to: &rb) { pb in
                    nonisolated(unsafe) let (a, b, pa, pb) = (a, b, pa, pb)
                    DispatchQueue.concurrentPerform(iterations: 2) { i in
                        if i == 0 { pa.pointee = Result { try a() } } else { pb.pointee = Result { try b() } }
                    }
                    _ = try pa.pointee!.get(); _ = try pb.pointee!.get()
                }
            }
        }
    }
    return (try ra!.get(), try rb!.get())
}

/// One result slot per task of a parallel loop: each task writes its own slot, read after the loop.
/// Raw storage, not an array: tasks writing their slots at once must not meet in Swift's exclusivity
/// checks of one array property.
final class Slots<T>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<T?>
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
    subscript(i: Int) -> T? {
        get { storage[i] }
        set { storage[i] = newValue }
    }
}

/// Work started on another thread now and waited for later.
final class BackgroundTask: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?
    init(_ work: @escaping @Sendable () throws -> Void) {
        Thread.detachNewThread { [self] in
            do { try work() } catch { failure = error }
            done.signal()
        }
    }
    /// Waits for the work; its error, if it failed.
    func wait() -> Error? {
        done.wait()
        done.signal()   // a second wait returns at once
        return failure
    }
}
