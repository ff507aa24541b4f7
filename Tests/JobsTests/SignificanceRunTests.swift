import Foundation
import TestSupport
import Testing

/// Issue 15: the Gi* and emerging hot spot properties `riskmap run` writes, recomputed from the files it
/// wrote by PySAL (esda, libpysal, pymannkendall) — on the demo with a grid, and on NYC's boroughs and
/// tracts (EPSG:2263, numeric ids), each run by the installed binary from a folder of its own.
@Suite(.serialized) struct SignificanceRunTests {
    static let nyc = Repo.root.appendingPathComponent("boundaries/nyc")

    static func run(_ name: String, boundaries: URL, extra: [String] = [], grid: Bool = false) throws -> URL {
        let cwd = try Repo.temporaryFolder(name)
        var args = ["run", "--boundaries", boundaries.path, "--cases", boundaries.appendingPathComponent("cases.csv").path,
                    "--as-of", "2026-11-22", "--min-zoom", "11", "--max-zoom", "11", "--out", "out"] + extra
        if grid {
            args += ["--style", try GridLevelTests.gridStyle(cwd, cellMetres: "400",
                                                             extra: "\n[gi]\ntiles = true\n\n[emerging]\ntiles = true\n").path]
        }
        let r = try runProcess(Repo.installedBinary, args, cwd: cwd)
        #expect(r.status == 0, "\(r.stderr)")
        return cwd.appendingPathComponent("out")
    }

    static let demo = Result { try run("demo", boundaries: Repo.demo, extra: ["--db", "cases.sqlite"], grid: true) }
    static let nycRun = Result { try run("nyc", boundaries: nyc) }

    /// Gi* of each level's `density` as the file holds it, with binary weights of zones within 1 m
    /// (libpysal fuzzy contiguity, each shape buffered by 0.5 m in the UTM zone) and the zone itself:
    /// esda.G_Local(star=True); classes from BH cuts as esda.fdr draws them.
    static let giCheck = #"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np, geopandas as gpd
from libpysal.weights import fuzzy_contiguity
from esda import G_Local, fdr
out = sys.argv[1]
result = {}
for name in sys.argv[2:]:
    df = gpd.read_file(f"{out}/{name}.geojson")
    if len(df) < 3:
        continue
    w = fuzzy_contiguity(df.to_crs(df.estimate_utm_crs()), buffering=True, buffer=0.5, predicate="intersects",
                         silence_warnings=True)
    w.transform = "B"
    y = df["density"].astype(float).values
    g = G_Local(y, w, transform="B", star=True, permutations=0)
    z = np.nan_to_num(g.Zs, nan=0.0)
    p = np.where(np.isnan(g.Zs), 1.0, 2 * g.p_norm)
    classes = np.array(["none"] * len(df), dtype=object)
    for q, hot, cold in [(0.10, "hot90", "cold90"), (0.05, "hot95", "cold95"), (0.01, "hot99", "cold99")]:
        cut = fdr(p, q)
        # esda.fdr returns the p threshold; significant: p < cut (as esda's own use, p <= alpha*k/n strictly below)
        sig = p < cut if cut > min(p) or (p < cut).any() else np.zeros(len(p), bool)
        classes[sig & (z > 0)] = hot
        classes[sig & (z < 0)] = cold
    result[name] = {"n": len(df), "dz": float(np.max(np.abs(z - df["gi_z"].values))),
                    "dp": float(np.max(np.abs(p - df["gi_p"].values))),
                    "class_diff": int((classes != df["gi_class"].values).sum()),
                    "significant": int((df["gi_class"] != "none").sum())}
print(json.dumps(result))
"""#

    static func checkGi(_ out: URL, _ levels: [String]) throws -> [String: [String: Double]] {
        let r = try python(["-c", giCheck, out.path] + levels)
        #expect(r.status == 0, "\(r.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: Double]] ?? [:]
        #expect(Set(result.keys) == Set(levels), "\(r.stdout)")
        for (level, o) in result {
            #expect(o["dz", default: 1] < 1e-9, "\(level): gi_z against esda")
            #expect(o["dp", default: 1] < 1e-9, "\(level): gi_p against esda")
            #expect(o["class_diff"] == 0, "\(level): gi_class against BH as esda.fdr cuts")
        }
        return result
    }

    @Test func demoGiEqualsPySALOnEveryLevelAndTheGrid() throws {
        let out = try Self.demo.get()
        let result = try Self.checkGi(out, ["streets", "communities", "posts", "grid"])
        #expect((result["posts"]?["significant"] ?? 0) + (result["grid"]?["significant"] ?? 0) > 0,
                "the demo has significant hot spots to compare")
        // Asked for by the style: the hotspots and emerging layers draw the classified cells of the finest
        // level (the grid), and tiles.json lists them after the zone levels.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(((report?["tiles"] as? [String: Int])?["hotspots"] ?? 0) > 0)
        #expect(((report?["tiles"] as? [String: Int])?["emerging"] ?? 0) > 0)
        let tilejson = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tiles.json"))) as? [String: Any]
        let ids = (tilejson?["layers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids == ["heat", "street", "community", "post", "grid", "hotspots", "emerging"])
    }

    @Test func nycGiEqualsPySAL() throws {
        let out = try Self.nycRun.get()
        _ = try Self.checkGi(out, ["communities", "posts"])
        // Not asked for: no significance layers (the four layers of interface.md).
        let tilejson = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tiles.json"))) as? [String: Any]
        #expect((tilejson?["layers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == ["heat", "street", "community", "post"])
    }

    /// The emerging categories recomputed from cases.geojson: weekly counts per post over the 12 steps
    /// ending at the as-of day, Gi* per step (esda, as above), Mann-Kendall of the z-series
    /// (pymannkendall, α 0.05), ArcGIS's rules as its documentation words them.
    static let emergingCheck = #"""
import json, sys, datetime, warnings
warnings.filterwarnings("ignore")
import numpy as np, geopandas as gpd, pymannkendall as mk
from libpysal.weights import fuzzy_contiguity
from esda import G_Local, fdr
out, step, steps = sys.argv[1], 7, 12
df = gpd.read_file(f"{out}/posts.geojson")
w = fuzzy_contiguity(df.to_crs(df.estimate_utm_crs()), buffering=True, buffer=0.5, predicate="intersects", silence_warnings=True)
w.transform = "B"
index = {pid: i for i, pid in enumerate(df["id"])}
last = datetime.date(2026, 11, 22)
first = last - datetime.timedelta(days=step * steps - 1)
counts = np.zeros((len(df), steps))
for f in json.load(open(f"{out}/cases.geojson"))["features"]:
    p = f["properties"]
    d = datetime.date.fromisoformat(p["date"])
    if p.get("post") in index and first <= d <= last:
        counts[index[p["post"]], (d - first).days // step] += 1
area = df["area_km2"].astype(float).values
hot = np.zeros((len(df), steps), bool); cold = np.zeros((len(df), steps), bool); zs = np.zeros((len(df), steps))
for t in range(steps):
    y = np.where(area > 0, counts[:, t] / np.where(area > 0, area, 1), 0)
    if np.all(y == y[0]):
        continue
    g = G_Local(y, w, transform="B", star=True, permutations=0)
    z = np.nan_to_num(g.Zs); p = np.where(np.isnan(g.Zs), 1, 2 * g.p_norm)
    sig = p < fdr(p, 0.10)
    hot[:, t] = sig & (z > 0); cold[:, t] = sig & (z < 0); zs[:, t] = z
def rules(same, other, stronger, weaker, kind):
    n = len(same); c = same.sum()
    if 10 * c >= 9 * n:
        return ("intensifying" if stronger else "diminishing" if weaker else "persistent") + kind
    if other.any():
        return "oscillating" + kind
    run = 0
    for v in same[::-1]:
        if not v: break
        run += 1
    before = same[:n - run].any()
    if not before and run == 1: return "new" + kind
    if not before and run >= 2: return "consecutive" + kind
    return "sporadic" + kind
diff = 0; found = {}
for i in range(len(df)):
    trend = mk.original_test(zs[i]).trend
    if hot[i, -1]: cat = rules(hot[i], cold[i], trend == "increasing", trend == "decreasing", "-hot")
    elif cold[i, -1]: cat = rules(cold[i], hot[i], trend == "decreasing", trend == "increasing", "-cold")
    elif 10 * hot[i].sum() >= 9 * steps: cat = "historical-hot"
    elif 10 * cold[i].sum() >= 9 * steps: cat = "historical-cold"
    else: cat = "none"
    found[cat] = found.get(cat, 0) + 1
    diff += cat != df["emerging"].iloc[i]
print(json.dumps({"diff": diff, "found": found}))
"""#

    @Test func demoEmergingEqualsPySALAndPymannkendall() throws {
        let out = try Self.demo.get()
        let r = try python(["-c", Self.emergingCheck, out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(o["diff"] as? Int == 0, "\(r.stdout)")
        let found = o["found"] as? [String: Int] ?? [:]
        #expect(found.keys.filter { $0 != "none" }.count >= 2, "the demo's history shows several patterns: \(found)")
    }

    @Test func statsSortsByGiAndExplainsTheSum() throws {
        let out = try Self.demo.get()
        let sorted = try runProcess(Repo.installedBinary, ["stats", "--out", out.path, "--level", "post",
                                                           "--sort", "gi", "--format", "csv", "--top", "5"])
        #expect(sorted.status == 0, "\(sorted.stderr)")
        let lines = sorted.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.first?.contains("gi_z,gi_class") == true)
        let z = lines.dropFirst().compactMap { Double($0.split(separator: ",")[8]) }
        #expect(z.count == 5 && z == z.sorted(by: >), "hottest first: \(z)")
        let top = String(lines[1].split(separator: ",")[0])
        let explain = try runProcess(Repo.installedBinary, ["stats", "--out", out.path, "--explain", top])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("Gi*") && explain.stdout.contains("neighbours ("), "\(explain.stdout)")
        let zLine = explain.stdout.split(whereSeparator: \.isNewline).first { $0.contains("z = (Σ") }
        let explained = zLine.flatMap { Double($0.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "") }
        #expect(explained.map { abs($0 - z[0]) < 6e-4 } == true, "the sum ends in the file's z: \(explain.stdout)")
        // From the database, with the run's folder for the shapes: the same order.
        let db = out.deletingLastPathComponent().appendingPathComponent("cases.sqlite").path
        let fromDB = try runProcess(Repo.installedBinary, ["stats", "--db", db, "--out", out.path, "--level", "post",
                                                           "--sort", "gi", "--format", "csv", "--top", "5"])
        #expect(fromDB.status == 0, "\(fromDB.stderr)")
        #expect(fromDB.stdout == sorted.stdout)
        // Without the shapes, --sort gi says what it needs.
        let none = try runProcess(Repo.installedBinary, ["stats", "--db", db, "--out", "/nonexistent", "--sort", "gi"])
        #expect(none.status == 1 && none.stderr.contains("neighbours"), "\(none.stderr)")
    }

    /// `evaluate --out`: each day's significant hot spots are measured beside the red zones. On the day
    /// of a run, they are the zones the run's file classes hot, and their hits are the next week's
    /// cases in those zones (counted here from cases.geojson).
    @Test func evaluateMeasuresTheDaysHotSpots() throws {
        let cwd = try Repo.temporaryFolder()
        let run = try runProcess(Repo.installedBinary, ["run", "--boundaries", Repo.demo.path, "--cases",
                                                        Repo.demo.appendingPathComponent("cases.csv").path, "--as-of", "2026-10-31",
                                                        "--min-zoom", "10", "--max-zoom", "10", "--db", "cases.sqlite", "--out", "out"], cwd: cwd)
        #expect(run.status == 0, "\(run.stderr)")
        let r = try runProcess(Repo.installedBinary, ["evaluate", "--db", "cases.sqlite", "--out", "out", "--from", "2026-10-31",
                                                      "--to", "2026-10-31", "--horizon", "7", "--format", "json"], cwd: cwd)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        let levels = doc["levels"] as? [String: [String: Any]] ?? [:]
        let check = #"""
import json, sys, datetime
out = sys.argv[1]
hot = {f["properties"]["id"] for f in json.load(open(out + "/posts.geojson"))["features"]
       if f["properties"]["gi_class"].startswith("hot")}
first, last = datetime.date(2026, 11, 1), datetime.date(2026, 11, 7)
hits = nxt = 0
for f in json.load(open(out + "/cases.geojson"))["features"]:
    p = f["properties"]
    if p.get("post") and first <= datetime.date.fromisoformat(p["date"]) <= last:
        nxt += 1
        hits += p["post"] in hot
print(json.dumps({"hot": len(hot), "hits": hits, "next": nxt}))
"""#
        let py = try python(["-c", check, cwd.appendingPathComponent("out").path])
        #expect(py.status == 0, "\(py.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as? [String: Int] ?? [:]
        let hot = levels["post"]?["hot_spots"] as? [String: Any] ?? [:]
        #expect(expected["hot", default: 0] > 0, "the day has hot spots to measure")
        #expect((hot["red_zones"] as? Double).map(Int.init) == expected["hot"])
        #expect(hot["hits"] as? Int == expected["hits"] && hot["next_cases"] as? Int == expected["next"], "\(hot) vs \(expected)")
        // Without the shapes: the red zones and the baseline only.
        let bare = try runProcess(Repo.installedBinary, ["evaluate", "--db", "cases.sqlite", "--out", "nowhere", "--from", "2026-10-31",
                                                         "--to", "2026-10-31", "--horizon", "7", "--format", "json"], cwd: cwd)
        #expect(bare.status == 0 && !bare.stdout.contains("hot_spots"), "\(bare.stderr)")
    }
}
