import Foundation
import Testing
@testable import Input

@Suite struct CSVReaderTests {
    private func fields(_ text: String) -> [[String]] { CSVReader.rows(in: text).map(\.fields) }
    private func lines(_ text: String) -> [Int] { CSVReader.rows(in: text).map(\.line) }

    @Test func plainRowsLFAndCRLF() {
        #expect(fields("a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
        #expect(fields("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(fields("a,b\r\n1,2") == [["a", "b"], ["1", "2"]], "trailing newline is optional")
    }

    @Test func quotedCommasQuotesAndNewlines() {
        let text = "id,addr\n1,\"福华路,12号\"\n2,\"say \"\"hi\"\"\"\n3,\"two\r\nlines\"\n"
        #expect(fields(text) == [["id", "addr"], ["1", "福华路,12号"], ["2", "say \"hi\""], ["3", "two\r\nlines"]])
    }

    @Test func rowsCarryTheLineWhereTheyStart() {
        let text = "h1,h2\n\"a\nb\nc\",x\n\nnext,\"y\r\nz\"\r\nlast,1"
        let rows = CSVReader.rows(in: text)
        #expect(rows.map(\.line) == [1, 2, 6, 8])
        #expect(rows[1].fields == ["a\nb\nc", "x"])
        #expect(rows[3].fields == ["last", "1"])
    }

    @Test func blankLinesAreSkipped() {
        #expect(fields("\n\na,b\n\r\n\n1,2\n\n") == [["a", "b"], ["1", "2"]])
        #expect(lines("\n\na,b\n\r\n\n1,2\n\n") == [3, 6])
    }

    @Test func emptyFieldsAndTrailingComma() {
        #expect(fields(",,\n") == [["", "", ""]])
        #expect(fields("a,\n") == [["a", ""]])
        #expect(fields("a,") == [["a", ""]], "a trailing comma at the end of input opens an empty field")
        #expect(fields("\"\"\n") == [[""]], "an empty quoted field is a row")
    }

    @Test func loneCRIsALineBreak() {
        #expect(fields("a\rb\r") == [["a"], ["b"]])
        #expect(lines("a\rb\r") == [1, 2])
        #expect(lines("h\n\"x\ry\",1\nz") == [1, 2, 4], "a lone CR inside quotes counts as a line")
    }

    @Test func unterminatedQuoteIsFlaggedNotFatal() {
        let rows = CSVReader.rows(in: "a,b\n1,\"open\n2,3\n")
        #expect(rows.count == 2)
        #expect(rows[1].line == 2)
        #expect(rows[1].unterminatedQuote)
        #expect(rows[1].fields == ["1", "open\n2,3\n"])
        #expect(!rows[0].unterminatedQuote)
    }

    @Test func emptyInputHasNoRows() {
        #expect(CSVReader.rows(in: "").isEmpty)
        #expect(CSVReader.rows(in: "\n\r\n").isEmpty)
    }

    /// The fixture and its expected rows come from Python's csv module (scripts/oracles/make_case_fixtures.py).
    @Test func agreesWithPythonCSVOnATrickyFile() throws {
        struct Expected: Decodable, Equatable { var line: Int; var fields: [String] }
        let text = try String(contentsOf: InputFixtures.url("tricky.csv"), encoding: .utf8)
        let expected = try JSONDecoder().decode([Expected].self,
                                                from: Data(contentsOf: InputFixtures.url("tricky.expected.json")))
        let got = CSVReader.rows(in: text).map { Expected(line: $0.line, fields: $0.fields) }
        #expect(expected.count > 300, "the oracle file is not trivially small")
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) where g != e {
            Issue.record("line \(e.line): expected \(e.fields) at \(e.line), got \(g.fields) at \(g.line)")
            break
        }
    }

    @Test func forEachRowStopsOnError() {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try CSVReader.forEachRow(in: "a\nb\nc\n") { (_: CSVRow) throws(Stop) in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }
}
