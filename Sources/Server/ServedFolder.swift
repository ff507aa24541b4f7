import Foundation

/// The output folder being served. With daily history (`--keep`), `DIR/current` is a symlink to the
/// newest complete day folder and is followed anew on every request, so a run that moves the link is
/// picked up at once; without it `DIR` itself is served (a run replaces it by renaming).
public final class ServedFolder: @unchecked Sendable {
    /// Files a complete output folder has; without them the viewer or the API cannot work.
    public static let requiredFiles = ["index.html", "tiles.json", "legend.json", "report.json",
                                       "streets.geojson", "communities.geojson", "posts.geojson"]

    public let base: URL
    private let lock = NSLock()
    private var resolved: (id: FileID, path: String)?
    /// `current` was seen: the base folder is a history root, never to be served itself.
    private var history = false

    public init(_ base: URL) { self.base = base.standardizedFileURL }

    /// Checked once at start-up: a missing or incomplete folder is a clear error (exit 1) rather than
    /// a stream of 404s later.
    public func validate() throws(APIError) {
        let root = try snapshot()
        let fm = FileManager.default
        let missing = Self.requiredFiles.filter { !fm.fileExists(atPath: root.path + "/" + $0) }
        var isDir: ObjCBool = false
        let tiles = fm.fileExists(atPath: root.path + "/tiles", isDirectory: &isDir) && isDir.boolValue
        guard missing.isEmpty && tiles else {
            let what = missing + (tiles ? [] : ["tiles/"])
            throw .notFound("\(root.path) is not a complete riskmap output folder: missing \(what.joined(separator: ", ")) (run `riskmap run --out \(base.path)` first)")
        }
        _ = try TileLayers.load(from: root)
    }

    /// The folder to answer this request from. One or two `stat` calls; the real path is only
    /// recomputed when the folder's identity changes (a new day folder or a replaced output folder).
    ///
    /// A `current` link that names nothing (a run publishing on a file system that cannot exchange two
    /// folders in one step, or killed while it did) is a 503: the history folder above the days is
    /// never served in its place — it would answer every day's files, `rejects.csv` included. Nor is
    /// it once `current` has been seen and is gone.
    public func snapshot() throws(APIError) -> Snapshot {
        let current = base.path + "/current"
        var target: (String, FileID)?
        if isSymlink(current) {
            guard let id = FileID.of(current), id.isDirectory else {
                lock.withLock { history = true }
                throw APIError(.serviceUnavailable, "\(current) names a day folder that is not there (a run is publishing, "
                               + "or was killed while publishing: the next `riskmap run --keep` repairs it); try again shortly")
            }
            target = (current, id)
        } else {
            target = FileID.of(current).map { (current, $0) }
        }
        if target == nil, lock.withLock({ history }) {
            throw APIError(.serviceUnavailable, "\(current) is gone: \(base.path) holds daily history and is not served itself")
        }
        guard let (path, id) = target ?? FileID.of(base.path).map({ (base.path, $0) }), id.isDirectory else {
            throw APIError(.serviceUnavailable, "output folder \(base.path) does not exist (or is being replaced)")
        }
        lock.lock()
        defer { lock.unlock() }
        if path == current { history = true }
        if let r = resolved, r.id == id { return Snapshot(path: r.path, id: id) }
        guard let real = realPath(path) else {
            throw APIError(.serviceUnavailable, "output folder \(path) cannot be resolved")
        }
        resolved = (id, real)
        return Snapshot(path: real, id: id)
    }
}

/// One version of the served folder: its real path and identity. Caches of things computed from the
/// folder (parsed zones, API answers) are keyed by `id`, so they lapse when the folder is replaced.
public struct Snapshot: Sendable, Hashable {
    public var path: String
    public var id: FileID
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }
}

/// What `stat` says identifies one version of a file: same device, inode, size and modification time.
public struct FileID: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtime: Int64
    var mtimeNanos: Int64
    var isDirectory: Bool
    var isRegular: Bool

    static func of(_ path: String) -> FileID? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                      mtime: Int64(st.st_mtim.tv_sec), mtimeNanos: Int64(st.st_mtim.tv_nsec),
                      isDirectory: (st.st_mode & S_IFMT) == S_IFDIR, isRegular: (st.st_mode & S_IFMT) == S_IFREG)
    }
}

/// Whether `path` itself (not what it names) is a symbolic link.
func isSymlink(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
}

/// `realpath(3)`: every symlink followed.
func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}
