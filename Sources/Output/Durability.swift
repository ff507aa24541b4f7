import Foundation
import Support

/// What makes a publication survive a kill or a power cut: files and folders on disk before the
/// rename that publishes them, the rename itself on disk after, and an exchange of two names in one
/// step where the kernel offers it.
enum Durability {
    /// fsync(2) of every file and folder under `root`, then of `root`: a rename is only as durable as
    /// what it renames. Files before their folders, eight at a time on threads of their own (each
    /// waits on the disk, not a core; the file system commits concurrent flushes together): 0.15 s for
    /// the 690 files and folders of the demo at zooms 10–15, against 3 s one by one.
    static func syncTree(_ root: URL) throws {
        var files: [String] = [], folders: [String] = []
        if let walker = FileManager.default.enumerator(atPath: root.path) {
            while let relative = walker.nextObject() as? String {
                let type = walker.fileAttributes?[.type] as? FileAttributeType
                if type == .typeDirectory { folders.append(root.path + "/" + relative) }
                else if type == .typeRegular { files.append(root.path + "/" + relative) }
            }
        }
        try syncAll(files)
        try syncAll(folders.reversed() + [root.path])
    }

    /// fsync(2) of one file or folder (a folder's entries: the renames and new names in it).
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw OutputError(file: path, "cannot open to flush it to disk: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // EINVAL: a file system that cannot sync this kind of file (nothing to wait for).
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw OutputError(file: path, "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
    }

    private static func syncAll(_ paths: [String]) throws {
        guard !paths.isEmpty else { return }
        let workers = min(paths.count, 8)
        let failures = ParallelProgress()
        let done = DispatchGroup()
        // Not concurrentPerform: it runs as many workers as there are cores, and these mostly wait.
        for worker in 0..<workers {
            done.enter()
            Thread {
                defer { done.leave() }
                for index in stride(from: worker, to: paths.count, by: workers) {
                    do { try sync(paths[index]) } catch { failures.fail(error); return }
                }
            }.start()
        }
        done.wait()
        try failures.check()
    }

    /// Swaps the names `a` and `b` in one step (renameat2 with RENAME_EXCHANGE): at no instant is either
    /// name missing. false when the kernel or the file system cannot (the caller then renames twice);
    /// other failures throw. Glibc declares renameat2 only for _GNU_SOURCE, so it is looked up by name.
    static func exchange(_ a: URL, _ b: URL) throws -> Bool {
        #if os(Linux)
        // Test-only: RISKMAP_TEST_NO_EXCHANGE=1 takes the two-rename path, as on a file system without it.
        if ProcessInfo.processInfo.environment["RISKMAP_TEST_NO_EXCHANGE"] == "1" { return false }
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        if renameat2(AT_FDCWD, a.path, AT_FDCWD, b.path, renameExchange) == 0 { return true }
        if [EINVAL, ENOSYS, ENOTSUP, EOPNOTSUPP].contains(errno) { return false }
        throw OutputError(file: b.path, "cannot swap in the new output: \(String(cString: strerror(errno)))")
        #else
        return false
        #endif
    }
}

/// Named points of a run where a test can make it fail, be killed or pause: the proof that a run
/// stopped at any of them leaves the output and the case database as they were. Test-only hooks, read
/// from the environment; unset, a point costs one environment lookup.
/// - `RISKMAP_FAIL_AT=NAME` throws at NAME, `RISKMAP_FAIL_AT=NAME:kill` SIGKILLs the process there
///   (Tests/JobsTests/DatabaseHonestyTests.swift);
/// - `RISKMAP_TEST_KILL_AT=NAME` SIGKILLs, `RISKMAP_TEST_PAUSE_AT=NAME` SIGSTOPs it there (a test resumes
///   it with SIGCONT; Tests/JobsTests/PublishKillTests.swift).
/// Points: `after_database` (the run's cases stored, uncommitted), `publish` (every file written, nothing
/// published); the publication's steps `after-build` (the new folder complete and on disk, nothing
/// renamed), `after-aside-rename` (two-rename path only: the old folder moved aside), `after-swap` (the
/// new folder in place), `after-cleanup` (the old one removed); with `--keep` also `before-link` (the
/// new `current` link made under a temporary name), `after-link` (renamed over `current`) and `after-prune`.
public enum TestPoint {
    public static func reached(_ name: String) throws {
        let environment = ProcessInfo.processInfo.environment
        if environment["RISKMAP_TEST_KILL_AT"] == name || environment["RISKMAP_FAIL_AT"] == name + ":kill" {
            kill(getpid(), SIGKILL)
        }
        if environment["RISKMAP_TEST_PAUSE_AT"] == name { kill(getpid(), SIGSTOP) }
        if environment["RISKMAP_FAIL_AT"] == name { throw InjectedFailure(point: name) }
    }

    struct InjectedFailure: Error, CustomStringConvertible {
        var point: String
        var description: String { "failure injected at '\(point)' (RISKMAP_FAIL_AT)" }
    }
}
