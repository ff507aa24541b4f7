import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

func ids(_ r: TestResponse) -> [String] {
    if let array = r.json as? [[String: Any]] { return array.compactMap { $0["id"] as? String } }
    let features = (r.json as? [String: Any])?["features"] as? [[String: Any]] ?? []
    return features.compactMap { ($0["properties"] as? [String: Any])?["id"] as? String }
}

@Suite("serve: the JSON API")
struct APITests {
    @Test func zonesByLevelAndParent() async throws {
        try await withFixture(live: false) { client, _ in
            let all = try await get(client, "/api/zones?level=community")
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "application/geo+json")
            #expect((all.json as? [String: Any])?["type"] as? String == "FeatureCollection")
            #expect(ids(all) == ["C1", "C2"])
            #expect(ids(try await get(client, "/api/zones?level=post&parent=C2")) == ["P2", "P3"])
            #expect(ids(try await get(client, "/api/zones?level=post&sort=score&top=2")) == ["P1", "P3"])
            #expect(ids(try await get(client, "/api/zones")) == ["S1"])
        }
    }

    @Test func statsLikeTheStatsCommand() async throws {
        try await withFixture(live: false) { client, _ in
            let r = try await get(client, "/api/stats?level=post&sort=cases&top=2")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json")
            #expect(ids(r) == ["P1", "P3"])
            let first = try #require((r.json as? [[String: Any]])?.first)
            #expect(first["cases"] as? Int == 9)
            #expect(first["level"] as? String == "red")
            #expect(first["name"] as? String == "哨点一")
            // default order: score, descending
            #expect(ids(try await get(client, "/api/stats?level=community")) == ["C1", "C2"])
            #expect(ids(try await get(client, "/api/stats?level=post&sort=density&parent=C2")) == ["P3", "P2"])
            let csv = try await get(client, "/api/stats?level=community&format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("id,name,parent,cases,score,level"))
            #expect(csv.text.contains("C2,皇岗社区,S1,3,5.5,yellow"))
        }
    }

    @Test(arguments: [
        "/api/stats?level=district", "/api/stats?level=post&parent=NOPE", "/api/stats?level=street&parent=S1",
        "/api/stats?top=0", "/api/stats?top=abc", "/api/stats?sort=name", "/api/stats?format=xml",
        "/api/stats?levle=street", "/api/stats?level=street&level=post", "/api/stats?since=2026-13-01",
        "/api/stats?since=2026-11-30&until=2026-11-01", "/api/stats?window=-3", "/api/stats?parent=",
        "/api/stats?level=%zz", "/api/stats?since=2026-11-01&window=7", "/api/stats?format=table",
        "/api/zones?level=bogus", "/api/zones?top=-1", "/api/locate", "/api/locate?q=", "/api/locate?q=114,22&crs=venus",
        "/api/locate?q=114,22&x=1",
    ])
    func badQueriesAre400WithAMessage(_ uri: String) async throws {
        try await withFixture(live: false) { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .badRequest, "\(uri) -> \(r.status)")
            let message = (r.json as? [String: Any])?["error"] as? String ?? ""
            #expect(!message.isEmpty)
        }
    }

    /// The zone files hold one window: options that re-count cases wait for the case database.
    @Test(arguments: ["/api/stats?category=%E5%99%AA%E5%A3%B0", "/api/stats?since=2026-11-01&until=2026-11-20",
                      "/api/stats?as-of=2026-11-22&window=7"])
    func optionsNeedingTheDatabaseAre501(_ uri: String) async throws {
        try await withFixture(live: false) { client, _ in
            let r = try await get(client, uri)
            #expect(r.status == .notImplemented)
            #expect(((r.json as? [String: Any])?["error"] as? String)?.contains("database") == true)
        }
    }

    @Test func locateAPoint() async throws {
        try await withFixture(live: false) { client, _ in
            let r = try await get(client, "/api/locate?q=114.035%2C22.52")
            #expect(r.status == .ok)
            let d = try #require(r.json as? [String: Any])
            #expect(d["street"] as? String == "S1")
            #expect(d["community"] as? String == "C2")
            #expect(d["post"] as? String == "P3")
            #expect((d["point"] as? [Double])?.count == 2)
            let outside = try #require(try await get(client, "/api/locate?q=120,30").json as? [String: Any])
            #expect(outside["street"] is NSNull)
        }
    }

    /// Address text goes through the geocoder over the served zones: a community's name is located by
    /// name (no point), an address naming nothing known is refused with its reason.
    @Test func locateAddressText() async throws {
        try await withFixture(live: false) { client, _ in
            let q = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let named = try await get(client, "/api/locate?q=" + q("皇岗社区12栋"))
            #expect(named.status == .ok)
            let d = try #require(named.json as? [String: Any])
            #expect(d["community"] as? String == "C2")
            #expect(d["street"] as? String == "S1")
            #expect(d["method"] as? String == "name")
            let unknown = try #require(try await get(client, "/api/locate?q=" + q("某某路1号")).json as? [String: Any])
            #expect(unknown["rejected"] as? String != nil)
        }
    }

    /// The API's answers come from the services the command line supplies.
    @Test func servicesAreSupplied() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let services = ServerServices(
            stats: { q, _ in APIAnswer(body: Data("[\"\(q.level.rawValue) \(q.category ?? "")\"]".utf8)) },
            locate: { q, _ in throw APIError(.badGateway, "no geocoder for \(q.q)") })
        try await fixture.app(services: services).test(.router) { client in
            #expect(try await get(client, "/api/stats?level=post&category=dust").text == "[\"post dust\"]")
            let r = try await get(client, "/api/locate?q=x")
            #expect(r.status == .badGateway)
            #expect(r.text.contains("no geocoder for x"))
        }
    }
}
