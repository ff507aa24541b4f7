import Foundation
import Support
import Output
import Model

/// Checks that `out` (and the archive paths) may be written, takes the output's lock — waiting, and
/// saying so, while another run writes it — and opens the staging folder, which recovers what a
/// killed run left. Used by `run` and `merge`.
public func claimOutput(_ out: URL, history: (day: String, keep: Int)?, archives: (mbtiles: URL?, pmtiles: URL?),
                 force: Bool, marked: Bool = true, pyramids: [PublishedCRS] = [.wgs84]) throws -> (RunLock, OutputFolder) {
    try OutputFolder.check(destination: out, history: history, force: force)
    try ArchiveJob.checkPaths(mbtiles: archives.mbtiles, pmtiles: archives.pmtiles, force: force, pyramids: pyramids)
    try FileManager.default.createDirectory(at: out.standardizedFileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    let lock = try RunLock(lockFile: OutputFolder.lockFile(for: out), guarding: "the output folder \(out.path)",
                           waiting: sayWaiting)
    return (lock, try OutputFolder(destination: out, history: history, force: force, marked: marked))
}

/// A lock's message that the run waits for another.
public func sayWaiting(_ message: String) {
    FileHandle.standardError.write(Data("riskmap: \(message)\n".utf8))
}
