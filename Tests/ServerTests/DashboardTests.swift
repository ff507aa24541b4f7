import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The demo district as a dashboard sees it through the real `riskmap serve`: the served TileJSON
/// against the TileJSON 3.0.0 schema (python jsonschema), a PMTiles archive read by the pmtiles python
/// reader over HTTP Range requests, /metrics parsed by prometheus_client, the access log on stderr.
@Suite("serve: the demo through dashboard clients (issue 14)", .serialized)
struct DashboardTests {
    /// One demo run (zooms 10–13, `--pmtiles`), with the archive copied into the served folder and a
    /// GCJ-02 pyramid made from its tiles (`tiles-gcj02.json` + `tiles-gcj02/`).
    static let demo: Result<URL, any Error> = Result {
        let dir = try Repo.temporaryFolder("dashboard")
        let out = dir.appendingPathComponent("out")
        let archive = dir.appendingPathComponent("risk.pmtiles")
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                            "--as-of", "2026-11-22", "--out", out.path, "--max-zoom", "13", "--pmtiles", archive.path, "--quiet")
        guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "demo run failed: \(r.stderr)"]) }
        try FileManager.default.copyItem(at: archive, to: out.appendingPathComponent("risk.pmtiles"))
        try FixtureFolder.addGCJ02Pyramid(to: out)
        return out
    }

    static let schema = Repo.root.appendingPathComponent("Tests/Fixtures/tilejson-3.0.0.schema.json")

    @Test func servedTileJSONIsValidTileJSON3() throws {
        let out = try Self.demo.get()
        let server = try ServeProcess(out: out, extra: ["--quiet"])
        defer { server.stop() }
        let script = """
        import json, sys, urllib.request, jsonschema
        base, schema_path = sys.argv[1], sys.argv[2]
        schema = json.load(open(schema_path))
        # TileJSON 3.0.0 section 3.3: vector_layers "is not required" for raster tiles (ours are PNG).
        schema["required"] = [r for r in schema["required"] if r != "vector_layers"]
        def get(path):
            with urllib.request.urlopen(base + path) as r:
                return json.load(r)
        checked = 0
        for pyramid in ["tiles", "tiles-gcj02"]:
            top = get(pyramid + ".json")
            docs = [top] + [get("%s/%s.json" % (pyramid, layer["id"])) for layer in top["layers"]]
            for doc in docs:
                jsonschema.validate(doc, schema)
                for url in doc["tiles"]:
                    assert url.startswith(base + pyramid + "/") and url.endswith("/{z}/{x}/{y}.png"), url
                checked += 1
        # The schema itself rejects what it should: a relative document without tiles.
        try:
            jsonschema.validate({"tilejson": "3.0.0"}, schema)
            sys.exit("schema accepted a TileJSON without tiles")
        except jsonschema.ValidationError:
            pass
        print(checked)
        """
        let r = try python(["-c", script, server.url, Self.schema.path])
        #expect(r.status == 0, "\(r.stderr)")
        // Two pyramids: the top document and one per layer (heat, street, community, post).
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10")
    }

    @Test func pmtilesReaderOverHTTPRange() throws {
        let out = try Self.demo.get()
        let server = try ServeProcess(out: out, extra: ["--quiet"])
        defer { server.stop() }
        // A heat tile of the demo: the archive's tile must be the folder's PNG, byte for byte.
        let heat = out.appendingPathComponent("tiles/heat/13")
        let x = try #require(try FileManager.default.contentsOfDirectory(atPath: heat.path).sorted().first)
        let y = try #require(try FileManager.default.contentsOfDirectory(atPath: heat.appendingPathComponent(x).path).sorted().first)
        let png = heat.appendingPathComponent("\(x)/\(y)")
        let script = """
        import sys, urllib.request
        from pmtiles.reader import Reader
        url, z, x, y, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        ranges = 0
        def get_bytes(offset, length):
            global ranges
            request = urllib.request.Request(url, headers={"Range": "bytes=%d-%d" % (offset, offset + length - 1)})
            with urllib.request.urlopen(request) as r:
                assert r.status == 206, r.status
                assert r.headers["Content-Type"] == "application/vnd.pmtiles", r.headers["Content-Type"]
                assert r.headers["Content-Range"].startswith("bytes %d-" % offset), r.headers["Content-Range"]
                ranges += 1
                return r.read()
        reader = Reader(get_bytes)
        header = reader.header()
        assert header["min_zoom"] == 10 and header["max_zoom"] == 13, header
        reader.metadata()
        tile = reader.get(z, x, y)
        assert tile == open(expected, "rb").read(), "tile differs"
        print(ranges)
        """
        let r = try python(["-c", script, server.url + "risk.pmtiles", "13", x, String(y.dropLast(4)), png.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 4)
    }

    @Test func metricsParseAsPrometheusText() throws {
        let out = try Self.demo.get()
        let server = try ServeProcess(out: out, extra: ["--quiet"])
        defer { server.stop() }
        let script = """
        import sys, urllib.request
        from prometheus_client.parser import text_string_to_metric_families
        base, tile = sys.argv[1], sys.argv[2]
        for _ in range(3):
            urllib.request.urlopen(base + tile).read()
        with urllib.request.urlopen(base + "metrics") as r:
            assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), r.headers["Content-Type"]
            text = r.read().decode()
        families = {f.name: f for f in text_string_to_metric_families(text)}
        route = "/tiles/{layer}/{z}/{x}/{y}.png"
        count = sum(s.value for s in families["hb_requests"].samples
                    if s.labels.get("http_route") == route and s.labels.get("http_response_status_code") == "200")
        assert count == 3, count
        assert families["http_server_request_duration"].type == "histogram"
        timed = [s for s in families["http_server_request_duration"].samples
                 if s.name.endswith("_count") and s.labels.get("http_route") == route]
        assert timed and timed[0].value == 3, timed
        served = sum(s.value for s in families["riskmap_tiles_served"].samples if s.labels.get("result") == "png")
        assert served == 3, served
        hits = sum(s.value for s in families["riskmap_cache_hits"].samples if s.labels.get("kind") == "file")
        misses = sum(s.value for s in families["riskmap_cache_misses"].samples if s.labels.get("kind") == "file")
        assert (hits, misses) == (2, 1), (hits, misses)
        print("ok")
        """
        let tiles = try FileManager.default.subpathsOfDirectory(atPath: out.appendingPathComponent("tiles/community/12").path)
        let tile = try #require(tiles.filter { $0.hasSuffix(".png") }.sorted().first)
        let r = try python(["-c", script, server.url, "tiles/community/12/" + tile])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok"))
    }

    /// One line per request on stderr; none with --quiet.
    @Test func accessLogOnStandardErrorUnlessQuiet() async throws {
        let out = try Self.demo.get()
        for quiet in [false, true] {
            let server = try ServeProcess(out: out, extra: quiet ? ["--quiet"] : [], captureStandardError: true)
            let (_, response) = try await URLSession.shared.data(from: URL(string: server.url + "api/zones?level=street")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            _ = try await URLSession.shared.data(from: URL(string: server.url + "nothing.txt")!)
            try await Task.sleep(for: .milliseconds(200))
            let log = server.stopAndReadStandardError()
            let lines = log.split(separator: "\n").filter { $0.contains(" GET /") }
            if quiet {
                #expect(lines.isEmpty, "\(log)")
            } else {
                #expect(lines.count == 2, "\(log)")
                #expect(lines.first?.contains("info") == true)
                #expect(lines.first?.contains("GET /api/zones 200 ") == true)
                #expect(lines.last?.contains("GET /nothing.txt 404 ") == true)
            }
        }
    }

    @Test(arguments: [["--public-url", "ftp://maps.example/"], ["--public-url", "maps.example"], ["--allow-origin", ""]])
    func badServeOptionsExit2(_ extra: [String]) throws {
        let r = try runProcess(Repo.binary, ["serve", "--out", "/tmp"] + extra)
        #expect(r.status == 2, "\(r.stderr)")
        // Known options with bad values, named as such.
        #expect(r.stderr.contains("\(extra[0]) must be"), "\(r.stderr)")
    }

    @Test func helpNamesTheNewOptions() throws {
        let help = try riskmap("serve", "--help").stdout
        for option in ["--public-url", "--public ", "--allow-origin", "/metrics", "/tiles/{layer}.json"] {
            #expect(help.contains(option), "\(option)")
        }
    }
}
