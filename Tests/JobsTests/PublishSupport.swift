import Foundation
import TestSupport
import Testing

/// A `riskmap` child process with extra environment (the publish hooks, see Sources/Output/Durability.swift)
/// and its stderr in a file, so that a test can read it while the process runs.
final class RiskmapProcess {
    let process = Process()
    let stderrFile: URL

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = Repo.binary
        process.arguments = arguments
        process.currentDirectoryURL = Repo.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits for the end; true when SIGKILL ended it.
    @discardableResult func wait() -> (status: Int32, killed: Bool) {
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
    }

    /// Whether the process is stopped (SIGSTOP), from /proc/PID/stat.
    var isStopped: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)...].hasPrefix("T")
    }

    /// Polls `condition` every 20 ms for up to `seconds`.
    static func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }
}

/// Every file under `root` (hidden ones included) with its bytes: "left untouched" means this is equal.
func contents(_ root: URL) throws -> [String: Data] {
    var all: [String: Data] = [:]
    for file in try relativeFiles(root) { all[file] = try Data(contentsOf: root.appendingPathComponent(file)) }
    return all
}

/// The `report.json` of `folder` as an object, nil when it is missing or not JSON.
func report(_ folder: URL) -> [String: Any]? {
    (try? Data(contentsOf: folder.appendingPathComponent("report.json")))
        .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
}

/// Names a killed or finished publication may leave in `folder` (none once a run has succeeded).
func leftovers(_ folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.contains(".staging-") || $0.contains(".old-") || $0.hasPrefix(".current-") }
}
