import Foundation
import Logging
import Synchronization

/// The access log's swift-log handler: lines as swift-log's `StreamLogHandler` writes them
/// (`2026-12-05T17:12:06+0000 info riskmap.serve.access: GET /… 200 1503 0.143ms`), but written to
/// standard error in batches — at 64 KiB, every 100 ms, and when the server stops
/// (`flushStandardErrorLog`) — with the time formatted once a second. `StreamLogHandler` formats the
/// local time and flushes standard error for every line: with a line per request that was a fifth of
/// the tile rate.
struct BatchedLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String
    let sink: BatchedStandardError

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.append(level: event.level, label: label, message: event.message.description)
    }
}

/// Standard error, written in batches (see `BatchedLogHandler`). One per process.
final class BatchedStandardError: Sendable {
    static let shared = BatchedStandardError()

    private struct State {
        var pending: [UInt8] = []
        var second = 0
        var stamp = ""
    }
    private let state = Mutex(State())
    /// Writes in the order batches were taken.
    private let writing = Mutex(())
    static let batchBytes = 64 << 10

    /// Flushes every 100 ms; lives as long as the process, as `shared` does. Only set up here.
    private nonisolated(unsafe) let timer: DispatchSourceTimer

    private init() {
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
    }

    func append(level: Logger.Level, label: String, message: String) {
        let full = state.withLock { s -> Bool in
            let now = Int(time(nil))
            if now != s.second {
                s.second = now
                s.stamp = Self.localTime(now)
            }
            s.pending.append(contentsOf: "\(s.stamp) \(level) \(label): \(message)\n".utf8)
            return s.pending.count >= Self.batchBytes
        }
        if full { flush() }
    }

    /// Writes what is pending.
    func flush() {
        writing.withLock { _ in
            let batch = state.withLock { s -> [UInt8] in
                defer { s.pending.removeAll(keepingCapacity: true) }
                return s.pending
            }
            guard !batch.isEmpty else { return }
            batch.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(2, raw.baseAddress! + offset, raw.count - offset)
                    if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
                }
            }
        }
    }

    /// `2026-12-05T17:12:06+0000`, local time, as `StreamLogHandler` writes it.
    static func localTime(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return "<unknown>" }
        var buffer = [Int8](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
