import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
@testable import Server

/// `riskmap serve` bounds itself (issue 12): the answer cache is keyed by the normalised query and
/// bounded in bytes; idle connections are closed; over-long requests are refused.
@Suite("serve: limits")
struct LimitsTests {
    func request(_ uri: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: uri), body: RequestBody(buffer: ByteBuffer()))
    }

    /// The bytes of a response's body.
    func collect(_ response: Response) async throws -> ByteBuffer { ByteBuffer(data: try await bodyBytes(response)) }

    /// `count` different spellings of one query: parameters in any order, defaults given or left out,
    /// any letter percent-escaped (upper- or lower-case hex). Deterministic.
    static func spellings(_ count: Int, of parameters: [(String, String)], optional: Set<String>) -> [String] {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 33
        }
        func spell(_ text: String) -> String {
            text.unicodeScalars.map { c in
                switch next() % 3 {
                case 0: String(format: "%%%02X", c.value)
                case 1: String(format: "%%%02x", c.value)
                default: String(c)
                }
            }.joined()
        }
        var seen = Set<String>()
        var out: [String] = []
        while out.count < count {
            var pairs = parameters.filter { !optional.contains($0.0) || next() % 2 == 0 }
            for i in pairs.indices.reversed() { pairs.swapAt(i, Int(next() % UInt64(i + 1))) }
            let query = pairs.map { spell($0.0) + "=" + spell($0.1) }.joined(separator: "&")
            if seen.insert(query).inserted { out.append(query) }
        }
        return out
    }

    @Test func equivalentQueriesShareOneCacheEntry() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let budget = 1 << 20
        let server = RiskServer(folder: ServedFolder(fixture.out), services: .standard(), limits: ServerLimits(cacheBytes: budget, idleTimeout: FixtureFolder.testLimits.idleTimeout))
        let queries = Self.spellings(16_000, of: [("level", "street"), ("sort", "score"), ("format", "json"), ("parent", "")].filter { !$0.1.isEmpty },
                                     optional: ["level", "sort", "format"])
        var first: ByteBuffer?
        for q in queries {
            let r = await server.respond(request("/api/stats?" + q))
            #expect(r.status == .ok, "\(q)")
            let body = try await collect(r)
            if let first { #expect(body == first, "\(q)") } else { first = body }
        }
        let usage = server.memory.usage
        #expect(usage.entries == 1, "equivalent queries should hit one entry, got \(usage.entries)")
        #expect(usage.bytes <= budget)
        // `format` means nothing to /api/zones: every spelling of it is the same answer.
        for format in ["", "&format=json", "&format=csv", "&format=table"] {
            #expect(await server.respond(request("/api/zones?level=community" + format)).status == .ok)
        }
        #expect(server.memory.usage.entries == 2)
    }

    /// 16,000 queries with different answers: the cache keeps what fits in its bytes, no more.
    @Test func differentQueriesStayWithinTheByteBudget() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let budget = 64 << 10
        let server = RiskServer(folder: ServedFolder(fixture.out), services: .standard(), limits: ServerLimits(cacheBytes: budget, idleTimeout: FixtureFolder.testLimits.idleTimeout))
        for top in 1...16_000 {
            let r = await server.respond(request("/api/zones?level=post&top=\(top)"))
            #expect(r.status == .ok)
            if top % 1000 == 0 { #expect(server.memory.usage.bytes <= budget) }
        }
        #expect(server.memory.usage.bytes <= budget)
        #expect(server.memory.usage.entries < 16_000)
    }

    @Test func leastRecentlyUsedGoesFirst() {
        let cache = ByteBudgetCache<String, Int>(budget: 100)
        cache.insert(1, cost: 40, for: "a")
        cache.insert(2, cost: 40, for: "b")
        #expect(cache.value(for: "a") == 1)   // a is now newer than b
        cache.insert(3, cost: 40, for: "c")   // 120 > 100: b goes
        #expect(cache.value(for: "b") == nil && cache.value(for: "a") == 1 && cache.value(for: "c") == 3)
        #expect(cache.usage.bytes == 80 && cache.usage.entries == 2)
        cache.insert(4, cost: 101, for: "huge")   // larger than the budget: not kept, nothing evicted
        #expect(cache.value(for: "huge") == nil && cache.usage.entries == 2)
        cache.insert(5, cost: 10, for: "a")   // replacing counts the new cost only
        #expect(cache.usage.bytes == 50 && cache.value(for: "a") == 5)
    }

    @Test func overLongRequestTargetsAreRefused() async throws {
        try await withFixture { client, _ in
            let long = try await get(client, "/api/stats?parent=" + String(repeating: "A", count: 9000))
            #expect(long.status == .uriTooLong)
            #expect(((long.json as? [String: Any])?["error"] as? String)?.contains("8192") == true)
            // Beyond what HTTP parsing takes at all: 400, no matter what the target is.
            let huge = try await get(client, "/" + String(repeating: "B", count: 40_000))
            #expect(huge.status == .badRequest)
        }
    }

    @Test func aRequestWithABodyIsRefused() async throws {
        try await withFixture { client, _ in
            let r = try await client.execute(uri: "/healthz", method: .get, headers: [:], body: ByteBuffer(string: "x"))
            #expect(r.status == .contentTooLarge)
        }
    }

    /// Through the real binary: a silent connection and one sending half a request head are both
    /// closed once `--idle-timeout` passes (Python's socket as the client).
    @Test func idleConnectionsAreClosed() throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let serve = try ServeProcess(out: fixture.out, extra: ["--idle-timeout", "0.5"])
        defer { serve.stop() }
        let port = try #require(serve.url.split(separator: ":").last?.split(separator: "/").first.map(String.init))
        let r = try python(["-c", """
            import socket, sys, time
            for partial in (b"", b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n"):
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.settimeout(10)
                if partial:
                    s.sendall(partial)
                t = time.time()
                while s.recv(4096):
                    pass
                print(round(time.time() - t, 2))
            """, port])
        #expect(r.status == 0, "\(r.stderr)")
        let waits = r.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(waits.count == 2 && waits.allSatisfy { $0 >= 0.3 && $0 < 5 }, "\(r.stdout) \(r.stderr)")
    }

    /// `/api/stats?format=csv` with zone names holding CRLF, lone CR and LF, quotes, commas and spaces:
    /// Python's csv reads back exactly the names.
    @Test func csvAnswersRoundTripThroughPython() async throws {
        let fixture = try FixtureFolder()
        defer { fixture.remove() }
        let names = ["岗厦\r\n社区", "a\rb", "x\ny", "say \"hi\"", "福华路,12号", "  spaced  "]
        let features = names.enumerated().map { i, name in
            let encoded = String(decoding: try! JSONSerialization.data(withJSONObject: name, options: .fragmentsAllowed), as: UTF8.self)
            return FixtureFolder.zone("C\(i + 1)", "NAME", "S1", cases: i, score: Double(i), level: "green",
                                      box: (114.0 + Double(i) * 0.001, 22.5, 114.001 + Double(i) * 0.001, 22.51))
                .replacingOccurrences(of: "\"NAME\"", with: encoded)
        }
        try Data(FixtureFolder.collection(features).utf8).write(to: fixture.out.appendingPathComponent("communities.geojson"))
        let server = fixture.server()
        let r = await server.respond(request("/api/stats?level=community&format=csv"))
        #expect(r.status == .ok)
        let body = Data(buffer: try await collect(r))
        let file = fixture.parent.appendingPathComponent("stats.csv")
        try body.write(to: file)
        let py = try python(["-c", """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                rows = list(csv.reader(f))
            print(json.dumps([r[rows[0].index('name')] for r in rows[1:]] + [str(len(set(map(len, rows))))]))
            """, file.path])
        let parsed = try JSONDecoder().decode([String].self, from: Data(py.stdout.utf8))
        #expect(Set(parsed.dropLast()) == Set(names) && parsed.count == names.count + 1, "\(parsed) \(py.stderr)")
        #expect(parsed.last == "1", "rows of unequal length: \(parsed)")
    }
}
