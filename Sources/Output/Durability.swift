import Foundation
import Support

/// What makes a publication survive a kill or a power cut: files and folders on disk before the
/// rename that publishes them, the rename itself on disk after, and an exchange of two names in one
/// step where the kernel offers it.
enum Durability {
    /// fsync(2) of every file and folder under `root`, then of `root`: a rename is only as durable as
    /// what it renames (a big tree: one syncfs instead, see `wholeFileSystemAbove`). Files before
    /// their folders, eight at a time on threads of their own (each waits on the disk, not a core; the
    /// file system commits concurrent flushes together): 0.15 s for the 690 files and folders of the
    /// demo at zooms 10–15, against 3 s one by one.
    /// `skipping`: files already flushed in the background (`DurabilityQueue`), left out when they are
    /// still as they were then (see `FileState`). A file of several names (hard links: the tiles of one
    /// flat colour) is flushed once — fsync acts on the file, whatever name opened it; the names are
    /// their folders' entries, flushed with the folders. Returns the files it flushed.
    @discardableResult
    static func syncTree(_ root: URL, skipping flushed: [String: FileState] = [:]) throws -> [String] {
        let tree = Tree(root.path)
        var files: [String] = []
        var inodes = Set<UInt64>()
        for (path, inode) in tree.files {
            if let before = flushed[path], FileState(path: path) == before { continue }
            // One device: hard links never cross file systems, and the walk does not either (see Tree).
            if !inodes.insert(inode).inserted { continue }
            files.append(path)
        }
        if flushesWholeFileSystem(entries: files.count + tree.folders.count), try syncFileSystem(of: root) { return files }
        try syncAll(files)
        try syncAll(tree.folders.reversed() + [root.path])
        return files
    }

    /// The regular files (with their inode numbers) and folders under a folder, parents before their
    /// children, by readdir(3): the type and inode come with each entry, no stat per file —
    /// FileManager's enumerator took 0.1 s of a core over the demo's 5,786 tiles. Symbolic links are
    /// neither followed nor listed; folders on another file system (mount points) are not entered.
    struct Tree {
        var files: [(path: String, inode: UInt64)] = []
        var folders: [String] = []

        init(_ root: String) {
            var rootInfo = stat()
            guard lstat(root, &rootInfo) == 0 else { return }
            var pending = [root]
            while let folder = pending.popLast() {
                guard let dir = opendir(folder) else { continue }
                defer { closedir(dir) }
                while let entry = readdir(dir) {
                    let name = withUnsafePointer(to: &entry.pointee.d_name) {
                        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                    }
                    if name == "." || name == ".." { continue }
                    let path = folder + "/" + name
                    var inode = UInt64(entry.pointee.d_ino)
                    let type = Int32(entry.pointee.d_type)
                    if type == Int32(DT_DIR) || type == Int32(DT_UNKNOWN) {
                        // Folders are looked at (their device); so is what a file system without
                        // d_type does not name.
                        var info = stat()
                        guard lstat(path, &info) == 0 else { continue }
                        let mode = info.st_mode & S_IFMT
                        if mode == S_IFDIR {
                            guard info.st_dev == rootInfo.st_dev else { continue }
                            folders.append(path)
                            pending.append(path)
                            continue
                        }
                        guard mode == S_IFREG else { continue }
                        inode = UInt64(info.st_ino)
                    } else if type != Int32(DT_REG) {
                        continue
                    }
                    files.append((path, inode))
                }
            }
        }
    }

    /// Above this many files and folders, `syncTree` flushes the whole file system in one call instead
    /// of one fsync each. Measured on the demo's 5,786 files (ext4, zooms 10–17): 0.07 s for syncfs
    /// against 0.7 s for the fsyncs, eight at a time — each fsync writes its file's inode block and
    /// waits for it, where one syncfs writes each block of inodes once. Below it, the fsyncs: syncfs also
    /// waits for whatever else is dirty on that file system, which a small output should not.
    static let wholeFileSystemAbove = 256

    static func flushesWholeFileSystem(entries: Int) -> Bool { entries > wholeFileSystemAbove }

    /// syncfs(2) of the file system holding `path`: every dirty file and folder on it, ours among them,
    /// on disk when it returns (and its writeback errors reported, Linux ≥ 5.8). false where there is no
    /// syncfs (the caller flushes file by file). Glibc declares it only for _GNU_SOURCE: looked up by name.
    static func syncFileSystem(of path: URL) throws -> Bool {
        #if os(Linux)
        typealias SyncFS = @convention(c) (Int32) -> Int32
        guard let symbol = dlsym(nil, "syncfs") else { return false }
        let fd = open(path.path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard fd >= 0 else { throw OutputError(file: path.path, "cannot open to flush it to disk: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0 { return true }
        if errno == ENOSYS { return false }
        throw OutputError(file: path.path, "cannot flush its file system to disk: \(String(cString: strerror(errno)))")
        #else
        return false
        #endif
    }

    /// fsync(2) of one file or folder (a folder's entries: the renames and new names in it).
    static func sync(_ path: String) throws {
        _ = try sync(path, recording: false)
    }

    /// fsync(2) of `path`; with `recording`, the state of the file as it was just before (what the
    /// flush made durable at the least).
    static func sync(_ path: String, recording: Bool) throws -> FileState? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw OutputError(file: path, "cannot open to flush it to disk: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var state: FileState?
        if recording {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw OutputError(file: path, "cannot read its state: \(String(cString: strerror(errno)))") }
            state = FileState(info)
        }
        // EINVAL: a file system that cannot sync this kind of file (nothing to wait for).
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw OutputError(file: path, "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
        return state
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

    /// What tells that a file is the one flushed before, unchanged: the same inode, link count (a hard
    /// link made since changes it), size and modification and change times.
    struct FileState: Equatable, Sendable {
        var device: UInt64, inode: UInt64, links: UInt64, size: Int64
        var modified: [Int], changed: [Int]

        init(_ info: stat) {
            device = UInt64(info.st_dev); inode = UInt64(info.st_ino); links = UInt64(info.st_nlink)
            size = Int64(info.st_size)
            modified = [info.st_mtim.tv_sec, info.st_mtim.tv_nsec].map { Int($0) }
            changed = [info.st_ctim.tv_sec, info.st_ctim.tv_nsec].map { Int($0) }
        }

        /// The state of the file at `path` now; nil when it cannot be read.
        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            self.init(info)
        }
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

/// Files flushed to disk while the run goes on, so that the publish does not wait for them at the
/// end: a writer hands over a file once it is complete (`add`), a few threads flush them, and `finish`
/// waits for them and says which files were flushed (with their state, see `Durability.FileState`), so
/// that `OutputFolder.publish` flushes only the others — every file it publishes is on disk before the
/// rename, as before.
///
/// Why: an fsync is a wait on the disk, not work for a core; a big streamed document or a layer's
/// archive flushed here overlaps the drawing. (Not the tile files: thousands of fsyncs while the next
/// tiles are created made the demo's folder run slower, see `TileSink`.) A file changed after its
/// flush (written again, hard-linked) no longer matches its recorded state and is flushed again at the
/// publish. A failed flush fails the publish.
public final class DurabilityQueue: @unchecked Sendable {
    /// Threads that flush: each mostly waits on the disk; the file system commits concurrent flushes together.
    static let workers = 4
    private let lock = NSCondition()
    // Guarded by `lock`.
    private var pending: [String] = []
    private var flushed: [String: Durability.FileState] = [:]
    private var failure: (any Error)?
    private var started = false, closed = false
    private let done = DispatchGroup()

    public init() {}

    /// Flushes the complete file at `path` in the background. The writer must not change it afterwards
    /// (if it does, the publish flushes it again).
    public func add(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        pending.append(path)
        if !started { started = true; startWorkers() } else { lock.signal() }
    }

    /// Waits for every file handed over; returns the flushed files and their state, or throws the first
    /// failure. Nothing is taken afterwards.
    func finish() throws -> [String: Durability.FileState] {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        return flushed
    }

    /// Drops what is not flushed yet and waits for the flushes under way (a failed run).
    func cancel() {
        lock.lock()
        closed = true
        pending.removeAll()
        lock.broadcast()
        lock.unlock()
        done.wait()
    }

    private func startWorkers() {
        for _ in 0..<Self.workers {
            done.enter()
            Thread { [self] in
                defer { done.leave() }
                while let path = next() {
                    do {
                        let state = try Durability.sync(path, recording: true)
                        lock.lock(); flushed[path] = state; lock.unlock()
                    } catch {
                        lock.lock(); failure = failure ?? error; pending.removeAll(); lock.unlock()
                    }
                }
            }.start()
        }
    }

    /// The next file to flush; nil once the queue is closed and empty.
    private func next() -> String? {
        lock.lock()
        defer { lock.unlock() }
        while pending.isEmpty && !closed { lock.wait() }
        return pending.popLast()
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
