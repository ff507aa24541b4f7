import Foundation
import Geometry
import Projection
import Support

// The domain model every layer shares: zones and their levels, days, case rows, located cases and
// rejects. Plain values only; readers, scoring and rendering live in the layers above.

/// The three nested levels of zones: street (街道) ⊃ community (社区) ⊃ sentinel post (生态哨点), and
/// the optional regular grid (`[grid] cell_m` in the style), which nests in nothing.
public enum ZoneLevel: String, CaseIterable, Sendable, Codable, Comparable {
    case street, community, post, grid

    /// The nested administrative levels, street first. Not the grid: it exists only when the style
    /// asks for it, is built from the outline rather than read from a file, and a case reaches its
    /// cell by its point alone — every loop over the levels of the boundaries, the database's zone
    /// columns or a case's `ZoneRef` chain means these three. Use `Boundaries.levels` for the levels a
    /// map has.
    public static var allCases: [ZoneLevel] { [.street, .community, .post] }
    /// Every level a map may have: the nested ones, then the grid.
    public static var mapLevels: [ZoneLevel] { allCases + [.grid] }

    /// The boundary (and output) file of this level.
    public var fileName: String {
        switch self {
        case .street: "streets.geojson"
        case .community: "communities.geojson"
        case .post: "posts.geojson"
        case .grid: "grid.geojson"
        }
    }
    /// The level one up, whose zones enclose this level's; nil for streets.
    public var parentLevel: ZoneLevel? {
        switch self {
        case .street: nil
        case .community: .street
        case .post: .community
        case .grid: nil
        }
    }
    public var childLevel: ZoneLevel? {
        switch self {
        case .street: .community
        case .community: .post
        case .post, .grid: nil
        }
    }
    public static func < (a: ZoneLevel, b: ZoneLevel) -> Bool {
        mapLevels.firstIndex(of: a)! < mapLevels.firstIndex(of: b)!
    }
}

/// One zone of one level, its geometry in WGS84 lon/lat.
public struct Zone: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The id of the enclosing zone one level up; nil for streets.
    public var parent: String?
    public var aliases: [String]
    public var level: ZoneLevel
    public var geometry: MultiPolygon
    public init(id: String, name: String, parent: String?, aliases: [String] = [], level: ZoneLevel,
                geometry: MultiPolygon) {
        self.id = id; self.name = name; self.parent = parent; self.aliases = aliases
        self.level = level; self.geometry = geometry
    }
}

/// A calendar day, as written in the case file (time zones never move a case to another day).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    public var ordinal: Int
    @inlinable public init(ordinal: Int) { self.ordinal = ordinal }
    /// nil when the date does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        // Years 1...9999, as ISO dates are written: a 19-digit year (`--as-of`, `?since=`) overflowed the
        // day arithmetic below.
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = era * 146097 + doe - 719468
    }
    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
    /// `YYYY-MM-DD`. Written digit by digit: String(format:) went through Foundation's locale-aware
    /// formatter, 2 µs a day, and every case's day is written (cases.geojson, the database).
    public var description: String {
        let c = components
        guard (0...9999).contains(c.year) else { return String(format: "%04d-%02d-%02d", c.year, c.month, c.day) }
        return String(unsafeUninitializedCapacity: 10) { text in
            func put(_ value: Int, _ width: Int, endingAt end: Int) {
                var v = value
                for k in stride(from: end - 1, through: end - width, by: -1) { text[k] = UInt8(48 + v % 10); v /= 10 }
            }
            put(c.year, 4, endingAt: 4)
            text[4] = 45   // '-'
            put(c.month, 2, endingAt: 7)
            text[7] = 45
            put(c.day, 2, endingAt: 10)
            return 10
        }
    }
    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let p = text.split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }
    @inlinable public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }
    @inlinable public static func + (a: Day, n: Int) -> Day { Day(ordinal: a.ordinal + n) }
    @inlinable public static func - (a: Day, n: Int) -> Day { Day(ordinal: a.ordinal - n) }
    /// Today in the machine's time zone.
    public static func today() -> Day {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// One case row read from a cases file, before it is located.
///
/// A run holds one per row (ten million at a province) and one inside every located case, so the
/// record is kept small: its few-valued texts (file, time, category, channel, problem detail) and its
/// coordinate system are handles to values interned once per process (`InternTable`), and so is its
/// address (exports repeat a building's address again and again: half a million distinct ones in ten
/// million rows); its day and line take four bytes, its raw coordinate two numbers — 80 bytes where
/// the plain fields took 176. The properties read and write the values as before.
public struct CaseRecord: Sendable, Hashable {
    public var id: String
    public var address: String {
        get { caseAddresses[addressHandle].text ?? "" } set { addressHandle = caseAddresses.intern(CaseText(nonEmpty: newValue)) }
    }
    /// The row's original fields, for `rejects.csv`.
    public var fields: [String]
    /// The physical line where the row starts (header = 1).
    public var line: Int {
        get { Int(lineNumber) } set { lineNumber = UInt32(clamping: newValue) }
    }
    fileprivate var lineNumber: UInt32
    fileprivate var addressHandle: UInt32
    fileprivate var rawX: Double, rawY: Double
    fileprivate var fileHandle: UInt32, timeHandle: UInt32, categoryHandle: UInt32, channelHandle: UInt32
    fileprivate var detailHandle: UInt32
    fileprivate var crsHandle: UInt32
    fileprivate var dayOrdinal: Int32
    /// `RejectReason.allCases` index + 1 of the coordinate problem; 0: none.
    fileprivate var problemCode: UInt8
    fileprivate var hasRawCoordinate: Bool

    /// The file as given on the command line.
    public var file: String {
        get { caseTexts[fileHandle].text ?? "" } set { fileHandle = caseTexts.intern(CaseText(nonEmpty: newValue)) }
    }
    /// A day of the years 1–9999, as every parsed date is.
    public var day: Day {
        get { Day(ordinal: Int(dayOrdinal)) } set { dayOrdinal = Int32(newValue.ordinal) }
    }
    /// The time of day as written, if any (`08:30`), kept for display only.
    public var time: String? {
        get { caseTexts[timeHandle].text } set { timeHandle = caseTexts.intern(CaseText(newValue)) }
    }
    public var category: String {
        get { caseTexts[categoryHandle].text ?? "" } set { categoryHandle = caseTexts.intern(CaseText(nonEmpty: newValue)) }
    }
    /// Coordinates as written in the row, in `crs` (or the `--cases-crs` default when nil).
    public var rawCoordinate: Coordinate? {
        get { hasRawCoordinate ? Coordinate(rawX, rawY) : nil }
        set {
            hasRawCoordinate = newValue != nil
            (rawX, rawY) = newValue.map { ($0.x, $0.y) } ?? (0, 0)
        }
    }
    public var crs: CRS? { get { caseCRSs[crsHandle] } set { crsHandle = caseCRSs.intern(newValue) } }
    /// Set when the row had coordinates that could not be used (unparseable, out of range, unknown CRS):
    /// the row is then geocoded from its address if it has one, else rejected with this reason.
    public var coordinateProblem: RejectReason? {
        get { problemCode == 0 ? nil : Self.reasons[Int(problemCode) - 1] }
        set { problemCode = newValue.flatMap { r in Self.reasons.firstIndex(of: r).map { UInt8($0 + 1) } } ?? 0 }
    }
    public var coordinateProblemDetail: String {
        get { caseTexts[detailHandle].text ?? "" } set { detailHandle = caseTexts.intern(CaseText(nonEmpty: newValue)) }
    }
    public var channel: String {
        get { caseTexts[channelHandle].text ?? "" } set { channelHandle = caseTexts.intern(CaseText(nonEmpty: newValue)) }
    }
    /// `RejectReason.allCases` made once (the synthesised property makes a new array per call).
    private static let reasons = RejectReason.allCases

    public init(file: String, line: Int, id: String, day: Day, time: String? = nil, category: String,
                address: String, rawCoordinate: Coordinate?, crs: CRS?, coordinateProblem: RejectReason? = nil,
                coordinateProblemDetail: String = "", channel: String, fields: [String]) {
        self.id = id; self.fields = fields; lineNumber = UInt32(clamping: line)
        addressHandle = caseAddresses.intern(CaseText(nonEmpty: address))
        (rawX, rawY, hasRawCoordinate) = (0, 0, false)
        (fileHandle, timeHandle, categoryHandle, channelHandle, detailHandle, crsHandle) = (0, 0, 0, 0, 0, 0)
        (dayOrdinal, problemCode) = (0, 0)
        self.file = file; self.day = day; self.time = time; self.category = category
        self.rawCoordinate = rawCoordinate; self.crs = crs; self.coordinateProblem = coordinateProblem
        self.coordinateProblemDetail = coordinateProblemDetail; self.channel = channel
    }
}

/// A text of a case record, interned by its UTF-8 bytes (String hashes non-ASCII text by its normal
/// form, which costs more than reading the cell; equal bytes are what "the same text" means here).
/// nil: none (a row without a time).
struct CaseText: Hashable, Sendable {
    let key: UTF8Key?
    init(_ text: String?) { key = text.map(UTF8Key.init) }
    /// A text that is never missing: empty is handle 0, so that every empty text is the same value.
    init(nonEmpty text: String) { self.init(text.isEmpty ? nil : text) }
    var text: String? { key?.text }
}

/// The few-valued texts of every case record of the process (files, times of day, categories,
/// channels, problem details), by handle; 0 is none.
let caseTexts = InternTable(empty: CaseText(nil), of: "case texts")
/// The addresses of every case record of the process, by handle; 0 is the empty address.
let caseAddresses = InternTable(empty: CaseText(nil), of: "addresses")

/// One reader's handles of the addresses it has seen: the process's table (`caseAddresses`) is asked,
/// under its lock, once per distinct address and reader rather than once per row. The keys are the
/// table's own strings, so that a reader's cache holds no second copy of a text.
public struct AddressHandles {
    private var known: [UTF8Key: UInt32] = [:]
    public init() {}

    /// Sets the record's address to `text`.
    public mutating func set(_ text: String, on record: inout CaseRecord) {
        if let handle = known[UTF8Key(text)] {
            record.addressHandle = handle
            return
        }
        let handle = caseAddresses.intern(CaseText(nonEmpty: text))
        if let kept = caseAddresses[handle].key { known[kept] = handle }
        record.addressHandle = handle
    }
}

/// The coordinate systems named in case rows, by handle; 0 is none (the default).
let caseCRSs = InternTable<CRS?>(empty: nil, of: "coordinate systems")

extension CaseRecord {
    /// The record without its row's original fields: they are only ever written for rejected rows
    /// (`rejects.csv`), and at ten million cases they would be gigabytes. A run keeps its records so,
    /// and reads the fields of the rows it rejects again from their files (`CaseFileReader.fields`).
    public var withoutFields: CaseRecord {
        var r = self
        r.fields = []
        return r
    }
}

/// Why a row was not located. The raw values are what `rejects.csv` says in its `reason` column.
public enum RejectReason: String, Sendable, Codable, CaseIterable {
    case badDate = "bad-date"
    case missingDate = "missing-date"
    case badCoordinates = "bad-coordinates"
    case outOfRange = "out-of-range"
    case outside = "outside"
    case raggedRow = "ragged-row"
    case duplicateID = "duplicate-id"
    case missingID = "missing-id"
    case noCoordinates = "no-coordinates"
    case unknownCRS = "unknown-crs"
    case unparseableAddress = "unparseable-address"
    case ambiguous = "ambiguous"
    case notFound = "not-found"
}

/// A row that was not located, with everything needed to write its `rejects.csv` line.
public struct RejectedRow: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var id: String
    public var reason: RejectReason
    /// Free text that explains the reason ("month 13", "candidates: A | B").
    public var detail: String
    public var fields: [String]
    public init(file: String, line: Int, id: String, reason: RejectReason, detail: String = "", fields: [String]) {
        self.file = file; self.line = line; self.id = id; self.reason = reason; self.detail = detail
        self.fields = fields
    }
}

/// An error that stops a run: it names the file and the line or feature, and what was wrong.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var file: String
    /// "line 12", "feature 3 (id 'FT01')", or empty.
    public var location: String
    public var message: String
    public init(file: String, location: String = "", _ message: String) {
        self.file = file; self.location = location; self.message = message
    }
    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}

/// How a case was placed.
public enum LocationMethod: String, Sendable, Codable {
    /// By the coordinates in its row.
    case coordinates
    /// By a point the geocoder found for its address (gazetteer).
    case address
    /// Only by zone names in its address, without a point.
    case name
}

/// A case placed into zones (`zones`: the ids it reaches, nil below where it is known; a case
/// located only as far as a street has no community or post).
public struct LocatedCase: Sendable, Hashable {
    /// The case's row as the later stages use it: without its raw coordinate, coordinate problem and
    /// fields, which a located case never needs (it has its point; only rejects are written with their
    /// fields). Kept as `KeptRecord`, 48 bytes where the record is 80.
    public var record: CaseRecord {
        get { CaseRecord(kept) }
        set { kept = KeptRecord(newValue) }
    }
    private var kept: KeptRecord
    // The point as two numbers and a flag: an optional coordinate would pad the case.
    private var x: Double, y: Double
    public var confidence: Double
    public var zones: ZoneRef
    public var method: LocationMethod
    private var hasPoint: Bool
    /// WGS84; nil when only zone names matched.
    public var point: Coordinate? {
        get { hasPoint ? Coordinate(x, y) : nil }
        set {
            hasPoint = newValue != nil
            (x, y) = newValue.map { ($0.x, $0.y) } ?? (0, 0)
        }
    }
    public init(record: CaseRecord, point: Coordinate?, zones: ZoneRef, method: LocationMethod, confidence: Double) {
        kept = KeptRecord(record); self.zones = zones; self.method = method; self.confidence = confidence
        (x, y, hasPoint) = (point?.x ?? 0, point?.y ?? 0, point != nil)
    }
    public init(record: CaseRecord, point: Coordinate?, street: String?, community: String?, post: String?,
                method: LocationMethod, confidence: Double) {
        self.init(record: record, point: point, zones: ZoneRef(street: street, community: community, post: post),
                  method: method, confidence: confidence)
    }
    @inlinable public var street: String? { zones.street }
    @inlinable public var community: String? { zones.community }
    @inlinable public var post: String? { zones.post }
    @inlinable public func zone(_ level: ZoneLevel) -> String? { zones[level] }
}

/// What a located case keeps of its record (see `LocatedCase.record`).
private struct KeptRecord: Hashable, Sendable {
    var id: String
    var line: UInt32, address: UInt32
    var file: UInt32, time: UInt32, category: UInt32, channel: UInt32, crs: UInt32
    var day: Int32

    init(_ r: CaseRecord) {
        id = r.id; address = r.addressHandle; line = r.lineNumber
        (file, time, category, channel, crs) = (r.fileHandle, r.timeHandle, r.categoryHandle, r.channelHandle, r.crsHandle)
        day = r.dayOrdinal
    }
}

extension CaseRecord {
    /// Made from the handles directly: a located case's record is made on every read of it.
    fileprivate init(_ kept: KeptRecord) {
        id = kept.id; addressHandle = kept.address; fields = []; lineNumber = kept.line
        (rawX, rawY, hasRawCoordinate, detailHandle, problemCode) = (0, 0, false, 0, 0)
        (fileHandle, timeHandle, categoryHandle, channelHandle, crsHandle) = (kept.file, kept.time, kept.category, kept.channel, kept.crs)
        dayOrdinal = kept.day
    }
}
