import Foundation

/// Named points of a run where a test can make it fail: `RISKMAP_FAIL_AT=NAME` throws there,
/// `RISKMAP_FAIL_AT=NAME:kill` kills the process there (SIGKILL). They prove that a run failing or
/// killed at that point leaves the case database and the output as they were. Unset: nothing happens.
enum FailurePoint {
    static func reached(_ name: String) throws {
        guard let spec = ProcessInfo.processInfo.environment["RISKMAP_FAIL_AT"] else { return }
        if spec == name + ":kill" { kill(getpid(), SIGKILL) }
        if spec == name { throw InjectedFailure(point: name) }
    }

    struct InjectedFailure: Error, CustomStringConvertible {
        var point: String
        var description: String { "failure injected at '\(point)' (RISKMAP_FAIL_AT)" }
    }
}
