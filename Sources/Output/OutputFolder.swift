import Foundation

/// An output folder that is written aside and published in one step, so that a failed or killed run
/// leaves the previous output as it was, and that replaces only what riskmap wrote.
///
/// Plain mode: the run writes into a staging folder next to `--out`; when it is complete (every file
/// flushed to disk, then the `.riskmap-output` marker) it is exchanged with `--out` in one rename
/// (renameat2 RENAME_EXCHANGE), so that `--out` is a complete output at every instant, and the old
/// one is removed. Where the file system cannot exchange, the old folder is moved aside first; a kill
/// between those two renames leaves it aside, and the next run restores it (see `recoverPlain`).
/// History mode (`--keep N`): the run writes `OUT/YYYY-MM-DD/` for its as-of day (staged inside
/// OUT, exchanged with an existing day folder of the same day), then moves the symlink `OUT/current`
/// to it with an atomic rename and keeps the newest N day folders of riskmap's. Readers that follow
/// `current` never see a half-written day.
///
/// Every run holds the output's lock (`lockFile(for:)`) while it reads the previous output and
/// publishes the next: one writer per output.
public final class OutputFolder {
    public let destination: URL
    public let staging: URL
    private let history: (day: String, keep: Int)?
    /// Whether the `.riskmap-output` marker is written (`merge` leaves it out, see MergeJob).
    private let marked: Bool
    private var published = false
    /// The files flushed to disk while the run goes on (streamed documents, tile archives); the publish
    /// flushes the rest.
    public let durability = DurabilityQueue()

    /// Recovers what a killed run left at `destination`, checks that the run may replace what is there
    /// (see `check`; `force` allows a folder, file or link riskmap did not write) and makes the
    /// staging folder. Call it holding the output's lock.
    /// - Parameter history: the as-of day (`YYYY-MM-DD`) and how many day folders to keep.
    /// - Parameter marked: write the marker; without it the folder is riskmap's by its report.json.
    public init(destination: URL, history: (day: String, keep: Int)? = nil, force: Bool = false, marked: Bool = true) throws {
        self.destination = destination.standardizedFileURL
        self.history = history
        self.marked = marked
        try Self.check(destination: self.destination, history: history, force: force)
        if history == nil { Self.recoverPlain(self.destination) } else { Self.recoverHistory(self.destination) }
        try Self.check(destination: self.destination, history: history, force: force)
        let fm = FileManager.default
        let stagingParent = history == nil ? self.destination.deletingLastPathComponent() : self.destination
        try fm.createDirectory(at: stagingParent, withIntermediateDirectories: true)
        staging = stagingParent.appendingPathComponent(
            Leftover.name(for: history?.day ?? self.destination.lastPathComponent, old: false))
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    deinit {
        if !published {
            durability.cancel()
            try? FileManager.default.removeItem(at: staging)
        }
    }

    public func url(_ relative: String) -> URL { staging.appendingPathComponent(relative) }

    public func write(_ text: String, to relative: String) throws {
        try write(Data(text.utf8), to: relative)
    }

    /// Writes a file piece by piece, in order, so that a file of gigabytes (cases.geojson of ten
    /// million cases) is never held whole in memory. `body` gets the function that appends a piece.
    public func writeStreaming(to relative: String, _ body: (_ append: (String) throws -> Void) throws -> Void) throws {
        try stream(to: relative, adding: { $0.append(contentsOf: $1.utf8) }, body)
    }

    /// `writeStreaming` for binary pieces (the tile state).
    public func writeStreaming(to relative: String, bytes body: (_ append: (Data) throws -> Void) throws -> Void) throws {
        try stream(to: relative, adding: { $0.append($1) }, body)
    }

    private func stream<Piece>(to relative: String, adding: @escaping (inout Data, Piece) -> Void,
                               _ body: (_ append: (Piece) throws -> Void) throws -> Void) throws {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        // Pieces are gathered into writes of about a megabyte: rejects.csv hands over one line at a time.
        let flushAt = 1 << 20
        var buffer = Data()
        buffer.reserveCapacity(flushAt)
        try body { piece in
            adding(&buffer, piece)
            if buffer.count >= flushAt { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
        }
        if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
        try handle.close()
        durability.add(url.path)
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

    /// Flushes the staging folder to disk, marks it complete and puts it in place; with history, then
    /// moves `current` and prunes old days.
    public func publish() throws {
        try Durability.syncTree(staging, skipping: try durability.finish())
        try writeMarker()
        try TestPoint.reached("after-build")
        try replace(publishedFolder, with: staging)
        if let history {
            try Self.pointLink(destination.appendingPathComponent("current"), at: history.day)
            pruneDays(keeping: history.keep)
            try TestPoint.reached("after-prune")
        }
    }

    /// The marker, written and flushed after everything else: a folder with it is complete.
    private func writeMarker() throws {
        guard marked else { return try Durability.sync(staging.path) }
        let state = try? Data(contentsOf: url(OutputMarker.tileStateFile), options: .alwaysMapped)
        try write(OutputMarker.text(tileState: state.map(OutputMarker.digest)), to: OutputMarker.fileName)
        try Durability.sync(url(OutputMarker.fileName).path)
        try Durability.sync(staging.path)
    }

    /// Puts `staging` in the place of `target`: one rename when nothing is there, else the two names
    /// exchanged in one step, or (a file system that cannot) the old one moved aside and the new one
    /// renamed in. The parent folder is flushed, then the replaced folder removed.
    private func replace(_ target: URL, with staging: URL) throws {
        let parent = target.deletingLastPathComponent()
        var replaced: URL?
        if PathContent.at(target) == .absent {
            try Self.move(staging, to: target)
        } else if try Durability.exchange(staging, target) {
            replaced = staging
        } else {
            let aside = parent.appendingPathComponent(Leftover.name(for: target.lastPathComponent, old: true))
            try Self.move(target, to: aside)
            try TestPoint.reached("after-aside-rename")
            do { try Self.move(staging, to: target) } catch {
                _ = rename(aside.path, target.path)
                throw error
            }
            replaced = aside
        }
        published = true
        try Durability.sync(parent.path)
        try TestPoint.reached("after-swap")
        if let replaced { Self.removeFolder(replaced) }
        try TestPoint.reached("after-cleanup")
    }

    private static func move(_ from: URL, to: URL) throws {
        guard rename(from.path, to.path) == 0 else {
            throw OutputError(file: to.path, "cannot rename \(from.lastPathComponent) to it: \(String(cString: strerror(errno)))")
        }
    }

    /// Keeps the newest `keep` day folders of riskmap's (by name, which sorts by date) and never the one
    /// `current` names; a YYYY-MM-DD folder without the marker is not riskmap's and is left alone.
    private func pruneDays(keeping keep: Int) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: destination.path) else { return }
        let current = try? fm.destinationOfSymbolicLink(atPath: destination.appendingPathComponent("current").path)
        let days = names.filter { Self.isDayName($0) && isCompleteOutput(destination.appendingPathComponent($0)) }
            .sorted(by: >)
        for day in days.dropFirst(max(keep, 1)) where day != current {
            Self.removeFolder(destination.appendingPathComponent(day))
        }
    }

    static func isDayName(_ name: String) -> Bool {
        name.count == 10 && name.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isASCII && c.isNumber }
    }
}
