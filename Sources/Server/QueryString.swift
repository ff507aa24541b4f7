/// A request's query string, decoded strictly: a malformed escape or an unknown parameter is a 400,
/// never silently ignored, so a typo in a dashboard's URL shows up at once.
public struct QueryString: Sendable {
    public private(set) var values: [String: String] = [:]

    /// `raw` is the part after `?` (nil when there is none). `allowed` lists the parameter names.
    public init(_ raw: String?, allowed: [String]) throws(APIError) {
        guard let raw, !raw.isEmpty else { return }
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], what: "parameter name")
            let value = parts.count > 1 ? try Self.decode(parts[1], what: "value of \(key)") : ""
            guard allowed.contains(key) else {
                throw .badRequest("unknown parameter '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw .badRequest("parameter '\(key)' given twice") }
            values[key] = value
        }
    }

    public subscript(key: String) -> String? { values[key] }

    /// An integer parameter within `range`.
    public func int(_ key: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = values[key] else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw .badRequest("\(key) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return n
    }

    /// One of `choices`.
    public func choice(_ key: String, _ choices: [String]) throws(APIError) -> String? {
        guard let text = values[key] else { return nil }
        guard choices.contains(text) else {
            throw .badRequest("\(key) must be one of \(choices.joined(separator: "|")), got '\(text)'")
        }
        return text
    }

    /// Percent-decoding as in HTML forms (`+` is a space, unless `plusIsSpace` is false as in paths);
    /// bad escapes and invalid UTF-8 are refused.
    static func decode(_ text: Substring, what: String, plusIsSpace: Bool = true) throws(APIError) -> String {
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            switch b {
            case UInt8(ascii: "+") where plusIsSpace: bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard it.count >= 2, let hi = hexValue(it.popFirst()!), let lo = hexValue(it.popFirst()!) else {
                    throw .badRequest("bad percent-escape in \(what)")
                }
                bytes.append(hi << 4 | lo)
            default: bytes.append(b)
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw .badRequest("\(what) is not UTF-8") }
        return s
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
