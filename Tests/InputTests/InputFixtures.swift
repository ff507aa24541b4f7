import Foundation

/// Where the committed fixtures are, and scratch files for tests that need bytes on disk.
enum InputFixtures {
    /// `Tests/Fixtures/cases`, found from this source file (the test target declares no resources).
    static let casesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cases")

    static func url(_ name: String) -> URL { casesDirectory.appendingPathComponent(name) }

    /// Writes `data` to a fresh temporary file and returns its URL.
    static func temporaryFile(_ data: Data, name: String = "cases.csv") throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("riskmap-input-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    static func temporaryFile(_ text: String, name: String = "cases.csv") throws -> URL {
        try temporaryFile(Data(text.utf8), name: name)
    }
}
