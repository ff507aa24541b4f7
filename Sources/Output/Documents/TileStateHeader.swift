import Foundation
import Model

/// The JSON header of the incremental tile state file (`.riskmap-tiles.state`, see Tiles/TileState.swift):
/// what changes every tile at once, and each zone layer's fill colours. The heat points and the density
/// that follow it are binary.
public struct TileStateHeader: Codable, Equatable, Sendable {
    /// Style, boundary files, zooms, tile size, shard and the drawing code's version, in one string.
    public var fingerprint: String
    /// Zone layer → the fill colour of every zone, in the boundaries' order.
    public var fills: [String: [String]]

    public init(fingerprint: String, fills: [String: [String]]) { self.fingerprint = fingerprint; self.fills = fills }

    /// One line, keys sorted, `/` escaped (as the state files of earlier versions, which the digest in
    /// the output marker covers).
    public func jsonData() -> Data { Data(DocumentJSON.text(self, escapingSlashes: true).utf8) }
}
