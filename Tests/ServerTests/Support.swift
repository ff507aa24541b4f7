import Foundation

/// Paths and processes for the tests that run the real `riskmap` binary.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `riskmap` binary `swift build` made (the test command builds it first).
    static var binary: URL {
        for config in ["debug", "release"] {
            let url = root.appendingPathComponent(".build/\(config)/riskmap")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/riskmap")
    }

    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("riskmap-serve-tests-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to its end, killing it after `timeout` seconds so a hung browser cannot hang the suite.
func runProcess(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 300) throws -> ProcessResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    p.currentDirectoryURL = Repo.root
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.wait()
    p.waitUntilExit()
    timer.cancel()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

func riskmap(_ arguments: String...) throws -> ProcessResult { try runProcess(Repo.binary, arguments) }

/// `riskmap serve --port 0` in the background; `url` is what it printed once listening.
final class ServeProcess {
    let process = Process()
    let url: String

    init(out: URL, extra: [String] = []) throws {
        process.executableURL = Repo.binary
        process.arguments = ["serve", "--out", out.path, "--port", "0"] + extra
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
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

    deinit { stop() }
}
