import Foundation
import Geometry
import Model
import Projection
import Support

/// Turns the data rows of one cases file into records or rejects.
struct CaseRowReader {
    enum Outcome { case record(CaseRecord), reject(RejectedRow), blank }

    let file: String
    let columns: CaseColumns
    /// The number of header fields; every row must have exactly as many.
    let width: Int
    var coordinates: CoordinateReader
    /// Each distinct address text once, by its handle: exports repeat addresses (a building complains
    /// again and again), and a located case keeps its address (repeats, the geocoder) long after its
    /// row is gone.
    var addresses = AddressHandles()

    init(file: String, columns: CaseColumns, width: Int, defaultCRS: CRS) {
        self.file = file; self.columns = columns; self.width = width
        coordinates = CoordinateReader(defaultCRS: defaultCRS)
    }

    /// The checks run in a fixed order: shape, date, id; the first failure is the row's reason.
    /// The date comes before the id because a row without a day is rejected whatever else it carries.
    mutating func read(_ row: CSVRow) -> Outcome {
        let fields = row.fields
        let id = cell(.id, fields)
        func reject(_ reason: RejectReason, _ detail: String) -> Outcome {
            .reject(RejectedRow(file: file, line: row.line, id: id, reason: reason, detail: detail, fields: fields))
        }
        if row.unterminatedQuote {
            return reject(.raggedRow, "a quote opened in this row is never closed: the rest of the file "
                + "(from line \(row.line)) was read as one field")
        }
        if fields.allSatisfy({ CaseCells.trimmed($0).isEmpty }) { return .blank }
        if fields.count != width {
            return reject(.raggedRow, "\(fields.count) fields where the header has \(width)")
        }
        let dateText = CaseCells.normalised(cell(.receivedAt, fields))
        if dateText.isEmpty { return reject(.missingDate, "received_at is empty") }
        let date: CaseDate
        switch DateParsing.parse(dateText) {
        case .success(let d): date = d
        case .failure(let e): return reject(.badDate, e.detail)
        }
        if id.isEmpty { return reject(.missingID, "id is empty") }
        return .record(record(row, id: id, date: date))
    }

    private mutating func record(_ row: CSVRow, id: String, date: CaseDate) -> CaseRecord {
        let fields = row.fields
        let place = columns[.lon] == nil
            ? RowCoordinates()
            : coordinates.read(lon: cell(.lon, fields), lat: cell(.lat, fields), crs: cell(.crs, fields))
        var record = CaseRecord(file: file, line: row.line, id: id, day: date.day, time: date.time,
                          category: cell(.category, fields), address: "",
                          rawCoordinate: place.coordinate, crs: place.crs,
                          coordinateProblem: place.problem, coordinateProblemDetail: place.detail,
                          channel: cell(.channel, fields), fields: fields)
        addresses.set(cell(.address, fields), on: &record)
        return record
    }

    /// The trimmed cell of a field; "" when the file has no such column or the row is too short.
    private func cell(_ field: CaseField, _ fields: [String]) -> String {
        guard let i = columns[field], i < fields.count else { return "" }
        return CaseCells.trimmed(fields[i])
    }
}
