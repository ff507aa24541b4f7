import Foundation
import TestSupport

/// `riskmap serve --port 0` in the background; `url` is what it printed once listening.
final class ServeProcess {
    let process = Process()
    let url: String
    /// Standard error, when asked to capture it (the access log).
    let errors: Pipe?

    init(out: URL, extra: [String] = [], captureStandardError: Bool = false) throws {
        process.executableURL = Repo.binary
        process.arguments = ["serve", "--out", out.path, "--port", "0"] + extra
        let pipe = Pipe()
        process.standardOutput = pipe
        errors = captureStandardError ? Pipe() : nil
        process.standardError = errors ?? FileHandle.standardError
        try process.run()
        url = try Self.firstLine(pipe.fileHandleForReading, timeout: 60)
            .components(separatedBy: " on ").last ?? ""
    }

    /// Reads the "serving … on http://127.0.0.1:PORT/" line, giving up after `timeout` seconds.
    static func firstLine(_ handle: FileHandle, timeout: TimeInterval) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = Data()
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let line = String(data: buffer, encoding: .utf8)?.split(separator: "\n").first, buffer.contains(10) {
                return String(line)
            }
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "riskmap serve printed no address"])
    }

    func stop() {
        if process.isRunning { process.interrupt() }
        process.waitUntilExit()
    }

    /// Stops the server and returns what it wrote on standard error (captured only when asked).
    func stopAndReadStandardError() -> String {
        stop()
        guard let errors else { return "" }
        return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit { stop() }
}
