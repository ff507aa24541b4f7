import Foundation

/// An output folder that is written aside and published in one step: the run writes into a
/// staging folder next to `--out` and only replaces `--out` when everything is written, so a
/// failed or killed run leaves the previous output as it was.
public final class OutputFolder {
    public let destination: URL
    public let staging: URL
    private var published = false

    public init(destination: URL) throws {
        self.destination = destination.standardizedFileURL
        let parent = self.destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        staging = parent.appendingPathComponent(".\(self.destination.lastPathComponent).staging-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    deinit {
        if !published { try? FileManager.default.removeItem(at: staging) }
    }

    public func url(_ relative: String) -> URL { staging.appendingPathComponent(relative) }

    public func write(_ text: String, to relative: String) throws {
        try write(Data(text.utf8), to: relative)
    }

    public func write(_ data: Data, to relative: String) throws {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Swaps the staging folder in: the old output is moved aside, the new one renamed into place,
    /// then the old one removed.
    public func publish() throws {
        let fm = FileManager.default
        let old = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).old-\(getpid())-\(UUID().uuidString.prefix(8))")
        let hadOld = fm.fileExists(atPath: destination.path)
        if hadOld { try fm.moveItem(at: destination, to: old) }
        do { try fm.moveItem(at: staging, to: destination) } catch {
            if hadOld { try? fm.moveItem(at: old, to: destination) }
            throw error
        }
        published = true
        if hadOld { try? fm.removeItem(at: old) }
    }
}
