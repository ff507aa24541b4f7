import Foundation

/// A JSON value whose kinds stay apart. Foundation's JSONSerialization returns NSNumber for numbers
/// and booleans alike (on Linux the numbers 0 and 1 come back as booleans) and loses the digits of
/// integers beyond 2^53; GIS exports carry administrative codes as such numbers, so boundary files are
/// read with this model instead.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// Members in file order. GeoJSON objects have a handful of members: a list is cheaper to build,
    /// search and free than a dictionary for each of thousands of features.
    case object([JSONMember])

    /// The member `key` of an object (the last one when a file repeats a key, as JavaScript reads it).
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.last { $0.key == key }?.value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let n) = self { return n.value }
        return nil
    }

    /// "a boolean", "null", "an object" … for messages about a value of the wrong kind.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): "a boolean (\(b))"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
}

/// A JSON number: its value, and its literal when a Double cannot hold all its digits.
public struct JSONNumber: Sendable, Equatable {
    public var value: Double
    /// The literal as written, kept only for literals with more than 15 significant digits
    /// (administrative codes such as 44030400100100000000), so `text` can give every digit back.
    public var literal: String?

    public init(_ value: Double, literal: String? = nil) {
        self.value = value
        self.literal = literal
    }

    /// The number as an id: integral numbers without fraction or exponent ("4", "-3", "0"; 4.0 → "4"),
    /// long integer literals digit for digit, other numbers in Swift's shortest form ("4.5").
    public var text: String {
        if let literal, let digits = Self.integralDigits(literal) { return digits }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    /// "-12" for "-12" or "-12.000"; nil when the literal has an exponent or a non-zero fraction.
    static func integralDigits(_ literal: String) -> String? {
        guard !literal.contains(where: { $0 == "e" || $0 == "E" }) else { return nil }
        let parts = literal.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].contains(where: { $0 != "0" }) { return nil }
        let whole = String(parts[0])
        return whole == "-0" ? "0" : whole
    }
}

/// Where and why a text is not JSON; `line` and `column` count from 1, columns in characters.
public struct JSONSyntaxError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict RFC 8259 parser over the bytes of a file (a UTF-8 byte order mark is skipped). It reads
/// the multi-megabyte coordinate arrays of boundary files without Foundation's NSNumber boxing, and its
/// errors give line and column instead of a byte offset.
public struct JSONParser {
    /// Deeper nesting than any GeoJSON needs is refused instead of exhausting the stack.
    public static let maximumDepth = 512

    public static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            return Result { () throws(JSONSyntaxError) in try parser.document() }
        }
        return try result.get()
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func document() throws(JSONSyntaxError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        skipSpace()
        guard i < bytes.count else { throw error("the file is empty (no JSON value)") }
        let value = try self.value()
        skipSpace()
        guard i == bytes.count else { throw error("unexpected text after the end of the JSON value") }
        return value
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw error("unexpected end of the file (a value was expected)") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected \(Self.show(bytes[i])) (a value was expected)")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var members: [JSONMember] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw expected("a member name in double quotes") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw expected("':' after the member name") }
            i += 1
            skipSpace()
            members.append(JSONMember(key: key, value: try value()))
            skipSpace()
            guard i < bytes.count else { throw expected("',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return .object(members) }
            throw expected("',' or '}'")
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < bytes.count else { throw expected("',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(items) }
            throw expected("',' or ']'")
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    // MARK: strings

    private mutating func string() throws(JSONSyntaxError) -> String {
        let start = i
        i += 1
        var run = i
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { i = start; throw error("a string that is never closed") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw error("a control character inside a string (write it as an escape such as \\n)") }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[run..<i])
                try escape(into: &out)
                run = i
            } else {
                i += 1
            }
        }
        // Most strings hold no escape: made straight from the file's bytes.
        let text: String?
        if run == start + 1 {
            text = String(validating: UnsafeBufferPointer(rebasing: bytes[run..<i]), as: UTF8.self)
        } else {
            out.append(contentsOf: bytes[run..<i])
            text = String(validating: out, as: UTF8.self)
        }
        guard let text else {
            i = start
            throw error("a string that is not valid UTF-8")
        }
        i += 1
        return text
    }

    private mutating func escape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        i += 1
        guard i < bytes.count else { throw error("a string that is never closed") }
        let simple: UInt8? = switch bytes[i] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes[i]
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple { out.append(simple); i += 1; return }
        guard bytes[i] == UInt8(ascii: "u") else { throw error("unknown escape \\\(Self.show(bytes[i]))") }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A surrogate pair: \uD83D\uDE00.
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw error("a lone surrogate \\u escape")
            }
            i += 1
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("a lone surrogate \\u escape") }
        out.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    /// The four hex digits after `\u` (i stands on the `u`).
    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            i += 1
            guard i < bytes.count, let d = Self.hexDigit(bytes[i]) else { throw error("a \\u escape needs four hex digits") }
            v = v << 4 | d
        }
        i += 1
        return v
    }

    private static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: numbers

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`. Up to 15 significant digits and a small
    /// exponent the value is exact from integer arithmetic (one correctly rounded multiply or divide);
    /// anything longer goes through Double(String).
    private mutating func number() throws(JSONSyntaxError) -> JSONNumber {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa: UInt64 = 0, digits = 0, fractionDigits = 0
        guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("a '-' without digits") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, Self.isDigit(bytes[i]) { throw error("a number with a leading zero") }
        } else {
            while i < bytes.count, Self.isDigit(bytes[i]) { accumulate(&mantissa, &digits); i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("a number with no digits after '.'") }
            while i < bytes.count, Self.isDigit(bytes[i]) { accumulate(&mantissa, &digits); fractionDigits += 1; i += 1 }
        }
        var hasExponent = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            hasExponent = true
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("a number with no digits in its exponent") }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        let negative = bytes[start] == UInt8(ascii: "-")
        if !hasExponent, digits <= 15, fractionDigits <= 22 {
            let magnitude = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return JSONNumber(negative ? -magnitude : magnitude)
        }
        let literal = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let value = Double(literal), value.isFinite else {
            i = start
            throw error("a number too large for a double (\(literal))")
        }
        return JSONNumber(value, literal: digits > 15 ? literal : nil)
    }

    /// Adds the digit at `i` to the mantissa, counting significant digits (leading zeros are not).
    private func accumulate(_ mantissa: inout UInt64, _ digits: inout Int) {
        let d = UInt64(bytes[i] - UInt8(ascii: "0"))
        if mantissa == 0, d == 0 { return }
        digits += 1
        if digits <= 19 { mantissa = mantissa &* 10 &+ d }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    // MARK: helpers

    private mutating func word(_ w: StaticString) throws(JSONSyntaxError) {
        let n = w.utf8CodeUnitCount
        guard i + n <= bytes.count,
              (0..<n).allSatisfy({ bytes[i + $0] == w.utf8Start[$0] }) else {
            throw error("unexpected \(Self.show(bytes[i])) (a value was expected)")
        }
        i += n
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private func expected(_ what: String) -> JSONSyntaxError {
        guard i < bytes.count else { return error("unexpected end of the file (\(what) was expected)") }
        return error("unexpected \(Self.show(bytes[i])) (\(what) was expected)")
    }

    /// The error at the current position, with line and column counted only now (errors are rare).
    private func error(_ message: String) -> JSONSyntaxError {
        var line = 1, column = 1
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        for b in bytes[min(bom, i)..<min(i, bytes.count)] {
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1  // one per character: UTF-8 continuation bytes do not count
            }
        }
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    private static func show(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "byte 0x%02X", b)
    }
}
