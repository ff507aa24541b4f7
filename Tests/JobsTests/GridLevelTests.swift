import Foundation
import TestSupport
import Testing

/// Issue 15, the grid level: `[grid] cell_m` lays square cells (an equal-area plane) over the map's
/// outline, scored like any other level. Run by the installed binary from a fresh folder, on the demo
/// and on NYC's boroughs (EPSG:2263, numeric ids), and checked with shapely and pyproj.
@Suite(.serialized) struct GridLevelTests {
    static let nyc = Repo.root.appendingPathComponent("boundaries/nyc")

    /// The built-in style plus `[grid]`, written into `folder`.
    static func gridStyle(_ folder: URL, cellMetres: String, extra: String = "") throws -> URL {
        let base = try runProcess(Repo.installedBinary, ["style", "--print"])
        let url = folder.appendingPathComponent("grid.toml")
        try (base.stdout + "\n[grid]\ncell_m = \(cellMetres)\n" + extra).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func run(_ name: String, boundaries: URL, cellMetres: String?, zoom: String = "12") throws -> (ProcessResult, URL) {
        let cwd = try Repo.temporaryFolder(name)
        var args = ["run", "--boundaries", boundaries.path, "--cases", boundaries.appendingPathComponent("cases.csv").path,
                    "--as-of", "2026-11-22", "--min-zoom", zoom, "--max-zoom", zoom, "--out", "out"]
        if let cellMetres { args += ["--style", try gridStyle(cwd, cellMetres: cellMetres).path] }
        return (try runProcess(Repo.installedBinary, args, cwd: cwd), cwd.appendingPathComponent("out"))
    }

    static let demoRun = Result { try run("demo", boundaries: Repo.demo, cellMetres: "500") }
    static let nycRun = Result { try run("nyc", boundaries: nyc, cellMetres: "2000", zoom: "10") }

    /// shapely: the cells cover the streets' outline with no gap and no overlap, every whole cell is
    /// cell_m² in an equal-area projection (pyproj), and each cell's `cases` is the number of counted
    /// cases of cases.geojson whose point lies in it.
    static let check = #"""
import json, sys
from shapely.geometry import shape, Point
from shapely.ops import unary_union
from shapely.strtree import STRtree
import pyproj
out, streets_file, cell = sys.argv[1], sys.argv[2], float(sys.argv[3])
grid = json.load(open(out + "/grid.geojson"))["features"]
streets = json.load(open(out + "/streets.geojson"))["features"]
cells = [shape(f["geometry"]) for f in grid]
outline = unary_union([shape(f["geometry"]) for f in streets])
union = unary_union(cells)
gap = outline.difference(union).area / outline.area
extra = union.difference(outline).area / outline.area
overlap = (sum(c.area for c in cells) - union.area) / union.area
geod = pyproj.Geod(ellps="WGS84")
whole = [abs(geod.geometry_area_perimeter(c)[0]) for c in cells if c.geom_type == "Polygon" and len(c.exterior.coords) == 5]
full = max(whole)
tree = STRtree(cells)
counts = [0] * len(cells)
for f in json.load(open(out + "/cases.geojson"))["features"]:
    if not f["properties"].get("counted") or not f["geometry"]:
        continue
    p = Point(f["geometry"]["coordinates"])
    hits = [i for i in tree.query(p) if cells[i].covers(p)]
    if hits:
        counts[min(hits)] += 1
diff = sum(abs(counts[i] - f["properties"]["cases"]) for i, f in enumerate(grid))
ids = len({f["properties"]["id"] for f in grid})
print(json.dumps({"cells": len(cells), "ids": ids, "gap": gap, "extra": extra, "overlap": overlap,
                  "full_m2": full, "diff": diff, "total": sum(counts)}))
"""#

    static func checked(_ out: URL, cellMetres: Double) throws -> [String: Double] {
        let r = try python(["-c", check, out.path, "", String(cellMetres)])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Double] ?? [:]
        #expect(o["cells", default: 0] > 0)
        #expect(o["ids"] == o["cells"], "every cell has its own id")
        #expect(o["gap", default: 1] < 1e-6, "no part of the outline is left uncovered")
        #expect(o["extra", default: 1] < 1e-6, "no cell reaches outside the outline")
        #expect(o["overlap", default: 1] < 1e-9, "no two cells overlap")
        // Lambert equal-area: a whole cell is cell_m² on the ellipsoid (pyproj's geodesic area).
        #expect(abs(o["full_m2", default: 0] - cellMetres * cellMetres) < cellMetres * cellMetres * 1e-4)
        #expect(o["total", default: 0] > 0)
        #expect(o["diff"] == 0, "each cell counts the counted cases whose point lies in it")
        return o
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    @Test func demoGridTilesTheOutlineAndCountsItsCases() throws {
        let (result, out) = try Self.demoRun.get()
        #expect(result.status == 0, "\(result.stderr)")
        _ = try Self.checked(out, cellMetres: 500)
        let report = try Self.json(out.appendingPathComponent("report.json"))
        let levels = report["levels"] as? [String: [String: Int]] ?? [:]
        #expect(levels["grid"].map { $0.values.reduce(0, +) } ?? 0 > 0, "report.json counts the grid's zones by colour")
        #expect((report["tiles"] as? [String: Int])?["grid"] ?? 0 > 0, "tiles/grid is drawn")
        let tilejson = try Self.json(out.appendingPathComponent("tiles.json"))
        let ids = (tilejson["layers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("grid"))
        let legend = try Self.json(out.appendingPathComponent("legend.json"))
        #expect(((legend["zones"] as? [String: Any])?["levels"] as? [String: Any])?["grid"] != nil)
        #expect(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8).contains("网格 grid"), "the viewer names the grid in its layer switch")
    }

    @Test func nycGridFromAProjectedCRSWithNumericIDs() throws {
        let (result, out) = try Self.nycRun.get()
        #expect(result.status == 0, "\(result.stderr)")
        let o = try Self.checked(out, cellMetres: 2000)
        #expect(o["cells", default: 0] > 150, "NYC's 780 km² hold some 200 cells of 4 km²")
        // `grid` is a level wherever a level is: stats reads grid.geojson.
        let stats = try runProcess(Repo.installedBinary, ["stats", "--out", out.path, "--level", "grid", "--format", "json", "--top", "3"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 3)
        #expect((rows.first?["id"] as? String)?.hasPrefix("C") == true)
    }

    @Test func noGridWithoutTheSetting() throws {
        let (result, out) = try Self.run("plain", boundaries: Repo.demo, cellMetres: nil)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("grid.geojson").path))
        let report = try Self.json(out.appendingPathComponent("report.json"))
        #expect((report["levels"] as? [String: Any])?["grid"] == nil)
        #expect((report["tiles"] as? [String: Int])?["grid"] == nil)
    }

    @Test func tooManyCellsIsAnErrorNamingTheSetting() throws {
        let (result, out) = try Self.run("many", boundaries: Self.nyc, cellMetres: "10")
        #expect(result.status == 1)
        #expect(result.stderr.contains("grid.cell_m"), "\(result.stderr)")
        #expect(result.stderr.contains("2000000"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a failed run writes nothing")
    }

    @Test func gridStatisticsFromTheDatabaseMatchTheRun() throws {
        let cwd = try Repo.temporaryFolder()
        let db = cwd.appendingPathComponent("cases.sqlite").path
        let run = try runProcess(Repo.installedBinary, ["run", "--boundaries", Repo.demo.path, "--cases",
                                                        Repo.demo.appendingPathComponent("cases.csv").path, "--as-of", "2026-11-22",
                                                        "--min-zoom", "10", "--max-zoom", "10", "--db", db, "--out", "out",
                                                        "--style", try Self.gridStyle(cwd, cellMetres: "500").path], cwd: cwd)
        #expect(run.status == 0, "\(run.stderr)")
        // The daily run itself has the grid, scored from the stored cases' points.
        _ = try Self.checked(cwd.appendingPathComponent("out"), cellMetres: 500)
        // stats --db --level grid: the cells of the run's grid.geojson, the stored cases placed by their
        // points, scored afresh: the same rows as the run's features.
        let stats = try runProcess(Repo.installedBinary, ["stats", "--db", db, "--out", "out", "--level", "grid", "--format", "json",
                                                          "--style", cwd.appendingPathComponent("grid.toml").path], cwd: cwd)
        #expect(stats.status == 0, "\(stats.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [[String: Any]] ?? []
        let features = try Self.json(cwd.appendingPathComponent("out/grid.geojson"))["features"] as? [[String: Any]] ?? []
        let byID = Dictionary(rows.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(rows.count == features.count && rows.count > 0)
        for f in features {
            let p = f["properties"] as? [String: Any] ?? [:]
            let row = byID[p["id"] as? String ?? ""] ?? [:]
            #expect(NSDictionary(dictionary: row).isEqual(to: p), "\(row) ≠ \(p)")
        }
        // Without the run's folder there are no cells to place the cases in: an error saying so.
        let lost = try runProcess(Repo.installedBinary, ["stats", "--db", db, "--level", "grid", "--out", "elsewhere"], cwd: cwd)
        #expect(lost.status == 1 && lost.stderr.contains("grid.geojson"), "\(lost.stderr)")
    }
}
