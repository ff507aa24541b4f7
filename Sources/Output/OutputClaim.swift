import Foundation
import Support
import Risk

/// `.riskmap-output`: written last into every folder riskmap publishes (`--out`, each `--keep` day
/// folder, `merge --out`). It says the folder is riskmap's — a run replaces or prunes only such
/// folders — and that it is complete: every other file was on disk before it was written.
///
/// Its content is the same for the same output (no time, no run id), so that an incremental run and a
/// full render of the same day stay byte-identical; it ties the folder to its incremental tile state
/// by the state file's digest instead.
public enum OutputMarker {
    public static let fileName = ".riskmap-output"
    /// Bump when the folder layout changes in a way an older riskmap must not build on.
    public static let format = 1
    /// The incremental tile state (see Tiles/TileState.swift), whose digest the marker records.
    public static let tileStateFile = ".riskmap-tiles.state"

    public struct Contents: Equatable, Sendable {
        public var format: Int
        /// `fnv1a64:HEX` of the folder's tile state file, nil when it has none.
        public var tileState: String?
    }

    static func text(tileState: String?) -> String {
        Document(format: format, tileState: tileState).jsonText()
    }

    /// The marker of `folder`, nil when it has none or one riskmap did not write.
    public static func read(_ folder: URL) -> Contents? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName)), data.count < 4096,
              let marker = try? DocumentJSON.decode(Document.self, from: data),
              marker.tool == "riskmap", marker.format >= 1 else { return nil }
        return Contents(format: marker.format, tileState: marker.tileState)
    }

    public static func digest(_ data: Data) -> String { "fnv1a64:" + fnv1a64Hex(data) }
}

/// What is at a path riskmap was asked to write, as far as replacing it goes.
public enum PathContent: Equatable, Sendable {
    case absent
    case emptyFolder
    /// A folder with the marker, or with the report.json an earlier riskmap (before the marker) wrote.
    case riskmapOutput
    /// A `--keep` history root: a `current` link to a day folder of riskmap's.
    case history(current: String)
    case foreignFolder(sample: [String])
    case file
    case symlink(to: String)
    /// A device, fifo or socket: never replaced, even with --force.
    case special

    public static func at(_ url: URL) -> PathContent {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return .absent }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: return .symlink(to: (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?")
        case S_IFREG: return .file
        case S_IFDIR: break
        default: return .special
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
        if names.isEmpty { return .emptyFolder }
        if isCompleteOutput(url) { return .riskmapOutput }
        let current = url.appendingPathComponent("current")
        if let day = try? FileManager.default.destinationOfSymbolicLink(atPath: current.path),
           OutputFolder.isDayName(day), isCompleteOutput(url.appendingPathComponent(day)) {
            return .history(current: day)
        }
        return .foreignFolder(sample: Array(names.prefix(3)))
    }
}

/// A folder riskmap published whole: the marker, or (an output of a riskmap from before the marker)
/// the report.json a run writes last, with the fields every report has.
func isCompleteOutput(_ folder: URL) -> Bool {
    if OutputMarker.read(folder) != nil { return true }
    let report = folder.appendingPathComponent("report.json")
    guard let size = (try? FileManager.default.attributesOfItem(atPath: report.path))?[.size] as? Int, size < 64 << 20,
          let data = try? Data(contentsOf: report) else { return false }
    return RunReport.hasCounts(data)
}

/// A folder name a publication uses for itself next to the one it replaces: `.NAME.staging-PID-X`
/// (being written, or — after an exchange — the replaced folder being removed) and `.NAME.old-PID-X`
/// (the replaced folder moved aside on the two-rename path).
struct Leftover {
    var name: String
    /// The folder it stands for (`NAME`).
    var target: String
    var isOld: Bool

    init?(_ name: String) {
        guard name.hasPrefix(".") else { return nil }
        let found = name.range(of: ".staging-", options: .backwards).map { ($0, false) }
            ?? name.range(of: ".old-", options: .backwards).map { ($0, true) }
        guard let (range, old) = found, range.lowerBound > name.index(after: name.startIndex) else { return nil }
        self.name = name
        target = String(name[name.index(after: name.startIndex)..<range.lowerBound])
        isOld = old
    }

    static func name(for target: String, old: Bool) -> String {
        ".\(target).\(old ? "old" : "staging")-\(getpid())-\(UUID().uuidString.prefix(8))"
    }
}

extension OutputFolder {
    /// Whether `destination` (`--out`) may be written: checked before the run locks and reads anything,
    /// and again under the lock. Throws a message naming the path and what to do.
    public static func check(destination: URL, history: (day: String, keep: Int)?, force: Bool) throws {
        let destination = destination.standardizedFileURL
        guard let history else { return try checkReplaceable(destination, what: "--out", force: force, plain: true) }
        switch PathContent.at(destination) {
        case .file, .special:
            throw OutputError(file: destination.path, "not a folder: --keep writes day folders into --out; give a folder")
        case .symlink where !FileManager.default.fileExists(atPath: destination.path):
            throw OutputError(file: destination.path, "a symbolic link to nothing; give an existing folder or a new path as --out")
        default: break
        }
        let current = destination.appendingPathComponent("current")
        switch PathContent.at(current) {
        case .absent: break
        case .symlink(let target) where isDayName(target) || Leftover(target) != nil: break
        case .symlink where force: break
        case .symlink(let target):
            throw OutputError(file: current.path, "a link to \(target), not one riskmap made (riskmap points current at a "
                              + "YYYY-MM-DD day folder); it was left untouched: move it away, or add --force to replace it")
        default:
            throw OutputError(file: current.path, "not a link riskmap made (with --keep, current is a link to the newest day "
                              + "folder); it was left untouched: move it away or give another --out")
        }
        try checkReplaceable(destination.appendingPathComponent(history.day), what: "the day folder", force: force, plain: false)
    }

    /// A path riskmap may replace: absent, an empty folder or riskmap's output; anything else only with
    /// `force`, and a device never.
    static func checkReplaceable(_ url: URL, what: String, force: Bool, plain: Bool) throws {
        let path = url.path
        let proceed = "it was left untouched: give \(plain ? "an empty or new folder as --out" : "another --out"), "
            + "or add --force to replace it"
        switch PathContent.at(url) {
        case .absent, .emptyFolder, .riskmapOutput: return
        case .special:
            throw OutputError(file: path, "a device or other special file, not a folder; riskmap never replaces it, "
                              + "even with --force: give a folder as \(what)")
        case _ where force: return
        case .history(let current):
            throw OutputError(file: path, "holds riskmap's daily history (current → \(current)); it was left untouched: "
                              + "add --keep N to publish a day into it, or --force to replace all of it")
        case .foreignFolder(let sample):
            throw OutputError(file: path, "a folder riskmap did not write (no \(OutputMarker.fileName) marker; it holds "
                              + "\(sample.joined(separator: ", "))…); \(proceed)")
        case .file:
            throw OutputError(file: path, "a file, not an output folder riskmap wrote; \(proceed)")
        case .symlink(let target):
            throw OutputError(file: path, "a symbolic link to \(target), not an output folder riskmap wrote; it was left "
                              + "untouched: give the folder itself, or add --force to replace the link (not what it points to)")
        }
    }

    /// The lock file of an output (`.NAME.riskmap-lock` beside it, in the real parent folder), so that
    /// every path that names the same output takes the same lock.
    public static func lockFile(for destination: URL) -> String {
        let destination = destination.standardizedFileURL
        let parent = destination.deletingLastPathComponent()
        let realParent = parent.path.withCString { realpath($0, nil) }.map { p in defer { free(p) }; return String(cString: p) }
        return (realParent ?? parent.path) + "/.\(destination.lastPathComponent).riskmap-lock"
    }

    /// Plain mode, under the lock: what a killed run left next to `destination`. When `destination`
    /// is gone, the complete copy a run moved aside (else a complete new one) is renamed back; a
    /// leftover is removed only when a complete output stands, or when it is incomplete itself.
    static func recoverPlain(_ destination: URL) {
        let parent = destination.deletingLastPathComponent()
        let leftovers = leftovers(in: parent, for: destination.lastPathComponent)
        if PathContent.at(destination) == .absent, let best = bestComplete(leftovers, in: parent) {
            if rename(parent.appendingPathComponent(best.name).path, destination.path) == 0 {
                try? Durability.sync(parent.path)
                warn("\(destination.path) was missing: restored it from \(best.name), left by a run killed while publishing")
            }
        }
        removeLeftovers(leftovers, in: parent, standing: isCompleteOutput(destination))
    }

    /// `--keep`, under the lock: the same for every day folder, then a `current` link that names no
    /// complete folder is pointed at the newest complete day.
    static func recoverHistory(_ root: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return }
        let all = names.compactMap(Leftover.init)
        for day in Set(all.map(\.target)) where isDayName(day) {
            let mine = all.filter { $0.target == day }
            let folder = root.appendingPathComponent(day)
            if PathContent.at(folder) == .absent, let best = bestComplete(mine, in: root),
               rename(root.appendingPathComponent(best.name).path, folder.path) == 0 {
                try? Durability.sync(root.path)
                warn("\(folder.path) was missing: restored it from \(best.name), left by a run killed while publishing")
            }
            removeLeftovers(mine, in: root, standing: isCompleteOutput(folder))
        }
        // Temporary links of killed runs (`.current-PID-X`).
        for name in names where name.hasPrefix(".current-") { try? fm.removeItem(at: root.appendingPathComponent(name)) }
        let current = root.appendingPathComponent("current")
        // Only a link riskmap made (to a day, or to a staging name of an earlier version) is repointed.
        guard case .symlink(let target) = PathContent.at(current), isDayName(target) || Leftover(target) != nil,
              !isCompleteOutput(root.appendingPathComponent(target)),
              let newest = (try? fm.contentsOfDirectory(atPath: root.path))?.filter(isDayName).sorted(by: >)
                .first(where: { isCompleteOutput(root.appendingPathComponent($0)) }) else { return }
        if (try? pointLink(current, at: newest)) != nil {
            warn("\(current.path) named \(target), which is not a complete output: pointed it at \(newest)")
        }
    }

    static func leftovers(in parent: URL, for target: String) -> [Leftover] {
        ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).compactMap(Leftover.init)
            .filter { $0.target == target }
    }

    /// The leftover to restore: a complete one moved aside (the previous output) first, else a complete
    /// new one; the most recent of each.
    static func bestComplete(_ leftovers: [Leftover], in parent: URL) -> Leftover? {
        func modified(_ l: Leftover) -> Date {
            (try? FileManager.default.attributesOfItem(atPath: parent.appendingPathComponent(l.name).path))?[.modificationDate]
                as? Date ?? .distantPast
        }
        let complete = leftovers.filter { isCompleteOutput(parent.appendingPathComponent($0.name)) }
        return complete.filter(\.isOld).max { modified($0) < modified($1) } ?? complete.max { modified($0) < modified($1) }
    }

    /// Removes the leftovers that are not the only copy of a complete output. Under the output's lock no
    /// other run is publishing there, so every leftover is a killed run's.
    static func removeLeftovers(_ leftovers: [Leftover], in parent: URL, standing: Bool) {
        for leftover in leftovers {
            let url = parent.appendingPathComponent(leftover.name)
            if standing || !isCompleteOutput(url) { removeFolder(url) }
        }
    }

    /// Removes a folder, its marker first: a removal cut short never leaves a part that looks complete.
    static func removeFolder(_ url: URL) {
        let fm = FileManager.default
        try? fm.removeItem(at: url.appendingPathComponent(OutputMarker.fileName))
        try? fm.removeItem(at: url.appendingPathComponent("report.json"))
        try? fm.removeItem(at: url)
    }

    /// `link` → `target`, switched by rename(2) over a temporary link, which replaces the old link
    /// atomically; the folder is then flushed so the switch survives a power cut.
    static func pointLink(_ link: URL, at target: String) throws {
        let folder = link.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".current-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: target)
        try TestPoint.reached("before-link")
        guard rename(temporary.path, link.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError(file: link.path, "cannot switch the link: \(message)")
        }
        try Durability.sync(folder.path)
        try TestPoint.reached("after-link")
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("riskmap: warning: \(message)\n".utf8))
    }
}
