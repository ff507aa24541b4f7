import Foundation
import Input
import Model

/// `rejects.csv`: `file,line,id,reason`, then the row's original fields under their own headers
/// (the union of the case files' headers, in order of first appearance), then `detail`, a sentence
/// that explains the reason (the candidates of an ambiguous address, the bad date as read).
public enum RejectsWriter {
    public static func csv(_ rejects: [RejectedRow], headers: [String: [String]]) -> String {
        var out = ""
        csv(rejects, headers: headers) { out += $0 }
        return out
    }

    /// The same text, handed to `append` a line at a time (`OutputFolder.writeStreaming`).
    public static func csv<E: Error>(_ rejects: [RejectedRow], headers: [String: [String]],
                                     append: (String) throws(E) -> Void) throws(E) {
        var columns: [String] = []
        for file in headers.keys.sorted() {
            for h in headers[file] ?? [] where !columns.contains(h) { columns.append(h) }
        }
        let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        try append(CSVWriter.line(["file", "line", "id", "reason"] + columns + ["detail"]))
        for r in rejects.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
            var cells = [String](repeating: "", count: columns.count)
            let own = headers[r.file] ?? []
            var extra: [String] = []
            for (i, value) in r.fields.enumerated() {
                if i < own.count, let j = index[own[i]] { cells[j] = value } else { extra.append(value) }
            }
            let detail = extra.isEmpty ? r.detail : r.detail + " (extra fields: " + extra.joined(separator: " | ") + ")"
            try append(CSVWriter.line([r.file, String(r.line), r.id, r.reason.rawValue] + cells + [detail]))
        }
    }
}
