import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// `repeats.csv` (issue 15, item 4) names the addresses that keep calling: for the command centre, so
/// `serve` never hands it out — at the top or in a day folder, public or not — as it never serves rejects.csv.
@Suite struct RepeatsPrivacyTests {
    static func addRepeats(_ fixture: FixtureFolder) throws {
        let text = "kind,address,addresses,lon,lat,street,community,post,categories,first,last,cases,trend\r\n"
            + "address,福华路1号,1,114.010000,22.510000,S1,C1,P1,噪声 3,2026-11-20,2026-11-22,3,2\r\n"
        let day = fixture.out.appendingPathComponent("2026-11-21")
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
        for folder in [fixture.out, day] { try Data(text.utf8).write(to: folder.appendingPathComponent("repeats.csv")) }
    }

    @Test(arguments: [false, true])
    func repeatsAreNeverServed(_ isPublic: Bool) async throws {
        try await withServer(ServeOptions(isPublic: isPublic), prepare: Self.addRepeats) { client, _ in
            for path in ["/repeats.csv", "/2026-11-21/repeats.csv", "/repeats.csv?x=1"] {
                let r = try await get(client, path)
                #expect(r.status == .notFound, "\(path): \(r.status)")
                #expect(!String(buffer: r.body).contains("福华路"), "\(path)")
            }
            #expect(try await get(client, "/streets.geojson").status == .ok)
        }
    }
}
