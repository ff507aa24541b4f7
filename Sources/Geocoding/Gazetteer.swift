import Foundation
import Geometry
import Input
import Model
import Projection

/// What a named place is. Zone kinds come from the boundary files, the others from `gazetteer.csv`.
public enum PlaceKind: String, Sendable, Codable, CaseIterable {
    case street, community, post, road, door, estate, building, poi

    var isZone: Bool { self == .street || self == .community || self == .post }
}

/// One row of `gazetteer.csv`, its point in WGS84.
public struct GazetteerEntry: Sendable, Hashable {
    public var name: String
    public var kind: PlaceKind
    public var point: Coordinate
    public var line: Int
    public init(name: String, kind: PlaceKind, point: Coordinate, line: Int = 0) {
        self.name = name; self.kind = kind; self.point = point; self.line = line
    }
}

/// `gazetteer.csv`: `name,kind,lon,lat[,crs]`, UTF-8 or GB18030. A row with a bad coordinate is skipped
/// with a warning naming its line (one bad row should not stop the daily run); a file that is not a
/// CSV with those columns stops the run, since every address-only case would then fail.
public struct Gazetteer: Sendable {
    public var entries: [GazetteerEntry]
    public var warnings: [String]

    public init(entries: [GazetteerEntry], warnings: [String] = []) {
        self.entries = entries; self.warnings = warnings
    }

    public static func read(url: URL, displayName: String? = nil) throws -> Gazetteer {
        let file = displayName ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(file: file, "cannot read the gazetteer: \(error.localizedDescription)")
        }
        let text = try TextDecoding.decode(data, file: file)
        let rows = CSVReader.rows(in: text)
        guard let header = rows.first, let columns = Columns(header.fields) else {
            let first = rows.first?.fields.joined(separator: ",").prefix(60) ?? ""
            throw InputError(file: file, location: "line 1",
                             "not a gazetteer CSV: expected the header name,kind,lon,lat[,crs], found '\(first)'")
        }
        var gazetteer = Gazetteer(entries: [])
        var transformers: [String: CoordinateTransformer] = [:]
        for row in rows.dropFirst() {
            switch columns.entry(row, transformers: &transformers) {
            case .success(let e): gazetteer.entries.append(e)
            case .failure(let problem): gazetteer.warnings.append("\(file): line \(row.line): \(problem.text): row skipped")
            }
        }
        return gazetteer
    }

    struct Problem: Error { var text: String }

    /// Where each field is, found by header name.
    struct Columns {
        var name: Int, kind: Int?, lon: Int, lat: Int, crs: Int?

        init?(_ header: [String]) {
            let h = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            func col(_ names: String...) -> Int? { h.firstIndex { names.contains($0) } }
            guard let name = col("name", "名称"), let lon = col("lon", "lng", "经度"), let lat = col("lat", "纬度")
            else { return nil }
            self.name = name; self.lon = lon; self.lat = lat
            kind = col("kind", "类型"); crs = col("crs", "坐标系")
        }

        func entry(_ row: CSVRow, transformers: inout [String: CoordinateTransformer])
            -> Result<GazetteerEntry, Problem>
        {
            func field(_ i: Int?) -> String {
                guard let i, i < row.fields.count else { return "" }
                return row.fields[i].trimmingCharacters(in: .whitespaces)
            }
            let name = field(name)
            guard !name.isEmpty else { return .failure(Problem(text: "empty name")) }
            guard let x = Double(field(lon)), let y = Double(field(lat)), x.isFinite, y.isFinite,
                  abs(x) <= 180, abs(y) <= 90 else {
                return .failure(Problem(text: "bad coordinate '\(field(lon)),\(field(lat))' for '\(name)'"))
            }
            var point = Coordinate(x, y)
            let crsText = field(crs)
            if !crsText.isEmpty, crsText.lowercased() != "wgs84" {
                do {
                    if transformers[crsText] == nil {
                        transformers[crsText] = try CoordinateTransformer(from: try CRS(parsing: crsText))
                    }
                    guard let p = transformers[crsText]?.transform(point), p.isFinite, abs(p.x) <= 180, abs(p.y) <= 90 else {
                        return .failure(Problem(text: "bad coordinate '\(x),\(y)' in \(crsText) for '\(name)'"))
                    }
                    point = p
                } catch {
                    return .failure(Problem(text: "unknown coordinate system '\(crsText)'"))
                }
            }
            let kind = PlaceKind(rawValue: field(self.kind).lowercased()).flatMap { $0.isZone ? nil : $0 } ?? .poi
            return .success(GazetteerEntry(name: name, kind: kind, point: point, line: row.line))
        }
    }
}
