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
