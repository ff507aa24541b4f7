import Foundation

/// A progress bar on a terminal; silence otherwise (callers print one-line summaries instead).
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDrawn = -1

    public init(_ label: String, enabled: Bool = isatty(STDOUT_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// Safe to call from any thread; redraws at most once per percent.
    public func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        lock.lock()
        defer { lock.unlock() }
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardOutput.write(Data("\r\(label) \(bar) \(percent)% (\(done)/\(total))\u{1B}[K".utf8))
    }

    public func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
    }
}

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
