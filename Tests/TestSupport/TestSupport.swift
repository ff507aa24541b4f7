import Foundation

/// Paths and processes shared by the tests that run the real `riskmap` binary (JobsTests, ServerTests).
public enum Repo {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let demo = root.appendingPathComponent("boundaries/demo")
    public static let style = root.appendingPathComponent("styles/default.toml")

    /// The `riskmap` binary `swift build` made (the test command builds it first).
    public static var binary: URL {
        for config in ["debug", "release"] {
            let url = root.appendingPathComponent(".build/\(config)/riskmap")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/riskmap")
    }

    /// The `riskmap` that `scripts/test.sh` installed with `scripts/install.sh --debug --prefix
    /// .build/test-install` (the same build, in its installed layout). The build's binary stands in
    /// when nothing is installed there, or when the installed one is older than the build's (a
    /// `swift build` after the last `scripts/test.sh`): the tests then still run the current code.
    public static var installedBinary: URL {
        let installed = root.appendingPathComponent(".build/test-install/bin/riskmap")
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: installed.path) else { return binary }
        func modified(_ url: URL) -> Date {
            (try? fm.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)[.modificationDate] as? Date) ?? .distantPast
        }
        return modified(installed) >= modified(binary) ? installed : binary
    }

    public static func temporaryFolder(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("riskmap-tests-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program to its end, reading its output concurrently (large outputs cannot block it) and
/// killing it after `timeout` seconds so a hung child (a browser) cannot hang the suite.
/// `environment` adds to (or, for a key already set, replaces in) this process's environment.
public func runProcess(_ executable: URL, _ arguments: [String], cwd: URL = Repo.root,
                       environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> ProcessResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    p.currentDirectoryURL = cwd
    if !environment.isEmpty {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
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

public func riskmap(_ arguments: String...) throws -> ProcessResult { try runProcess(Repo.binary, arguments) }

/// The installed `riskmap` (see `Repo.installedBinary`) run in `folder`, as a user runs it from their own folder.
public func installedRiskmap(in folder: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    try runProcess(Repo.installedBinary, arguments, cwd: folder, environment: environment)
}

public func python(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
}
