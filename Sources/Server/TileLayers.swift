import Foundation
import Output

/// A tile pyramid of the output folder: the TileJSON `NAME.json` at the folder's root and the tiles
/// under `NAME/{layer}/{z}/{x}/{y}.png` — `tiles` (WGS-84) and, with `run --publish-crs gcj02`,
/// `tiles-gcj02`. Served alike: `/NAME.json`, `/NAME/{layer}.json` and the tiles.
enum TilePyramid {
    static let names = ["tiles", "tiles-gcj02"]
}

/// The layers one pyramid's TileJSON lists. Tile requests are checked against them: an unknown layer
/// is 404, a well-formed tile of a known layer without a file is 204 (no data there).
struct TileLayers: Sendable {
    struct Layer: Sendable { var minZoom: Int; var maxZoom: Int }
    var layers: [String: Layer]
    /// The document as the run wrote it (relative tile URLs).
    var document: TileJSON

    static func load(from root: Snapshot, pyramid: String = "tiles") throws(APIError) -> TileLayers {
        let url = root.url.appendingPathComponent(pyramid + ".json")
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
        return TileLayers(layers: layers, document: doc)
    }

    /// The TileJSON as served: every tile URL absolute under `base` (TileJSON 3.0 §3.2: endpoints MUST
    /// be absolute), the whole document (`layer` nil, with its `layers`) or one layer's.
    func served(base: String, layer: String?) throws(APIError) -> TileJSON {
        var doc: TileJSON
        if let layer {
            guard let one = document.layerList.first(where: { $0.id == layer }) else {
                throw APIError.notFound("no tile layer '\(layer)' in this pyramid's TileJSON")
            }
            // A complete document on its own: what the layer leaves out, the top level says.
            doc = one
            doc.layers = nil
            doc.tilejson = one.tilejson ?? document.tilejson
            doc.scheme = one.scheme ?? document.scheme
            doc.bounds = one.bounds ?? document.bounds
            doc.attribution = one.attribution ?? document.attribution
            doc.tileSize = one.tileSize ?? document.tileSize
        } else {
            doc = document
            doc.layers = doc.layers?.map { Self.absolute($0, base: base) }
        }
        // The URLs made absolute are what TileJSON 3.0 asks for: say so when the file did not.
        doc.tilejson = doc.tilejson ?? "3.0.0"
        return Self.absolute(doc, base: base)
    }

    static func absolute(_ doc: TileJSON, base: String) -> TileJSON {
        var d = doc
        d.tiles = d.tiles.map { absoluteURL($0, base: base) }
        return d
    }

    /// A URL relative to the folder's root (where the TileJSON is), made absolute; one already
    /// absolute is kept.
    static func absoluteURL(_ url: String, base: String) -> String {
        if url.hasPrefix("http://") || url.hasPrefix("https://") { return url }
        var relative = Substring(url)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        while relative.hasPrefix("/") { relative = relative.dropFirst() }
        return base + relative
    }
}

/// `NAME/{layer}/{z}/{x}/{y}.png`, parsed from the path's segments.
struct TileAddress: Equatable {
    var pyramid: String
    var layer: String
    var z: Int
    var x: Int
    var y: Int

    /// nil: not a tile URL at all. Throws: a tile URL with impossible numbers (400).
    static func parse(_ s: [String]) throws(APIError) -> TileAddress? {
        guard s.count == 5, TilePyramid.names.contains(s[0]), s[4].hasSuffix(".png") else { return nil }
        let yText = String(s[4].dropLast(4))
        guard let z = number(s[2]), (0...30).contains(z) else { throw .badRequest("tile zoom must be an integer 0...30, got '\(s[2])'") }
        let n = 1 << z
        guard let x = number(s[3]), x < n else { throw .badRequest("tile x must be an integer 0...\(n - 1) at zoom \(z), got '\(s[3])'") }
        guard let y = number(yText), y < n else { throw .badRequest("tile y must be an integer 0...\(n - 1) at zoom \(z), got '\(yText)'") }
        return TileAddress(pyramid: s[0], layer: s[1], z: z, x: x, y: y)
    }

    /// Plain decimal digits only: no sign, no spaces, at most 10 digits.
    static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 10, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }

    var path: String { "\(pyramid)/\(layer)/\(z)/\(x)/\(y).png" }
}
