import Foundation
import TestSupport
import Testing

/// `riskmap check`: gaps and overlaps between siblings with areas in m² (checked against pyproj's
/// geodesic areas), repairs reported, and exit 1 only for what would stop `run`.
@Suite struct CheckTests {
    func check(_ d: TinyDistrict) throws -> (ProcessResult, [[String: Any]]) {
        let r = try riskmap("check", "--boundaries", d.folder.path, "--json")
        let doc = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r, doc?["findings"] as? [[String: Any]] ?? [])
    }

    /// pyproj's geodesic area of a lon/lat box, the oracle for the reported m².
    func geodesicArea(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) throws -> Double {
        let r = try python(["-c", """
        from pyproj import Geod
        from shapely.geometry import box
        print(abs(Geod(ellps='WGS84').geometry_area_perimeter(box(\(x0), \(y0), \(x1), \(y1)))[0]))
        """])
        return Double(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    @Test func cleanDistrictHasNoFindings() throws {
        let (r, findings) = try check(try TinyDistrict())
        #expect(r.status == 0)
        #expect(findings.filter { $0["kind"] as? String != "warning" }.isEmpty, "\(findings)")
    }

    @Test func gapAndOverlapAreMeasured() throws {
        let d = try TinyDistrict()
        // C2 now stops short (a gap 114.00–114.05 × 22.54–22.55) and C1 reaches into C2 (overlap 22.52–22.53).
        try d.write("communities.geojson", TinyDistrict.collection([
            TinyDistrict.feature("C1", parent: "S1", geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.53)),
            TinyDistrict.feature("C2", parent: "S1", geometry: TinyDistrict.square(114.00, 22.52, 114.05, 22.54)),
            TinyDistrict.feature("C3", parent: "S2", geometry: TinyDistrict.square(114.05, 22.50, 114.10, 22.55)),
        ]))
        try d.write("posts.geojson", TinyDistrict.collection([]))
        let (r, findings) = try check(d)
        #expect(r.status == 0, "gaps and overlaps do not stop a run: \(r.stderr)")
        let gap = findings.first { $0["kind"] as? String == "gap" && $0["level"] as? String == "community" }
        let overlap = findings.first { $0["kind"] as? String == "overlap" }
        let gapArea = try #require(gap?["area_m2"] as? Double, "\(findings)")
        let overlapArea = try #require(overlap?["area_m2"] as? Double, "\(findings)")
        #expect(abs(gapArea - (try geodesicArea(114.00, 22.54, 114.05, 22.55))) < 1)
        #expect(abs(overlapArea - (try geodesicArea(114.00, 22.52, 114.05, 22.53))) < 1)
        #expect(overlap?["zones"] as? [String] == ["C1", "C2"])
    }

    @Test func repairIsAWarningNamingTheFeature() throws {
        let d = try TinyDistrict()
        try d.write("streets.geojson", TinyDistrict.collection([
            TinyDistrict.feature("S1", parent: nil, geometry: TinyDistrict.square(114.00, 22.50, 114.05, 22.55)),
            // A bow-tie: MakeValid turns it into two triangles.
            TinyDistrict.feature("S2", parent: nil, geometry: "[[[114.05,22.50],[114.10,22.55],[114.10,22.50],[114.05,22.55],[114.05,22.50]]]"),
        ]))
        let (r, findings) = try check(d)
        #expect(r.status == 0)
        let messages = findings.compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("streets.geojson") && $0.contains("'S2'") && $0.contains("MakeValid") }, "\(messages)")
    }

    @Test func whatStopsRunExitsOne() throws {
        let d = try TinyDistrict()
        try d.write("posts.geojson", TinyDistrict.collection([
            TinyDistrict.feature("P1", parent: "C404", geometry: "[114.01,22.51]", type: "Point"),
        ]))
        let r = try riskmap("check", "--boundaries", d.folder.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("posts.geojson") && r.stderr.contains("C404"))
    }

    /// A legacy `crs` member wins over --boundaries-crs; EPSG:4547 coordinates come out as the same
    /// lon/lat (pyproj made the projected file).
    @Test func legacyCRSMemberIsHonoured() throws {
        let d = try TinyDistrict()
        let streets = d.folder.appendingPathComponent("streets.geojson").path
        let r = try python(["-c", """
        import json
        from pyproj import Transformer
        t = Transformer.from_crs(4326, 4547, always_xy=True)
        doc = json.load(open('\(streets)'))
        for f in doc['features']:
            f['geometry']['coordinates'] = [[list(t.transform(x, y)) for x, y in ring] for ring in f['geometry']['coordinates']]
        doc['crs'] = {'type': 'name', 'properties': {'name': 'urn:ogc:def:crs:EPSG::4547'}}
        json.dump(doc, open('\(streets)', 'w'))
        """])
        try #require(r.status == 0, "\(r.stderr)")
        let cases = try d.writeCases(TinyDistrict.goodCases)
        let out = d.folder.deletingLastPathComponent().appendingPathComponent("out")
        let run = try riskmap("run", "--boundaries", d.folder.path, "--boundaries-crs", "gcj02", "--cases", cases.path,
                              "--out", out.path, "--as-of", "2026-11-22", "--min-zoom", "12", "--max-zoom", "12",
                              "--style", Repo.style.path)
        try #require(run.status == 0, "\(run.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("streets.geojson"))) as! [String: Any]
        let first = ((doc["features"] as! [[String: Any]])[0]["geometry"] as! [String: Any])["coordinates"] as! [[[Double]]]
        let xs = first[0].map { $0[0] }, ys = first[0].map { $0[1] }
        #expect(abs(xs.min()! - 114.00) < 1e-7 && abs(xs.max()! - 114.05) < 1e-7)
        #expect(abs(ys.min()! - 22.50) < 1e-7 && abs(ys.max()! - 22.55) < 1e-7)
    }
}
