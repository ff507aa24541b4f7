#!/usr/bin/env python3
"""Independent check of a riskmap output folder, used by the end-to-end tests.

GeoJSON: valid (shapely), RFC 7946 winding (geojson-rewind agrees nothing needs rewinding; shapely:
counter-clockwise shells, clockwise holes), no `crs` member, at most 7 decimals.
Tiles: for zones of every level, decode (Pillow) the tile under a point well inside the zone
(shapely representative point, mercantile tile math) and compare the pixel with the zone's colour
blended at the style's fill opacity. Reconciliation: input_rows == located + rejected, streets'
cases add up to counted, rejects.csv has one row per rejected case.
Prints one JSON object; exit 1 with the problems listed when anything is wrong.
"""
import csv, json, math, pathlib, sys
import mercantile
from PIL import Image
from shapely.geometry import shape, Point
from geojson_rewind import rewind

out = pathlib.Path(sys.argv[1])
zoom = int(sys.argv[2]) if len(sys.argv) > 2 else 14
problems = []
report = json.loads((out / "report.json").read_text())
legend = json.loads((out / "legend.json").read_text())
opacity = legend["zones"]["fill_opacity"]

def decimals_ok(coords):
    if isinstance(coords[0], (int, float)):
        return all(len(repr(float(c)).split(".")[1]) <= 7 or "e" in repr(float(c)) for c in coords)
    return all(decimals_ok(c) for c in coords)

checked_pixels = 0
for level, fname in [("street", "streets.geojson"), ("community", "communities.geojson"), ("post", "posts.geojson")]:
    doc = json.loads((out / fname).read_text())
    if "crs" in doc:
        problems.append(f"{fname}: has a crs member")
    if json.dumps(rewind(json.loads(json.dumps(doc))), sort_keys=True) != json.dumps(doc, sort_keys=True):
        problems.append(f"{fname}: geojson-rewind would change the winding")
    for f in doc["features"]:
        g = shape(f["geometry"])
        p = f["properties"]
        if not g.is_valid:
            problems.append(f"{fname}: {p['id']} invalid geometry")
        polys = [g] if g.geom_type == "Polygon" else list(g.geoms)
        for poly in polys:
            if not poly.exterior.is_ccw:
                problems.append(f"{fname}: {p['id']} exterior not counter-clockwise")
            for h in poly.interiors:
                if h.is_ccw:
                    problems.append(f"{fname}: {p['id']} hole not clockwise")
        if not decimals_ok(f["geometry"]["coordinates"]):
            problems.append(f"{fname}: {p['id']} more than 7 decimals")
        for key in ["id", "name", "parent", "cases", "score", "level", "color", "categories", "area_km2"]:
            if key not in p:
                problems.append(f"{fname}: {p.get('id')} lacks property {key}")
        # The pixel under a point deep inside the zone shows the zone's colour.
        inner = g.buffer(-0.0006)
        if inner.is_empty:
            continue
        pt = inner.representative_point()
        t = mercantile.tile(pt.x, pt.y, zoom)
        b = mercantile.xy_bounds(t)
        x, y = mercantile.xy(pt.x, pt.y)
        size = 256
        px = int((x - b.left) / (b.right - b.left) * size)
        py = int((b.top - y) / (b.top - b.bottom) * size)
        tile = out / "tiles" / level / str(zoom) / str(t.x) / f"{t.y}.png"
        if not tile.exists():
            problems.append(f"{level} {p['id']}: tile {t} missing")
            continue
        img = Image.open(tile).convert("RGBA")
        size = img.width
        px = int((x - b.left) / (b.right - b.left) * size)
        py = int((b.top - y) / (b.top - b.bottom) * size)
        r, gg, bb, a = img.getpixel((min(px, size - 1), min(py, size - 1)))
        want = tuple(int(p["color"][i:i + 2], 16) for i in (1, 3, 5))
        want_a = round(opacity * 255)
        if abs(a - want_a) > 3 or any(abs(c - w) > 3 for c, w in zip((r, gg, bb), want)):
            problems.append(f"{level} {p['id']}: pixel {(r, gg, bb, a)} at {t} {px},{py}, expected {want + (want_a,)}")
        checked_pixels += 1

streets = json.loads((out / "streets.geojson").read_text())["features"]
if sum(f["properties"]["cases"] for f in streets) != report["counted"]:
    problems.append("streets' cases do not add up to counted")
if report["input_rows"] != report["located"] + report["rejected"]:
    problems.append("input_rows != located + rejected")
with open(out / "rejects.csv", newline="", encoding="utf-8") as fh:
    rows = list(csv.reader(fh))
if rows[0][:4] != ["file", "line", "id", "reason"]:
    problems.append(f"rejects.csv header {rows[0][:4]}")
if len(rows) - 1 != report["rejected"]:
    problems.append(f"rejects.csv has {len(rows) - 1} rows, report says {report['rejected']}")
cases = json.loads((out / "cases.geojson").read_text())["features"]
if len(cases) != report["located"]:
    problems.append(f"cases.geojson has {len(cases)} features, report says located {report['located']}")
if any("address" in c["properties"] for c in cases):
    problems.append("cases.geojson carries address text")

print(json.dumps({"problems": problems[:50], "problem_count": len(problems), "checked_pixels": checked_pixels}))
sys.exit(1 if problems else 0)
