/// The one CSV writer of riskmap (`rejects.csv`, `stats --format csv`, `/api/stats?format=csv`), the
/// counterpart of `CSVReader`: RFC 4180, CRLF after every row, a field quoted when it holds a comma, a
/// quote, CR or LF, its quotes doubled.
///
/// The test is on UTF-8 bytes, not Characters: Swift's `"\r\n"` is ONE Character, equal to neither
/// `"\r"` nor `"\n"`, so a Character test lets a field with a CRLF out unquoted (one row becomes two).
/// Spaces are data and written as they are (the reader and Python's csv keep them).
public enum CSVWriter {
    /// The rows, each ended by CRLF.
    public static func document(_ rows: [[String]]) -> String {
        var out = ""
        for row in rows { out += line(row) }
        return out
    }

    /// One row and its CRLF.
    public static func line(_ fields: [String]) -> String {
        // A lone empty field would be an empty line, which readers skip: quoted, it stays a row.
        if fields.count == 1, fields[0].isEmpty { return "\"\"\r\n" }
        return fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted where it has to be.
    public static func field(_ s: String) -> String {
        guard s.utf8.contains(where: needsQuotes) else { return s }
        // Quotes doubled byte by byte too: a quote followed by a combining mark is one Character that
        // Character-based replacing would not see.
        var bytes: [UInt8] = [quote]
        bytes.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 {
            bytes.append(b)
            if b == quote { bytes.append(quote) }
        }
        bytes.append(quote)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let quote = UInt8(ascii: "\"")

    static func needsQuotes(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n")
    }
}
