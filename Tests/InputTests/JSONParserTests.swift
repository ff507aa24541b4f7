import Foundation
import Testing
@testable import Input

/// The JSON reader of boundary files: kinds kept apart, numbers as strtod reads them, integer codes
/// digit for digit, and syntax errors at a line and column.
@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    func syntaxError(_ text: String) -> JSONSyntaxError? {
        do { _ = try JSONParser.parse(Data(text.utf8)); return nil } catch { return error }
    }

    /// Foundation on Linux reads 0 and 1 as booleans; here they stay numbers and true/false stay booleans.
    @Test func numbersAndBooleansStayApart() throws {
        let v = try parse(#"[0, 1, true, false, null, "1", -0, 1.0]"#)
        #expect(v == .array([.number(JSONNumber(0)), .number(JSONNumber(1)), .bool(true), .bool(false), .null,
                             .string("1"), .number(JSONNumber(-0.0)), .number(JSONNumber(1))]))
    }

    @Test(arguments: [("0", "0"), ("1", "1"), ("-3", "-3"), ("4.0", "4"), ("4.000", "4"), ("-0", "0"), ("1e3", "1000"),
                      ("4.5", "4.5"), ("440304001001", "440304001001"), ("9007199254740993", "9007199254740993"),
                      ("44030400100100000001", "44030400100100000001"), ("-44030400100100000001", "-44030400100100000001"),
                      ("44030400100100000001.00", "44030400100100000001"), ("123456789012345678901234567890", "123456789012345678901234567890")])
    func numberText(literal: String, text: String) throws {
        guard case .number(let n) = try parse(literal) else { Issue.record("\(literal) is not a number"); return }
        #expect(n.text == text)
    }

    /// The fast path (integer arithmetic) and the slow one agree with strtod, bit for bit.
    @Test func numberValuesMatchStrtod() throws {
        var rng = SystemRandomNumberGenerator()
        var literals = ["0.1", "0.2", "0.3", "114.0605123", "22.5441", "-73.9549006", "1004942.16", "1e-7", "2.5E+3",
                        "0.000000000000000000000001", "179.99999999999999999", "1.7976931348623157e308", "5e-324"]
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...19, using: &rng)
            let mantissa = String((0..<digits).map { _ in "0123456789".randomElement(using: &rng)! })
                .drop(while: { $0 == "0" })
            let whole = mantissa.isEmpty ? "0" : String(mantissa)
            let point = Int.random(in: 0...whole.count, using: &rng)
            let text = point == whole.count || point == 0 ? whole
                : "\(whole.prefix(point)).\(whole.dropFirst(point))"
            literals.append(Bool.random(using: &rng) ? "-" + text : text)
        }
        for literal in literals {
            guard case .number(let n) = try parse(literal) else { Issue.record("\(literal)"); continue }
            #expect(n.value.bitPattern == Double(literal)!.bitPattern, "\(literal)")
        }
    }

    @Test func stringsWithEscapesAndUnicode() throws {
        let v = try parse(#"{"a": "x\"y\\z\/\n\t\u00e9\u798f\ud83d\ude00", "福田": "ok"}"#)
        #expect(v["a"] == .string("x\"y\\z/\n\té福😀"))
        #expect(v["福田"] == .string("ok"))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try JSONParser.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == .array([.number(JSONNumber(1))]))
    }

    @Test(arguments: [
        // (text, line, column) of the first offending character, columns in characters.
        ("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [ ,\n]}", 3, 17),
        ("[1, 2,]", 1, 7),
        ("{\"a\": 1 \"b\": 2}", 1, 9),
        ("{\"名称\": \"福田\" x}", 1, 13),
        ("[1, 2", 1, 6),
        ("\n\n  \"never closed", 3, 3),
        ("[01]", 1, 3),
        ("[1.]", 1, 4),
        ("[tru]", 1, 2),
        ("{} {}", 1, 4),
        ("", 1, 1),
        ("[\"a\u{1}\"]", 1, 4),
    ])
    func syntaxErrorsGiveLineAndColumn(text: String, line: Int, column: Int) {
        let e = syntaxError(text)
        #expect(e?.line == line && e?.column == column, "\(String(describing: e))")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(syntaxError(text)?.message.contains("nested deeper") == true)
    }

    @Test func invalidUTF8IsAnError() {
        do {
            _ = try JSONParser.parse(Data([0x5B, 0x22, 0xFF, 0x22, 0x5D]))
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("UTF-8"))
        }
    }
}
