import Model

/// The columns of a cases file that the tool reads; everything else is carried along untouched.
public enum CaseField: String, CaseIterable, Sendable {
    case id, receivedAt = "received_at", category, address, lon, lat, crs, channel

    /// Header names accepted for this field, preferred first (interface.md, "Input: cases").
    public var aliases: [String] {
        switch self {
        case .id: ["id", "工单编号", "案件编号", "受理编号", "编号"]
        case .receivedAt: ["received_at", "受理时间", "来件时间", "投诉时间", "立案时间"]
        case .category: ["category", "诉求类型", "问题类型", "问题小类", "投诉类型", "污染类型"]
        case .address: ["address", "事发地址", "投诉地址", "地址"]
        case .lon: ["lon", "经度"]
        case .lat: ["lat", "纬度"]
        case .crs: ["crs", "坐标系"]
        case .channel: ["channel", "来源渠道", "来源", "渠道"]
        }
    }

    var ordinal: Int {
        switch self {
        case .id: 0
        case .receivedAt: 1
        case .category: 2
        case .address: 3
        case .lon: 4
        case .lat: 5
        case .crs: 6
        case .channel: 7
        }
    }
}

/// Where each known field sits in a header row.
public struct CaseColumns: Sendable, Hashable {
    /// Column of each field, by `CaseField.allCases` position: an array, not a dictionary, because it is
    /// consulted eight times per row and hashing showed up as a tenth of the reading time.
    private var columns = [Int?](repeating: nil, count: CaseField.allCases.count)

    public subscript(field: CaseField) -> Int? {
        get { columns[field.ordinal] }
        set { columns[field.ordinal] = newValue }
    }
    private var isEmpty: Bool { columns.allSatisfy { $0 == nil } }

    /// Maps header names to fields. When several columns name one field, the most specific alias wins
    /// (工单编号 over a generic 编号), then the leftmost column.
    /// - Parameter line: the physical line of the header row, for error messages.
    public init(header: [String], file: String, line: Int = 1) throws(InputError) {
        let names = header.map { CaseCells.trimmed($0).lowercased() }
        for field in CaseField.allCases {
            for alias in field.aliases {
                if let at = names.firstIndex(of: alias) { self[field] = at; break }
            }
        }
        try check(header: header, file: file, location: "line \(line)")
    }

    /// A file that cannot give every row an id and a day is refused as a whole: rejecting each of its
    /// rows would hide a wrong export behind a rejects file nobody asked for.
    private func check(header: [String], file: String, location: String) throws(InputError) {
        let found = header.map { "'\($0)'" }.joined(separator: ", ")
        if isEmpty {
            let expected = CaseField.allCases.map { "\($0.rawValue) (\($0.aliases.joined(separator: "/")))" }
            throw InputError(file: file, location: location,
                             "no known column in the header (found \(found)); expected columns: "
                                 + expected.joined(separator: ", "))
        }
        for field in [CaseField.id, .receivedAt] where self[field] == nil {
            throw InputError(file: file, location: location,
                             "no \(field.rawValue) column (expected one of: \(field.aliases.joined(separator: ", "))); "
                                 + "found \(found)")
        }
        if (self[.lon] == nil) != (self[.lat] == nil) {
            let missing: CaseField = self[.lon] == nil ? .lon : .lat
            throw InputError(file: file, location: location,
                             "has a \(missing == .lon ? "lat" : "lon") column but no \(missing.rawValue) column "
                                 + "(expected one of: \(missing.aliases.joined(separator: ", ")))")
        }
    }
}
