import Foundation
import Synchronization

/// Where the long phases of a job report their progress: bars on standard error when it is a
/// terminal, nothing otherwise. Standard output is kept for results (the summary, `stats` tables), so
/// that `riskmap run > log` stays clean and a terminal still sees the bars.
public struct ProgressSink: Sendable {
    public var enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }

    /// No bars (`--quiet`, tests, library callers).
    public static let silent = ProgressSink(enabled: false)

    /// Bars when standard error is a terminal; silence when it is a file or a pipe.
    public static var terminal: ProgressSink { ProgressSink(enabled: isatty(STDERR_FILENO) == 1) }

    /// A bar for one phase, e.g. `bar("tiles heat")`.
    public func bar(_ label: String) -> ProgressBar { ProgressBar(label, enabled: enabled) }
}

/// A progress bar on a terminal's standard error; silence otherwise (callers print one-line summaries).
public final class ProgressBar: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastDrawn = Mutex(-1)

    public init(_ label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// Safe to call from any thread; redraws at most once per percent.
    public func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        // Drawn under the lock: two threads must not interleave their bars.
        lastDrawn.withLock { last in
            guard percent != last else { return }
            last = percent
            draw(percent, done, total)
        }
    }

    private func draw(_ percent: Int, _ done: Int, _ total: Int) {
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% (\(done)/\(total))\u{1B}[K".utf8))
    }

    public func finish() {
        guard enabled else { return }
        lastDrawn.withLock { _ in FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
