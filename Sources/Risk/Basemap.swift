import Foundation
import Model
import TOMLKit

/// The XYZ basemap the viewer (`index.html`) shows under the overlays: the style's optional
/// `[basemap]` table, or `run --basemap-url/--basemap-crs/--basemap-attribution/--basemap-subdomains`
/// (the command line wins key by key). Without one the viewer has no basemap and needs no network.
///
/// `crs` says which datum the basemap's tiles are drawn in, and so which of riskmap's pyramids lines
/// up with it: `wgs84` (OSM, Tianditu — CGCS2000 differs from WGS-84 by centimetres, so `cgcs2000` is
/// read as `wgs84`) shows `tiles/` and the plain GeoJSON; `gcj02` (Amap, Tencent) shows `tiles-gcj02/`
/// and `*.gcj02.geojson`, and implies `--publish-crs gcj02`. Baidu's BD-09 tiles use Baidu's own tile
/// grid, which no XYZ layer reproduces: `bd09` is refused (use `*.bd09.geojson` with Baidu's JS API).
public struct Basemap: Sendable, Equatable {
    public enum Datum: String, Sendable, CaseIterable {
        case wgs84, gcj02

        /// `wgs84`, `cgcs2000` (= wgs84) or `gcj02`, any case; nil otherwise.
        public init?(naming text: String) {
            switch text.lowercased() {
            case "wgs84", "cgcs2000": self = .wgs84
            case "gcj02": self = .gcj02
            default: return nil
            }
        }

        /// The coordinate system riskmap publishes for this basemap.
        public var published: PublishedCRS { self == .gcj02 ? .gcj02 : .wgs84 }

        /// Why a name is not a basemap datum, for the error.
        public static func problem(_ text: String) -> String {
            let why = text.lowercased() == "bd09"
                ? "Baidu's BD-09 tiles use Baidu's own tile grid, not the XYZ one; use *.bd09.geojson with Baidu's JS API"
                : "use wgs84 (OSM, Tianditu; cgcs2000 is read as wgs84) or gcj02 (Amap, Tencent)"
            return "'\(text)' is not a basemap coordinate system: \(why)"
        }
    }

    /// The tile URL template, with `{z}`, `{x}` and `{y}` (or `{-y}`), and `{s}` for a subdomain.
    public var url: String
    public var datum: Datum
    /// Shown in the map's corner: the basemap's licence usually requires it.
    public var attribution: String
    /// Values of `{s}` (e.g. `["a", "b", "c"]`, Tianditu's `t0`...`t7`); empty: none.
    public var subdomains: [String]

    public init(url: String, datum: Datum = .wgs84, attribution: String = "", subdomains: [String] = []) {
        self.url = url; self.datum = datum; self.attribution = attribution; self.subdomains = subdomains
    }

    /// What is wrong with a URL template, or nil: it must name the tile's zoom, column and row.
    public static func problem(url: String) -> String? {
        let missing = ["{z}", "{x}"].filter { !url.contains($0) } + (url.contains("{y}") || url.contains("{-y}") ? [] : ["{y}"])
        guard missing.isEmpty else {
            return "'\(url)' is not an XYZ tile URL template: it lacks \(missing.joined(separator: ", "))"
        }
        return nil
    }

    /// Subdomains as Leaflet reads them: a list, or a text whose every character is one (`"abc"`);
    /// a text with commas is split at them (`"t0,t1,t2"`).
    public static func subdomains(_ text: String) -> [String] {
        text.contains(",") ? text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : text.map(String.init)
    }

    /// `[basemap]` of a style: nil when absent; an `InputError` naming the key when wrong.
    init?(table: TOMLTable, file: String) throws {
        guard let value = table["basemap"] else { return nil }
        func error(_ key: String, _ message: String) -> InputError {
            InputError(file: file, location: "key 'basemap\(key.isEmpty ? "" : ".\(key)")'", message)
        }
        guard let t = value.table else { throw error("", "must be a table") }
        for key in t.keys where !["url", "crs", "attribution", "subdomains"].contains(key) {
            throw error(key, "unknown key; [basemap] takes url, crs, attribution and subdomains")
        }
        guard let url = t["url"]?.string else { throw error("url", "missing, or not text: the tile URL template") }
        if let problem = Self.problem(url: url) { throw error("url", problem) }
        var datum = Datum.wgs84
        if let v = t["crs"] {
            guard let text = v.string else { throw error("crs", "must be text: \"wgs84\" or \"gcj02\"") }
            guard let d = Datum(naming: text) else { throw error("crs", Datum.problem(text)) }
            datum = d
        }
        var attribution = ""
        if let v = t["attribution"] {
            guard let text = v.string else { throw error("attribution", "must be text") }
            attribution = text
        }
        var subdomains: [String] = []
        if let v = t["subdomains"] {
            if let text = v.string {
                subdomains = Self.subdomains(text)
            } else if let list = v.array, list.allSatisfy({ $0.string != nil }) {
                subdomains = list.compactMap(\.string)
            } else {
                throw error("subdomains", "must be text (\"abc\") or a list of texts ([\"t0\", \"t1\"])")
            }
        }
        self.init(url: url, datum: datum, attribution: attribution, subdomains: subdomains)
    }
}
