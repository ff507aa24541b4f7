import Foundation
import Geometry
import Model
import Projection

/// One cases file, read: the rows that became records and the rows that were rejected on reading.
public struct CaseFile: Sendable {
    public var records: [CaseRecord]
    public var rejects: [RejectedRow]
    /// Data rows read: `records.count + rejects.count`. Rows whose every cell is blank (Excel's trailing
    /// `,,,,,` lines) are not cases and are not counted.
    public var rowCount: Int
    /// The header row as written.
    public var header: [String]
    public init(records: [CaseRecord], rejects: [RejectedRow], rowCount: Int, header: [String]) {
        self.records = records; self.rejects = rejects; self.rowCount = rowCount; self.header = header
    }
}

/// Reads a hotline CSV export into `CaseRecord`s (interface.md, "Input: cases").
///
/// Row problems never stop the file: each bad row becomes a `RejectedRow`. Only problems with the file
/// as a whole (unreadable, empty, binary, no usable header) throw.
public enum CaseFileReader {
    /// - Parameter displayName: the file as the user named it, used in records, rejects and errors.
    /// - Parameter defaultCRS: the run's `--cases-crs`, used to range-check rows whose crs cell is empty.
    public static func read(url: URL, displayName: String, defaultCRS: CRS = .wgs84) throws(InputError) -> CaseFile {
        var records: [CaseRecord] = [], rejects: [RejectedRow] = []
        let (header, rowCount) = try read(url: url, displayName: displayName, defaultCRS: defaultCRS,
                                          expecting: { records.reserveCapacity($0) }) { row in
            switch row {
            case .record(let r): records.append(r)
            case .reject(let r): rejects.append(r)
            }
        }
        return CaseFile(records: records, rejects: rejects, rowCount: rowCount, header: header)
    }

    /// A data row of a cases file, read.
    public enum Row: Sendable { case record(CaseRecord), reject(RejectedRow) }

    /// Hands each data row of the file to `each`, in order, without keeping them: a UTF-8 file (nearly
    /// every export) is read a block at a time, never whole; any other (GB18030) is decoded whole first.
    /// Returns the header as written and the number of data rows.
    /// - Parameter expecting: called once, before the rows, with an upper bound on their number.
    public static func read(url: URL, displayName: String, defaultCRS: CRS = .wgs84,
                            expecting: (Int) -> Void = { _ in },
                            each: (Row) -> Void) throws(InputError) -> (header: [String], rowCount: Int) {
        var rows = RowSink(file: displayName, defaultCRS: defaultCRS)
        if let scan = TextDecoding.scanFile(url) {
            expecting(scan.lineFeeds + 1)
            try CSVReader.forEachRow(inFile: url, skipping: scan.bomLength, file: displayName) { (row) throws(InputError) in
                try rows.take(row, each)
            }
        } else {
            let text = try load(url: url, displayName: displayName)
            expecting(lineCount(text))
            try CSVReader.forEachRow(in: text) { (row) throws(InputError) in try rows.take(row, each) }
        }
        return try rows.finish()
    }

    /// The original fields of the rows of the file that start at `lines` (physical line numbers, as
    /// in records), read again: a run keeps no fields of its records (`CaseRecord.withoutFields`) and
    /// asks for those of the few rows it rejects. The file is read as `read` reads it.
    public static func fields(at lines: Set<Int>, url: URL, displayName: String) throws(InputError) -> [Int: [String]] {
        var found: [Int: [String]] = [:]
        func take(_ row: CSVRow) { if lines.contains(row.line) { found[row.line] = row.fields } }
        if let scan = TextDecoding.scanFile(url) {
            try CSVReader.forEachRow(inFile: url, skipping: scan.bomLength, file: displayName) { (row) throws(InputError) in
                take(row)
            }
        } else {
            CSVReader.forEachRow(in: try load(url: url, displayName: displayName)) { take($0) }
        }
        return found
    }

    /// The file's text. A function of its own so that the raw bytes are freed before parsing starts.
    private static func load(url: URL, displayName: String) throws(InputError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InputError(file: displayName, "cannot read the file: \(error.localizedDescription)")
        }
        return try TextDecoding.decode(data, file: displayName)
    }

    /// The same as `read`, on text already in memory.
    public static func parse(text: String, displayName: String, defaultCRS: CRS = .wgs84) throws(InputError)
        -> CaseFile
    {
        var file = CaseFile(records: [], rejects: [], rowCount: 0, header: [])
        // Growing a million-record array by doubling would briefly hold two copies; a line count is
        // an upper bound on the rows and costs a fraction of the parse.
        file.records.reserveCapacity(lineCount(text))
        var rows = RowSink(file: displayName, defaultCRS: defaultCRS)
        try CSVReader.forEachRow(in: text) { (row) throws(InputError) in
            try rows.take(row) { row in
                switch row {
                case .record(let r): file.records.append(r)
                case .reject(let r): file.rejects.append(r)
                }
            }
        }
        (file.header, file.rowCount) = try rows.finish()
        return file
    }

    /// The first row is the header; every later one goes to `each` as a record or a reject.
    private struct RowSink {
        let file: String
        let defaultCRS: CRS
        var rowReader: CaseRowReader?
        var header: [String] = []
        var rowCount = 0

        init(file: String, defaultCRS: CRS) { self.file = file; self.defaultCRS = defaultCRS }

        mutating func take(_ row: CSVRow, _ each: (Row) -> Void) throws(InputError) {
            guard rowReader != nil else {
                rowReader = try headerReader(row, file: file, defaultCRS: defaultCRS)
                header = row.fields
                return
            }
            switch rowReader!.read(row) {
            case .record(let r): each(.record(r)); rowCount += 1
            case .reject(let r): each(.reject(r)); rowCount += 1
            case .blank: break
            }
        }

        func finish() throws(InputError) -> (header: [String], rowCount: Int) {
            guard rowReader != nil else { throw InputError(file: file, "no header row (the file is blank)") }
            return (header, rowCount)
        }
    }

    private static func lineCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in bytes.reduce(into: 0) { n, b in if b == 0x0A { n += 1 } } } + 1
    }

    private static func headerReader(_ row: CSVRow, file: String, defaultCRS: CRS) throws(InputError)
        -> CaseRowReader
    {
        if row.unterminatedQuote {
            throw InputError(file: file, location: "line \(row.line)",
                             "the header row opens a quote that is never closed")
        }
        let columns = try CaseColumns(header: row.fields, file: file, line: row.line)
        return CaseRowReader(file: file, columns: columns, width: row.fields.count, defaultCRS: defaultCRS)
    }
}
