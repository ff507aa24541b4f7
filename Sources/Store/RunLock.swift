import Foundation
import Input

/// One `riskmap run` at a time per case database.
///
/// SQLite alone would keep the file consistent (WAL, IMMEDIATE transactions, busy timeout), but a daily
/// run reads what the previous runs stored and then stores its own: two runs interleaving those steps
/// would each score without the other's cases. So a run takes an exclusive `flock` on `FILE.lock`
/// for its whole length; a second run says whom it waits for, then waits. The kernel drops the
/// lock when its process ends, however it ends, so a killed run never leaves the database locked.
public final class RunLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the database at `url`, waiting for the run that holds it; `waiting` gets one
    /// message when it has to wait.
    public init(database url: URL, waiting: (String) -> Void) throws {
        let path = url.path + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InputError(file: path, "cannot open the database's lock file: \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            waiting("another riskmap run is using the case database \(url.path)\(holder.map { $0.isEmpty ? "" : " (pid \($0))" } ?? ""); "
                    + "waiting for it to finish")
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(descriptor)
                    throw InputError(file: path, "cannot lock the database: \(String(cString: strerror(errno)))")
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
