import Foundation
@testable import Output
import TestSupport
import Testing

/// Files flushed to disk while the run goes on (`DurabilityQueue`, issue 16): the publish flushes only
/// what the queue did not, or what changed since; a failed flush fails the publish and leaves the
/// previous output as it was.
@Suite struct DurabilityQueueTests {
    private func file(_ folder: URL, _ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func filesFlushedInTheBackgroundAreNotFlushedAgain() throws {
        let root = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let queue = DurabilityQueue()
        var queued: [String] = []
        for i in 0..<40 { queued.append(try file(root, "tiles/\(i % 4)/\(i).png", "tile \(i)")) }
        queued.forEach(queue.add)
        let other = try file(root, "report.json", "{}")
        let flushed = try queue.finish()
        #expect(Set(flushed.keys) == Set(queued))
        #expect(try Durability.syncTree(root, skipping: flushed) == [other])
    }

    @Test func aFileChangedAfterItsFlushIsFlushedAgain() throws {
        let root = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let queue = DurabilityQueue()
        let appended = try file(root, "a.png", "a"), linked = try file(root, "b.png", "b"), kept = try file(root, "c.png", "c")
        [appended, linked, kept].forEach(queue.add)
        let flushed = try queue.finish()
        let handle = try #require(FileHandle(forWritingAtPath: appended))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("more".utf8))
        try handle.close()
        #expect(link(linked, root.appendingPathComponent("b2.png").path) == 0)
        let again = try Durability.syncTree(root, skipping: flushed)
        #expect(again.contains(appended))
        // b.png and its new name b2.png are one file: flushed once, under either name.
        #expect(again.count == 2 && !again.contains(kept))
    }

    @Test func aFileOfManyNamesIsFlushedOnce() throws {
        let root = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try file(root, "10/1/1.png", "flat")
        for y in 2...5 {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("10/\(y)"), withIntermediateDirectories: true)
            #expect(link(first, root.appendingPathComponent("10/\(y)/\(y).png").path) == 0)
        }
        #expect(try Durability.syncTree(root).count == 1)
    }

    @Test func aFailedBackgroundFlushFailsThePublishAndKeepsThePreviousOutput() throws {
        let root = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out")
        let first = try OutputFolder(destination: out)
        try first.write("old", to: "zones.geojson")
        try first.publish()

        let second = try OutputFolder(destination: out)
        try second.write("new", to: "zones.geojson")
        // A file the queue cannot open to flush (here: gone before its flush) stands for a disk error.
        second.durability.add(second.url("tiles/heat/10/1/1.png").path)
        #expect(throws: OutputError.self) { try second.publish() }
        #expect(try String(contentsOf: out.appendingPathComponent("zones.geojson"), encoding: .utf8) == "old")
    }

    /// A big tree (the demo's 5,786 tiles) is flushed with one syncfs, a small one file by file; either
    /// way syncTree names every file it made durable, each file of several names once.
    @Test func aBigTreeIsFlushedAsAWholeFileSystem() throws {
        #expect(!Durability.flushesWholeFileSystem(entries: Durability.wholeFileSystemAbove))
        #expect(Durability.flushesWholeFileSystem(entries: Durability.wholeFileSystemAbove + 1))
        let root = try Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var made: [String] = []
        for i in 0..<300 { made.append(try file(root, "tiles/\(i % 7)/\(i).png", "tile \(i)")) }
        let flat = root.appendingPathComponent("tiles/0/flat.png").path
        #expect(link(made[0], flat) == 0)
        #if os(Linux)
        #expect(try Durability.syncFileSystem(of: root))
        #endif
        // made[0] and flat.png are one file, named once (by whichever name the walk met first).
        let flushed = Set(try Durability.syncTree(root))
        #expect(flushed.count == made.count)
        #expect(flushed.subtracting(made).isSubset(of: [flat]))
        #expect(Set(made).subtracting(flushed).isSubset(of: [made[0]]))
        #expect(throws: OutputError.self) { try Durability.syncFileSystem(of: root.appendingPathComponent("missing")) }
    }
}
