import Foundation
import Support
import Geometry
import Model
import Output
import Rendering
import Archives

/// The archives `--mbtiles FILE` / `--pmtiles FILE` name, one file per layer and pyramid (see
/// `LayerArchives`): checked before a run or merge does any work; written as the tiles come
/// (`TileSink`, `MergeJob`), each put in place when complete.
public enum ArchiveJob {
    /// Every file the archives will be written to is absent or an archive riskmap wrote (else an error
    /// naming it, unless `force`): checked before the run does any work.
    public static func checkPaths(mbtiles: URL?, pmtiles: URL?, force: Bool, pyramids: [PublishedCRS] = [.wgs84]) throws {
        for crs in pyramids where crs.hasTiles {
            for name in MapDocuments.allLayers {
                if let base = mbtiles {
                    try ArchiveIdentity.checkReplaceable(LayerArchives.url(base, layer: name, crs: crs), kind: .mbtiles, option: "--mbtiles",
                                                         force: force)
                }
                if let base = pmtiles {
                    try ArchiveIdentity.checkReplaceable(LayerArchives.url(base, layer: name, crs: crs), kind: .pmtiles, option: "--pmtiles",
                                                         force: force)
                }
            }
        }
    }
}
