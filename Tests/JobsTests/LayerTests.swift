import Foundation
import TestSupport
import Testing

/// The house keeps its walls: every `import` in Sources/ is allowed by docs/layers.txt (the table of
/// docs/architecture.md), C libraries are imported only by their bridges, and every target has a row.
/// `scripts/check_layers.py` does the reading; this test makes a sideways import fail CI.
@Suite struct LayerTests {
    @Test func noImportCrossesALayer() throws {
        let result = try python(["scripts/check_layers.py", "--repo", Repo.root.path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("crossing edges: 0"))
    }

    /// The checker itself sees a crossing edge: a copy of the table that forbids Pipeline → Tiles.
    @Test func theCheckerSeesACrossingEdge() throws {
        let folder = try Repo.temporaryFolder()
        let table = try String(contentsOf: Repo.root.appendingPathComponent("docs/layers.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("Pipeline:") ? $0.replacingOccurrences(of: " Tiles", with: "") : String($0) }
            .joined(separator: "\n")
        let copy = folder.appendingPathComponent("layers.txt")
        try table.write(to: copy, atomically: true, encoding: .utf8)
        let result = try python(["scripts/check_layers.py", "--repo", Repo.root.path, "--table", copy.path, "--count"])
        #expect(result.status == 1)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}
