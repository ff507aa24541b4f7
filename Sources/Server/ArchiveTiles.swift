import Archives
import Foundation
import Rendering
import Synchronization

/// The tiles of layers a run wrote only into archives (`run --tiles pmtiles|mbtiles`):
/// `NAME/{layer}.pmtiles` or `NAME/{layer}.mbtiles` beside where `NAME/{layer}/` would be. Each archive
/// is opened (memory-mapped, read-only) once per folder snapshot and kept while its file stays the same
/// (`FileID`); a new snapshot drops the archives of the old one.
final class ArchiveTiles: Sendable {
    private struct Opened: Sendable {
        var file: FileID
        var reader: any TileArchiveReader
    }
    private struct State: Sendable {
        var snapshot: FileID?
        var opened: [String: Opened] = [:]
    }
    private let state = Mutex(State())

    /// The archive of `layer` in `pyramid` with its file's identity, nil when the folder has none. A
    /// PMTiles archive wins over an MBTiles one. An archive whose real path leaves the folder is not
    /// one (as for files, see `FileCache`).
    func archive(pyramid: String, layer: String, root: Snapshot) throws -> (reader: any TileArchiveReader, file: FileID)? {
        for kind in [TileArchiveKind.pmtiles, .mbtiles] {
            let path = root.path + "/" + pyramid + "/" + layer + "." + kind.fileExtension
            guard let id = FileID.of(path), id.isRegular else { continue }
            if let hit = cached(path, root: root), hit.file == id { return (hit.reader, id) }
            guard let real = realPath(path), real.hasPrefix(root.path + "/") else { continue }
            let reader = try openTileArchive(URL(fileURLWithPath: real))
            state.withLock { s in
                if s.snapshot != root.id { s = State(snapshot: root.id) }
                s.opened[path] = Opened(file: id, reader: reader)
            }
            return (reader, id)
        }
        return nil
    }

    private func cached(_ path: String, root: Snapshot) -> Opened? {
        state.withLock { s in s.snapshot == root.id ? s.opened[path] : nil }
    }
}

extension TileAddress {
    var tileID: TileID { TileID(z: z, x: x, y: y) }
}
