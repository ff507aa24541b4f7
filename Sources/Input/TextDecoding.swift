import Foundation
import Model
#if canImport(Glibc)
import Glibc
#endif

/// Turns the bytes of a text file into a String: UTF-8 (with or without BOM), else GB18030/GBK.
///
/// Hotline systems export either UTF-8 (often with Excel's BOM) or GBK; GB18030 is a superset of GBK
/// and GB2312, so one converter reads all three. Valid UTF-8 is taken as UTF-8: Chinese GBK text is
/// almost never valid UTF-8 by accident, and pure ASCII is the same in both.
public enum TextDecoding {
    /// The source encoding that was recognised, for reports and tests.
    public enum Encoding: String, Sendable { case utf8, utf8BOM = "utf8-bom", gb18030 }

    public static func decode(_ data: Data, file: String) throws(InputError) -> String {
        try decodeReporting(data, file: file).text
    }

    /// Like `decode`, and also says which encoding the bytes were in.
    /// Byte positions in messages are 0-based offsets into the file, as hex editors show them.
    public static func decodeReporting(_ data: Data, file: String) throws(InputError)
        -> (text: String, encoding: Encoding)
    {
        guard !data.isEmpty else { throw InputError(file: file, "empty file") }
        let result: Result<(String, Encoding), InputError> = data.withUnsafeBytes { raw in
            classify(raw.assumingMemoryBound(to: UInt8.self), file: file)
        }
        return try result.get()
    }

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, file: String)
        -> Result<(String, Encoding), InputError>
    {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            // UTF-16 is full of NUL bytes; say what it is rather than calling it binary.
            return .failure(InputError(file: file, "UTF-16 text is not supported: save the file as UTF-8 or GB18030"))
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(InputError(file: file, "not a text file (binary data at byte \(nul))"))
        }
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = UnsafeBufferPointer(rebasing: bytes[(hasBOM ? 3 : 0)...])
        if let text = String(validating: body, as: UTF8.self) {
            return .success((text, hasBOM ? .utf8BOM : .utf8))
        }
        switch gb18030ToUTF8(body) {
        case .success(let utf8):
            return .success((String(decoding: utf8, as: UTF8.self), .gb18030))
        case .failure(let offset):
            let at = offset + (hasBOM ? 3 : 0)
            return .failure(InputError(file: file, "not a text file (binary data at byte \(at)): neither UTF-8 nor GB18030"))
        }
    }

    /// What a block-by-block look at a valid UTF-8 file without NUL bytes found (such a file
    /// `CSVReader.forEachRow(inFile:)` can read a block at a time): the length of its BOM, and its line
    /// feeds (an upper bound on its rows, to size arrays once).
    public struct FileScan: Sendable {
        public var bomLength: Int
        public var lineFeeds: Int
    }

    /// Reads the file once, a block at a time. nil when it is not plain UTF-8, or empty, or unreadable:
    /// the caller then decodes it whole (`decode`), which also says precisely what is wrong.
    public static func scanFile(_ url: URL, blockSize: Int = 4 << 20) -> FileScan? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var scan = FileScan(bomLength: 0, lineFeeds: 0)
        var pending: [UInt8] = [], first = true
        while true {
            let data: Data
            do { data = try handle.read(upToCount: blockSize) ?? Data() } catch { return nil }  // nil: the end
            let atEnd = data.isEmpty
            if first {
                if atEnd { return nil }
                if data.starts(with: [0xEF, 0xBB, 0xBF]) { scan.bomLength = 3 }
                pending.append(contentsOf: data.dropFirst(scan.bomLength))
                first = false
            } else { pending.append(contentsOf: data) }
            // Validated up to the last line feed: a line feed never lies inside a multi-byte sequence.
            guard let end = atEnd ? pending.count : pending.lastIndex(of: 0x0A).map({ $0 + 1 }) else { continue }
            let plain = pending.withUnsafeBufferPointer { all in
                let part = UnsafeBufferPointer(rebasing: all[..<end])
                scan.lineFeeds += part.reduce(into: 0) { n, b in if b == 0x0A { n += 1 } }
                return !part.contains(0) && String(validating: part, as: UTF8.self) != nil
            }
            guard plain else { return nil }
            pending.removeFirst(end)
            if atEnd { return scan }
        }
    }

    enum Conversion { case success([UInt8]), failure(Int) }

    /// Converts GB18030 bytes with glibc's iconv; on failure gives the offset of the first bad byte.
    /// Foundation on Linux is not relied upon for GB18030 (it depends on the build's ICU tables).
    static func gb18030ToUTF8(_ input: UnsafeBufferPointer<UInt8>) -> Conversion {
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return foundationFallback(input) }
        defer { iconv_close(cd) }
        // A GB18030 character of n bytes (1, 2 or 4) becomes at most 1, 3 or 4 UTF-8 bytes.
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var input = Array(input)
        let total = input.count
        var written = 0
        var failedAt: Int?
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = total
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                // EILSEQ (bad sequence) and EINVAL (truncated at the end) both leave inLeft at the bad byte.
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 { failedAt = total - inLeft }
                written = outBuf.count - outLeft
            }
        }
        if let failedAt { return .failure(failedAt) }
        output.removeSubrange(written...)
        return .success(output)
    }

    /// Used only where glibc has no GB18030 gconv module (minimal containers).
    private static func foundationFallback(_ input: UnsafeBufferPointer<UInt8>) -> Conversion {
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)  // kCFStringEncodingGB_18030_2000
        guard let s = String(data: Data(input), encoding: gb18030) else { return .failure(0) }
        return .success(Array(s.utf8))
    }
}
