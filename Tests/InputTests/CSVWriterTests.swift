import Foundation
import Testing
@testable import Input

/// The one CSV writer against the project's reader and against Python's csv module (an independent reader).
@Suite struct CSVWriterTests {
    /// Fields that break a writer testing Characters: `"\r\n"` is one Character, equal to neither CR nor LF;
    /// a quote followed by a combining mark is one Character, equal to no quote.
    static let awkward: [[String]] = [
        ["id", "text", "note"],
        ["crlf", "line one\r\nline two", "after"],
        ["lone-cr", "a\rb", "x"],
        ["lone-lf", "a\nb", "x"],
        ["crlf-only", "\r\n", ""],
        ["quotes", "say \"hi\"", "\""],
        ["quote-combining", "\"\u{301}accent", "e\u{301}"],
        ["commas", "福华路,12号", ",,"],
        ["spaces", "  leading", "trailing  "],
        ["mixed", " \"a,b\"\r\n\rc\n ", "end"],
        ["", "", ""],
    ]

    @Test func quotesEveryFieldWithADelimiterByScalar() {
        #expect(CSVWriter.field("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVWriter.field("a\rb") == "\"a\rb\"")
        #expect(CSVWriter.field("a\nb") == "\"a\nb\"")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("\"\u{301}") == "\"\"\"\u{301}\"")
        #expect(CSVWriter.field("  plain  ") == "  plain  ")
        #expect(CSVWriter.line(["a", "b"]) == "a,b\r\n")
    }

    @Test func roundTripsThroughTheReader() {
        let text = CSVWriter.document(Self.awkward)
        #expect(CSVReader.rows(in: text).map(\.fields) == Self.awkward)
    }

    @Test func aLoneEmptyFieldStaysARow() {
        let rows = [["h"], [""], ["x"]]
        #expect(CSVReader.rows(in: CSVWriter.document(rows)).map(\.fields) == rows)
    }

    @Test func roundTripsThroughPythonCSV() throws {
        let text = CSVWriter.document(Self.awkward)
        #expect(try Self.pythonRows(Data(text.utf8)) == Self.awkward)
    }

    /// What Python's csv module reads from `data`, as it reads a file opened with `newline=''` (RFC 4180).
    static func pythonRows(_ data: Data) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("riskmap-csv-\(UUID().uuidString).csv")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.reader(f))))
            """, file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let json = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONDecoder().decode([[String]].self, from: json)
    }
}
