import Foundation
import Geometry
import Model
import Projection

/// Cleaning and reading of single cells of a cases file.
public enum CaseCells {
    /// Without surrounding white space, including the full-width space (U+3000), NBSP and a stray BOM
    /// that Excel and hand-edited exports leave behind. Returns the same storage when nothing is trimmed,
    /// so a record's fields and its trimmed values share memory.
    public static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        // Fast path, nearly every cell: neither end is space, so the same string is returned.
        guard let first = scalars.first, let last = scalars.last else { return s }
        if !isSpace(first), !isSpace(last) { return s }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    /// Unicode white space, plus BOM and zero-width space. Written out rather than looked up in the
    /// Unicode property tables, which took a third of the time of reading a large file.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09...0x0D: true
        case 0...0x7F: false
        case 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// NFKC form, so that full-width digits and punctuation (１１４．０５, ２０２６－１１－２３) read as ASCII.
    /// ASCII cells, the vast majority, are returned untouched.
    public static func normalised(_ s: String) -> String {
        s.utf8.allSatisfy { $0 < 0x80 } ? s : s.precomposedStringWithCompatibilityMapping
    }

    /// The ordinary decimal number in a cell; nil for text, `nan`, `inf` and hex forms.
    static func number(_ s: String) -> Double? {
        guard s.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 43 || $0 == 45 || $0 == 101 || $0 == 69 }),
              let v = Double(s), v.isFinite
        else { return nil }
        return v
    }
}

/// The coordinates of one row, after checking.
struct RowCoordinates {
    var coordinate: Coordinate?
    var crs: CRS?
    var problem: RejectReason?
    var detail = ""
}

/// Reads the lon, lat and crs cells of rows; remembers parsed CRS names (one file uses a handful).
struct CoordinateReader {
    let defaultCRS: CRS
    private var crsCache: [String: Result<CRS, CRSError>] = [:]

    init(defaultCRS: CRS) { self.defaultCRS = defaultCRS }

    mutating func read(lon lonCell: String, lat latCell: String, crs crsCell: String) -> RowCoordinates {
        let lonText = CaseCells.normalised(CaseCells.trimmed(lonCell))
        let latText = CaseCells.normalised(CaseCells.trimmed(latCell))
        if lonText.isEmpty && latText.isEmpty { return RowCoordinates() }
        var out = RowCoordinates()
        if let problem = missingHalf(lonText, latText) {
            out.problem = .badCoordinates; out.detail = problem; return out
        }
        guard let lon = CaseCells.number(lonText), let lat = CaseCells.number(latText) else {
            out.problem = .badCoordinates
            out.detail = "coordinates '\(lonText)', '\(latText)' are not numbers"
            return out
        }
        // 0,0 is what many exports write for "no coordinates"; it is in the Gulf of Guinea, never a case.
        if lon == 0 && lat == 0 { return RowCoordinates() }
        return checked(Coordinate(lon, lat), crsCell: crsCell)
    }

    private func missingHalf(_ lon: String, _ lat: String) -> String? {
        if lon.isEmpty { return "lon is empty but lat is '\(lat)'" }
        if lat.isEmpty { return "lat is empty but lon is '\(lon)'" }
        return nil
    }

    /// Applies the row's CRS and, for geographic systems, the lon/lat ranges.
    private mutating func checked(_ c: Coordinate, crsCell: String) -> RowCoordinates {
        var out = RowCoordinates()
        let name = CaseCells.trimmed(crsCell)
        if !name.isEmpty {
            switch parseCRS(name) {
            case .success(let crs): out.crs = crs
            case .failure(let error):
                out.problem = .unknownCRS; out.detail = error.description; return out
            }
        }
        if let range = rangeProblem(c, crs: out.crs ?? defaultCRS) {
            out.problem = .outOfRange; out.detail = range; return out
        }
        out.coordinate = c
        return out
    }

    private mutating func parseCRS(_ name: String) -> Result<CRS, CRSError> {
        if let known = crsCache[name] { return known }
        let result = Result { () throws(CRSError) in try CRS(parsing: name) }
        crsCache[name] = result
        return result
    }

    /// Projected systems (EPSG:4547 ...) have metres, so only geographic ones are range-checked.
    private func rangeProblem(_ c: Coordinate, crs: CRS) -> String? {
        switch crs {
        case .wgs84, .cgcs2000, .gcj02, .bd09: break
        case .epsg: return nil
        }
        let lonOK = (-180...180).contains(c.x), latOK = (-90...90).contains(c.y)
        if lonOK && latOK { return nil }
        var text = !lonOK ? "lon \(c.x) is outside -180..180" : "lat \(c.y) is outside -90..90"
        if !latOK, (-90...90).contains(c.x), (-180...180).contains(c.y) { text += " (lon and lat swapped?)" }
        return text + " for \(crs)"
    }
}
