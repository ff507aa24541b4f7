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
        let text = try load(url: url, displayName: displayName)
        return try parse(text: text, displayName: displayName, defaultCRS: defaultCRS)
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
        var rowReader: CaseRowReader?
        var file = CaseFile(records: [], rejects: [], rowCount: 0, header: [])
        // Growing a million-record array by doubling would briefly hold two copies; a line count is
        // an upper bound on the rows and costs a fraction of the parse.
        file.records.reserveCapacity(lineCount(text))
        try CSVReader.forEachRow(in: text) { (row) throws(InputError) in
            guard rowReader != nil else {  // the first row is the header
                rowReader = try headerReader(row, file: displayName, defaultCRS: defaultCRS)
                file.header = row.fields
                return
            }
            switch rowReader!.read(row) {
            case .record(let r): file.records.append(r); file.rowCount += 1
            case .reject(let r): file.rejects.append(r); file.rowCount += 1
            case .blank: break
            }
        }
        guard rowReader != nil else { throw InputError(file: displayName, "no header row (the file is blank)") }
        return file
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
