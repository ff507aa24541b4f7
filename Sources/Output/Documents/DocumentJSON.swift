import Foundation
import Input

/// Writes and reads riskmap's JSON documents through their Codable types.
///
/// The text is the one riskmap has always written (JSONSerialization's), so that output stays byte
/// for byte the same: object keys in Foundation's sorted order — a locale collation, numeric and
/// case-insensitive ("S9" before "S10", "_x" before "9"), which `JSONEncoder.sortedKeys` (code-point
/// order) does not give — numbers in their shortest form ("1" for 1.0, "1e-07"), `/` escaped unless
/// `escapingSlashes` is false, and JSONSerialization's pretty layout. JSONEncoder gives the values;
/// they are parsed back with `JSONParser` (kinds kept apart, members in order) and written here.
public enum DocumentJSON {
    /// One line (no newline at the end) or, with `pretty`, JSONSerialization's indented layout.
    public static func text<T: Encodable>(_ value: T, pretty: Bool = false, escapingSlashes: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Every document type holds finite numbers only; a NaN is a bug that shows as `null`.
        guard let data = try? encoder.encode(value), let tree = try? JSONParser.parse(data) else { return "null" }
        var writer = Writer(pretty: pretty, escapingSlashes: escapingSlashes)
        writer.write(tree)
        return writer.out
    }

    /// A document riskmap wrote, typed. Throws DecodingError when a member is missing or of another kind.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    /// What is wrong with a document, for messages: the member's path and the problem.
    public static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the document" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return "\(path(c.codingPath + [key])) is missing"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?: return "\(path(c.codingPath)): \(c.debugDescription)"
        case .dataCorrupted(let c)?: return "\(path(c.codingPath)): \(c.debugDescription)"
        default: return "\(error)"
        }
    }

    /// A number as JSON writes it: the shortest form that reads back the same, no ".0" ("3", "12.35", "1e-07").
    public static func numberText(_ d: Double) -> String {
        let s = "\(d)"
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// Foundation's order of object keys (JSONSerialization's `.sortedKeys`).
    public static func inOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex,
                  locale: Locale(identifier: "")) == .orderedAscending
    }

    struct Writer {
        let pretty: Bool
        let escapingSlashes: Bool
        var out = ""
        var depth = 0

        mutating func write(_ v: JSONValue) {
            switch v {
            case .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .number(let n): out += Self.number(n)
            case .string(let s): string(s)
            case .array(let items): list("[", "]", items) { $0.write($1) }
            case .object(let members):
                list("{", "}", members.sorted { inOrder($0.key, $1.key) }) { w, m in
                    w.string(m.key)
                    w.out += w.pretty ? " : " : ":"
                    w.write(m.value)
                }
            }
        }

        mutating func list<E>(_ open: String, _ close: String, _ items: [E], _ each: (inout Writer, E) -> Void) {
            out += open
            if pretty { out += "\n"; depth += 1 }
            for (i, item) in items.enumerated() {
                if i > 0 { out += pretty ? ",\n" : "," }
                if pretty { indent() }
                each(&self, item)
            }
            if pretty { out += "\n"; depth -= 1; indent() }
            out += close
        }

        mutating func indent() { out += String(repeating: "  ", count: depth) }

        /// The number as JSONEncoder wrote it: the literal when it was long, else the shortest form.
        static func number(_ n: JSONNumber) -> String { n.literal ?? numberText(n.value) }

        mutating func string(_ s: String) {
            out += "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "/" where escapingSlashes: out += "\\/"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{8}": out += "\\b"
                case "\u{c}": out += "\\f"
                case _ where u.value < 0x20: out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
                default: out.unicodeScalars.append(u)
                }
            }
            out += "\""
        }
    }
}
