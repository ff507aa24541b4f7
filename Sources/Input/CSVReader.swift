import Foundation
import Model

/// One record of a CSV file.
public struct CSVRow: Sendable, Hashable {
    /// The physical line where the row starts (the first line of the file is 1).
    public var line: Int
    public var fields: [String]
    /// The row opened a quoted field that never closed: its last field runs to the end of the file.
    public var unterminatedQuote: Bool
    public init(line: Int, fields: [String], unterminatedQuote: Bool = false) {
        self.line = line; self.fields = fields; self.unterminatedQuote = unterminatedQuote
    }
}

/// An RFC 4180 reader: comma separated; fields quoted with `"` may hold commas, line breaks and doubled
/// quotes; CRLF, LF (or a lone CR) end a row; the last row needs no line break; empty lines are skipped.
///
/// Where RFC 4180 is silent it behaves like Python's `csv` module (the tests compare the two): a quote
/// inside an unquoted field is literal, and text after a closing quote is appended to the field.
///
/// It works on UTF-8 bytes: every byte that matters (`,` `"` CR LF) is ASCII and never occurs inside a
/// multi-byte UTF-8 sequence, so no Character (grapheme) processing is needed. That keeps a million rows
/// to a few seconds.
public enum CSVReader {
    /// All rows of `text`, in order.
    public static func rows(in text: String) -> [CSVRow] {
        var rows: [CSVRow] = []
        forEachRow(in: text) { rows.append($0) }
        return rows
    }

    /// Calls `body` with each row in order, without keeping them all in memory.
    public static func forEachRow<E: Error>(in text: String, _ body: (CSVRow) throws(E) -> Void) throws(E) {
        var text = text
        var failure: E?
        // `withUTF8` only rethrows untyped errors, so the typed error is carried out by hand.
        text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            while let row = parser.nextRow() {
                do throws(E) { try body(row) } catch { failure = error; return }
            }
        }
        if let failure { throw failure }
    }
}

extension CSVReader {
    /// Bytes read from a file at a time by `forEachRow(inFile:)`.
    public static let blockSize = 4 << 20

    /// Calls `body` with each row of a UTF-8 file (already known to be valid UTF-8, see
    /// `TextDecoding.scanFile`), reading it block by block: memory holds one block and the row that
    /// straddles it, never the file. The rows are those `forEachRow(in:)` gives for the file's text.
    /// - Parameter skipping: bytes at the start that are not text (a BOM).
    public static func forEachRow(inFile url: URL, skipping: Int, file: String, blockSize: Int = blockSize,
                                  _ body: (CSVRow) throws(InputError) -> Void) throws(InputError) {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw InputError(file: file, "cannot read the file: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []   // bytes not parsed yet: the start of a row that continues in the next block
        var line = 1                // the physical line `pending` starts on
        var atEnd = false, skip = skipping
        while !atEnd {
            // A row that has outgrown a block (a quoted field full of line breaks) is parsed again once
            // more bytes are in; reading at least as much as is pending keeps that linear.
            let data: Data?
            do { data = try handle.read(upToCount: max(blockSize, pending.count)) } catch {
                throw InputError(file: file, "cannot read the file: \(error.localizedDescription)")
            }
            if let data, !data.isEmpty {
                pending.append(contentsOf: data.dropFirst(skip)); skip = 0
            } else { atEnd = true }
            // Up to the last line feed only: a row never ends inside a block, and CR LF is never split.
            guard let end = atEnd ? pending.count : pending.lastIndex(of: lf).map({ $0 + 1 }) else { continue }
            var consumed = 0
            try parse(pending, upTo: end, line: &line, final: atEnd, consumed: &consumed, body)
            pending.removeFirst(consumed)
        }
    }

    /// The complete rows of `bytes[..<end]`; stops before a row whose quote is still open at `end`
    /// unless this is the end of the file. `consumed` and `line`: where parsing stopped.
    private static func parse(_ bytes: [UInt8], upTo end: Int, line: inout Int, final: Bool, consumed: inout Int,
                              _ body: (CSVRow) throws(InputError) -> Void) throws(InputError) {
        var failure: InputError?
        bytes.withUnsafeBufferPointer { all in
            var parser = Parser(bytes: UnsafeBufferPointer(rebasing: all[..<end]), line: line)
            while true {
                let (start, startLine) = (parser.pos, parser.line)
                guard let row = parser.nextRow() else { break }
                if row.unterminatedQuote && !final { (consumed, line) = (start, startLine); return }
                do throws(InputError) { try body(row) } catch { failure = error; return }
            }
            (consumed, line) = (end, parser.line)
        }
        if let failure { throw failure }
    }
}

private let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"),
    lf = UInt8(ascii: "\n")

/// The byte-level state machine behind `CSVReader`.
private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    /// The physical line `pos` is on.
    var line = 1
    /// Scratch for quoted fields, where doubled quotes must be collapsed.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, line: Int = 1) { self.bytes = bytes; self.line = line }

    /// The next non-empty row, or nil at the end of the input.
    mutating func nextRow() -> CSVRow? {
        skipEmptyLines()
        guard pos < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var unterminated = false
        while true {
            // Only reachable right after a comma: `a,b,` ends with one more, empty, field.
            if pos == bytes.count { fields.append(""); break }
            let (field, closed) = bytes[pos] == quote ? quotedField() : plainField()
            fields.append(field)
            if !closed { unterminated = true; break }
            // The field stopped at a comma, a line break or the end of the input.
            guard pos < bytes.count else { break }
            if bytes[pos] == comma { pos += 1; continue }
            consumeLineBreak()
            break
        }
        return CSVRow(line: startLine, fields: fields, unterminatedQuote: unterminated)
    }

    /// Blank lines are not rows (Python's csv yields them as empty lists; both are dropped).
    mutating func skipEmptyLines() {
        while pos < bytes.count, bytes[pos] == cr || bytes[pos] == lf { consumeLineBreak() }
    }

    /// Steps over one CR, LF or CRLF and counts the line.
    mutating func consumeLineBreak() {
        if bytes[pos] == cr, pos + 1 < bytes.count, bytes[pos + 1] == lf { pos += 1 }
        pos += 1
        line += 1
    }

    /// An unquoted field: everything up to the next comma or line break; quotes in it are literal.
    mutating func plainField() -> (String, Bool) {
        let start = pos
        while pos < bytes.count {
            let b = bytes[pos]
            if b == comma || b == cr || b == lf { break }
            pos += 1
        }
        return (string(start..<pos), true)
    }

    /// A field that starts with a quote. Returns false when the input ends inside the quotes.
    mutating func quotedField() -> (String, Bool) {
        scratch.removeAll(keepingCapacity: true)
        pos += 1  // the opening quote
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote {
                if pos + 1 < bytes.count, bytes[pos + 1] == quote {
                    scratch.append(quote); pos += 2; continue
                }
                pos += 1
                appendUntilDelimiter()
                return (String(decoding: scratch, as: UTF8.self), true)
            }
            countLineBreakInside(at: pos)
            scratch.append(b)
            pos += 1
        }
        return (String(decoding: scratch, as: UTF8.self), false)
    }

    /// Line breaks inside quotes are part of the field, but still advance the physical line count.
    mutating func countLineBreakInside(at i: Int) {
        let b = bytes[i]
        if b == lf || (b == cr && !(i + 1 < bytes.count && bytes[i + 1] == lf)) { line += 1 }
    }

    /// After a closing quote, text up to the delimiter is kept literally (`"ab"cd` → `abcd`), as Python does.
    mutating func appendUntilDelimiter() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == comma || b == cr || b == lf { return }
            scratch.append(b)
            pos += 1
        }
    }

    func string(_ range: Range<Int>) -> String {
        range.isEmpty ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
