import Foundation
import Model

/// One `riskmap run` at a time per case database, and one writer at a time per output folder.
///
/// SQLite alone would keep the file consistent (WAL, IMMEDIATE transactions, busy timeout), but a daily
/// run reads what the previous runs stored and then stores its own: two runs interleaving those steps
/// would each score without the other's cases. Likewise a run reads the previous output (its tile
/// state and the tiles it keeps) and then replaces it: two runs on one `--out` would publish tiles of
/// each other's. So a run takes an exclusive `flock` on a lock file for its whole length; a second run
/// says whom it waits for, then waits. The kernel drops the lock when its process ends, however it
/// ends, so a killed run never leaves anything locked.
public final class RunLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the database at `url` (`FILE.lock`), waiting for the run that holds it;
    /// `waiting` gets one message when it has to wait.
    public convenience init(database url: URL, waiting: (String) -> Void) throws {
        try self.init(lockFile: url.path + ".lock", guarding: "the case database \(url.path)", waiting: waiting)
    }

    /// Takes the lock at `lockFile`, which guards what `guarding` describes (for the messages).
    public init(lockFile path: String, guarding what: String, waiting: (String) -> Void) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InputError(file: path, "cannot open the lock file of \(what): \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            waiting("another riskmap run is using \(what)\(holder.map { $0.isEmpty ? "" : " (pid \($0))" } ?? ""); "
                    + "waiting for it to finish")
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(descriptor)
                    throw InputError(file: path, "cannot lock \(what): \(String(cString: strerror(errno)))")
                }
            }
        }
        // Who holds it, for the message of the next run that has to wait.
        _ = ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }
}
