import Foundation
import Output

/// The layers `tiles.json` lists. Tile requests are checked against them: an unknown layer is 404, a
/// well-formed tile of a known layer without a file is 204 (no data there).
struct TileLayers: Sendable {
    struct Layer: Sendable { var minZoom: Int; var maxZoom: Int }
    var layers: [String: Layer]

    static func load(from root: Snapshot) throws(APIError) -> TileLayers {
        let url = root.url.appendingPathComponent("tiles.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let doc = try? DocumentJSON.decode(TileJSON.self, from: data) else {
            throw APIError(.internalServerError, "\(url.path): not a readable TileJSON")
        }
        // `layers` holds one TileJSON per layer; a plain TileJSON without it is one layer named by `id`.
        var layers: [String: Layer] = [:]
        for item in doc.layerList {
            guard let id = item.id else { continue }
            layers[id] = Layer(minZoom: item.minzoom ?? 0, maxZoom: item.maxzoom ?? 30)
        }
        guard !layers.isEmpty else { throw APIError(.internalServerError, "\(url.path): no layers with an id") }
        return TileLayers(layers: layers)
    }
}

/// `tiles/{layer}/{z}/{x}/{y}.png`, parsed from the path's segments (after `tiles`).
struct TileAddress: Equatable {
    var layer: String
    var z: Int
    var x: Int
    var y: Int

    /// nil: not a tile URL at all (404). Throws: a tile URL with impossible numbers (400).
    static func parse(_ s: [String]) throws(APIError) -> TileAddress? {
        guard s.count == 5, s[0] == "tiles", s[4].hasSuffix(".png") else { return nil }
        let yText = String(s[4].dropLast(4))
        guard let z = number(s[2]), (0...30).contains(z) else { throw .badRequest("tile zoom must be an integer 0...30, got '\(s[2])'") }
        let n = 1 << z
        guard let x = number(s[3]), x < n else { throw .badRequest("tile x must be an integer 0...\(n - 1) at zoom \(z), got '\(s[3])'") }
        guard let y = number(yText), y < n else { throw .badRequest("tile y must be an integer 0...\(n - 1) at zoom \(z), got '\(yText)'") }
        return TileAddress(layer: s[1], z: z, x: x, y: y)
    }

    /// Plain decimal digits only: no sign, no spaces, at most 10 digits.
    static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 10, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }

    var path: String { "tiles/\(layer)/\(z)/\(x)/\(y).png" }
}
