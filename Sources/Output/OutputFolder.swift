import Foundation

/// An output folder that is written aside and published in one step, so that a failed or killed run
/// leaves the previous output as it was.
///
/// Plain mode: the run writes into a staging folder next to `--out` and swaps it in when complete.
/// History mode (`--keep N`): the run writes `OUT/YYYY-MM-DD/` for its as-of day (staged inside
/// OUT), then moves the symlink `OUT/current` to it with an atomic rename and keeps the newest N
/// day folders. Readers that follow `current` never see a half-written day.
public final class OutputFolder {
    public let destination: URL
    public let staging: URL
    private let history: (day: String, keep: Int)?
    private var published = false

    /// - Parameter history: the as-of day (`YYYY-MM-DD`) and how many day folders to keep.
    public init(destination: URL, history: (day: String, keep: Int)? = nil) throws {
        self.destination = destination.standardizedFileURL
        self.history = history
        let fm = FileManager.default
        let stagingParent = history == nil ? self.destination.deletingLastPathComponent() : self.destination
        try fm.createDirectory(at: stagingParent, withIntermediateDirectories: true)
        Self.removeAbandonedStaging(in: stagingParent)
        staging = stagingParent.appendingPathComponent(
            ".\(history?.day ?? self.destination.lastPathComponent).staging-\(getpid())-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
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

    /// The folder the published output lives in (`OUT`, or `OUT/YYYY-MM-DD` with history).
    public var publishedFolder: URL {
        history.map { destination.appendingPathComponent($0.day) } ?? destination
    }

    public func publish() throws {
        try replace(publishedFolder, with: staging)
        published = true
        if let history {
            try pointCurrent(at: history.day)
            pruneDays(keeping: history.keep)
        }
    }

    /// Swaps `staging` in for `target`: the old one is moved aside, the new one renamed into place,
    /// then the old one removed.
    private func replace(_ target: URL, with staging: URL) throws {
        let fm = FileManager.default
        let old = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())-\(UUID().uuidString.prefix(8))")
        let hadOld = fm.fileExists(atPath: target.path)
        if hadOld { try fm.moveItem(at: target, to: old) }
        do { try fm.moveItem(at: staging, to: target) } catch {
            if hadOld { try? fm.moveItem(at: old, to: target) }
            throw error
        }
        if hadOld { try? fm.removeItem(at: old) }
    }

    /// `current` → `day`, switched by rename(2), which replaces the old link atomically.
    private func pointCurrent(at day: String) throws {
        let link = destination.appendingPathComponent("current")
        let temporary = destination.appendingPathComponent(".current-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: day)
        guard rename(temporary.path, link.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(link.path): cannot switch the link: \(message)"])
        }
    }

    /// Keeps the newest `keep` day folders (by name, which sorts by date) and never the one `current` names.
    private func pruneDays(keeping keep: Int) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: destination.path) else { return }
        let current = try? fm.destinationOfSymbolicLink(atPath: destination.appendingPathComponent("current").path)
        let days = names.filter(Self.isDayName).sorted(by: >)
        for day in days.dropFirst(max(keep, 1)) where day != current {
            try? fm.removeItem(at: destination.appendingPathComponent(day))
        }
    }

    /// Staging folders of runs that were killed (their process is gone) are removed; those of a run
    /// still going are left alone.
    static func removeAbandonedStaging(in folder: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(".") && (name.contains(".staging-") || name.contains(".old-")) {
            let parts = name.components(separatedBy: "-")
            guard let marker = parts.firstIndex(where: { $0.hasSuffix(".staging") || $0.hasSuffix(".old") }),
                  marker + 1 < parts.count, let pid = Int32(parts[marker + 1]) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                try? fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    static func isDayName(_ name: String) -> Bool {
        name.count == 10 && name.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isASCII && c.isNumber }
    }
}
