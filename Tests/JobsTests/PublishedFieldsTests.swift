import Foundation
import TestSupport
import Testing

/// Issue 14, "Documents by their specs" and "Privacy of complainants": feature ids, `--case-points`,
/// the archives' revision (read by GDAL) and compressed PMTiles directories (read by the `pmtiles`
/// package), end to end through the binary.
@Suite(.serialized) struct PublishedFieldsTests {
    static func demoRun(_ name: String, _ extra: [String]) throws -> URL {
        let dir = try Repo.temporaryFolder(name)
        let out = dir.appendingPathComponent("out")
        let r = try runProcess(Repo.binary, ["run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                             "--as-of", "2026-11-22", "--out", out.path, "--min-zoom", "12", "--max-zoom", "12"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return out
    }

    static let exact = Result { try demoRun("points-exact", []) }
    static let snapped = Result { try demoRun("points-snap", ["--case-points", "snap:200"]) }

    static func features(_ url: URL) throws -> [[String: Any]] {
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return doc?["features"] as? [[String: Any]] ?? []
    }

    static func report(_ out: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any] ?? [:]
    }

    /// The demo's ids (FT01, FT2026…) are not numbers: every feature is numbered by its place, from 1,
    /// and keeps its own id in the properties.
    @Test func featuresOfTheDemoAreNumberedInOrder() throws {
        let out = try Self.exact.get()
        for file in ["streets.geojson", "communities.geojson", "posts.geojson", "cases.geojson"] {
            let features = try Self.features(out.appendingPathComponent(file))
            #expect(!features.isEmpty)
            #expect(features.map { $0["id"] as? Int } == Array(1...features.count), "\(file)")
            #expect(features.allSatisfy { (($0["properties"] as? [String: Any])?["id"] as? String)?.isEmpty == false }, "\(file)")
        }
        #expect(try Self.report(out)["case_points"] as? String == "exact")
    }

    /// Snapped points: each within half a cell's diagonal of the exact point (pyproj's geodesic), every
    /// case of one snapped point within a cell's diagonal of the others, fewer distinct points than
    /// cases, and the address warnings (which name the matched place) gone.
    @Test func snappedPointsStayInTheirCellByPyproj() throws {
        let exact = try Self.exact.get(), snapped = try Self.snapped.get()
        #expect(try Self.report(snapped)["case_points"] as? String == "snap:200")
        let script = """
        import json, sys, collections
        from pyproj import Geod
        g = Geod(ellps="WGS84")
        def load(p):
            return {f["properties"]["id"]: f for f in json.load(open(p))["features"]}
        a, b = load(sys.argv[1]), load(sys.argv[2])
        assert a.keys() == b.keys(), "different cases"
        worst, groups = 0.0, collections.defaultdict(list)
        for k, f in a.items():
            if f["geometry"] is None:
                assert b[k]["geometry"] is None; continue
            (x, y), (u, v) = f["geometry"]["coordinates"], b[k]["geometry"]["coordinates"]
            worst = max(worst, g.inv(x, y, u, v)[2])
            groups[(u, v)].append((x, y))
        spread = 0.0
        for pts in groups.values():
            for (x, y) in pts[:20]:
                for (u, v) in pts[:20]:
                    spread = max(spread, g.inv(x, y, u, v)[2])
        warned = sum("warning" in f["properties"] for f in b.values())
        print(json.dumps({"worst": worst, "spread": spread, "points": len(groups), "cases": len(a),
                          "warned_exact": sum("warning" in f["properties"] for f in a.values()), "warned": warned}))
        """
        let r = try python(["-c", script, exact.appendingPathComponent("cases.geojson").path,
                            snapped.appendingPathComponent("cases.geojson").path])
        #expect(r.status == 0, "\(r.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        let halfDiagonal = 200 * 2.0.squareRoot() / 2
        #expect((got["worst"] as? Double ?? .infinity) <= halfDiagonal * 1.01, "\(got)")
        #expect((got["worst"] as? Double ?? 0) > 50, "points did not move: \(got)")
        #expect((got["spread"] as? Double ?? .infinity) <= 2 * halfDiagonal * 1.01, "\(got)")
        #expect((got["points"] as? Int ?? .max) < (got["cases"] as? Int ?? 0) / 2, "\(got)")
        #expect(got["warned"] as? Int == 0)
    }

    @Test func noPointsLeavesZonesDayAndCategory() throws {
        let out = try Self.demoRun("points-none", ["--case-points", "none"])
        let features = try Self.features(out.appendingPathComponent("cases.geojson"))
        let exact = try Self.features(try Self.exact.get().appendingPathComponent("cases.geojson"))
        #expect(features.count == exact.count && !features.isEmpty)
        #expect(features.allSatisfy { $0["geometry"] is NSNull })
        let props = features.compactMap { $0["properties"] as? [String: Any] }
        #expect(props.allSatisfy { $0["street"] != nil && $0["date"] is String && $0["category"] is String && $0["warning"] == nil })
        #expect(try Self.report(out)["case_points"] as? String == "none")
    }

    @Test(arguments: ["snap", "snap:", "snap:5", "snap:abc", "snap:1e9", "fuzzy", "snap:nan"])
    func badCasePointsIsABadCommandLine(value: String) throws {
        let dir = try Repo.temporaryFolder("badpoints")
        let r = try riskmap("run", "--boundaries", Repo.demo.path, "--cases", Repo.demo.appendingPathComponent("cases.csv").path,
                            "--out", dir.appendingPathComponent("out").path, "--case-points", value)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--case-points") && r.stderr.contains(value), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    /// GDAL's MBTiles driver opens the zone archive: its zooms, and `version` as the tileset's
    /// revision (the as-of day), not the spec's "1.3".
    @Test func gdalReadsTheMBTilesWithItsRevision() throws {
        let dir = try Repo.temporaryFolder("gdal")
        let mb = dir.appendingPathComponent("risk.mbtiles")
        _ = try Self.demoRun("gdal-run", ["--mbtiles", mb.path, "--min-zoom", "11", "--max-zoom", "13"])
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["gdalinfo", "-json", dir.appendingPathComponent("risk-street.mbtiles").path])
        #expect(r.status == 0, "gdalinfo (apt-get install gdal-bin): \(r.stderr)")
        let info = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(info["driverShortName"] as? String == "MBTiles")
        let meta = (info["metadata"] as? [String: Any])?[""] as? [String: String] ?? [:]
        #expect(meta["version"] == "20261122", "\(meta)")
        #expect(meta["ZOOM_LEVEL"] == "13" && meta["minzoom"] == "11" && meta["name"] == "riskmap street", "\(meta)")
        #expect((info["bands"] as? [Any])?.count == 4)
    }
}
