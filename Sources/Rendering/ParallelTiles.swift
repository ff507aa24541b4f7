import Support
import Dispatch
import Foundation

/// Renders `ids` on all cores: strided chunks, several per core, each with one worker state (canvas,
/// buffers) made by `makeWorker` and reused for all its tiles, so the load stays balanced. `onTile`
/// receives each tile that has something drawn, possibly from several threads at once; `progress(done,
/// total)` counts all ids. The first error thrown (by `render` or `onTile`) stops the remaining work
/// and is rethrown.
func renderTiles<Worker>(_ ids: [TileID], makeWorker: @Sendable () -> Worker,
                         render: @Sendable (TileID, inout Worker) throws -> [UInt8]?,
                         onTile: @Sendable (TileID, [UInt8]) throws -> Void,
                         progress: (@Sendable (Int, Int) -> Void)?) throws {
    guard !ids.isEmpty else { return }
    let chunks = min(ids.count, ProcessInfo.processInfo.activeProcessorCount * 4)
    let state = ParallelProgress()
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var worker = makeWorker()
        var i = chunk
        while i < ids.count, !state.stopped {
            do {
                if let png = try render(ids[i], &worker) { try onTile(ids[i], png) }
            } catch {
                state.fail(error)
                return
            }
            progress?(state.tick(), ids.count)
            i += chunks
        }
    }
    if let error = state.error { throw error }
}
