import Foundation
import Testing

extension APITests {
    /// A 19-digit year overflowed the day arithmetic (a trap: the whole server down) — found while
    /// writing the fuzz targets; now a 400 like any other malformed date.
    @Test(arguments: ["/api/stats?since=9223372036854775807-01-01", "/api/stats?as-of=9223372036854775807-12-31&window=1",
                      "/api/zones?until=99999-01-01"])
    func hugeYearsAre400(_ uri: String) async throws {
        try await withFixture(live: false) { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .badRequest, "\(uri) -> \(r.status)")
        }
    }
}
