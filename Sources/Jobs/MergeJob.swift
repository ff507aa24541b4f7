import Foundation
import Output

/// Combines the output folders of `riskmap run --shard K/N` into one: the tiles of every shard, and
/// the documents (GeoJSON, report, viewer ...) that every shard writes alike, taken from the first.
public struct MergeJob {
    public var shards: [URL]
    public var out: URL
    public init(shards: [URL], out: URL) { self.shards = shards; self.out = out }

    /// Files every shard writes with the same content; a difference means the shards did not run on
    /// the same input and stops the merge.
    static let sharedDocuments = ["streets.geojson", "communities.geojson", "posts.geojson", "cases.geojson",
                                  "rejects.csv", "tiles.json", "legend.json"]

    public func run() throws -> (tiles: Int, seconds: Double) {
        let started = Date()
        let fm = FileManager.default
        let roots = try shards.map(resolve)
        for name in Self.sharedDocuments {
            let first = fm.contents(atPath: roots[0].appendingPathComponent(name).path)
            for root in roots.dropFirst() where fm.contents(atPath: root.appendingPathComponent(name).path) != first {
                throw MergeError("\(root.path)/\(name) differs from \(roots[0].path)/\(name): the shards were not run on the same input")
            }
        }
        let folder = try OutputFolder(destination: out)
        try copyTree(roots[0], into: folder.staging, skipping: "tiles")
        var tiles = 0
        for root in roots {
            tiles += try copyTiles(from: root.appendingPathComponent("tiles"), to: folder.url("tiles"))
        }
        try folder.publish()
        return (tiles, Date().timeIntervalSince(started))
    }

    /// A shard folder, or the day its `current` link names.
    func resolve(_ url: URL) throws -> URL {
        let current = url.appendingPathComponent("current")
        let root = FileManager.default.fileExists(atPath: current.path) ? current.resolvingSymlinksInPath() : url
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("report.json").path) else {
            throw MergeError("\(url.path): not a riskmap output folder (no report.json)")
        }
        return root
    }

    private func copyTree(_ from: URL, into to: URL, skipping: String) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: from.path) where name != skipping && !name.hasPrefix(".") {
            try fm.copyItem(at: from.appendingPathComponent(name), to: to.appendingPathComponent(name))
        }
    }

    /// Copies every `layer/z/x/y.png`; the same tile from two shards must be the same bytes.
    private func copyTiles(from: URL, to: URL) throws -> Int {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: from.path) else { return 0 }
        var count = 0
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".png") else { continue }
            let source = from.appendingPathComponent(relative), target = to.appendingPathComponent(relative)
            if fm.fileExists(atPath: target.path) {
                guard fm.contentsEqual(atPath: source.path, andPath: target.path) else {
                    throw MergeError("tile \(relative) differs between shards")
                }
                continue
            }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: source, to: target)
            count += 1
        }
        return count
    }
}

public struct MergeError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
