import Foundation

extension OutputMarker {
    /// The marker's JSON, one line: `{"format":1,"tile_state":"fnv1a64:…","tool":"riskmap"}`
    /// (`tile_state` only when the folder has a tile state). Written by `OutputFolder.publish`, read by
    /// every run and merge that may replace or build on the folder.
    struct Document: Codable, Equatable {
        var tool = "riskmap"
        var format: Int
        var tileState: String?
        enum CodingKeys: String, CodingKey { case tool, format, tileState = "tile_state" }

        func jsonText() -> String { DocumentJSON.text(self, escapingSlashes: true) + "\n" }
    }
}
