#!/usr/bin/env python3
"""Oracle for `riskmap run --publish-crs gcj02,bd09` (Tests/JobsTests/PublishCRSTests.swift): reads an
output folder with independent tools only — prcoords (WGS-84 → GCJ-02 / BD-09), shapely, mercantile
(tile and pixel of a lon/lat) and Pillow (PNG decoding) — and prints one JSON object of facts for the
Swift test to check.

usage:
  gcj02_output.py zones OUT LEVEL ZOOM   a point well inside a zone whose GCJ-02 position, read as WGS-84,
                                         lies in a zone of another colour (or in none): that zone's fill
                                         colour is expected at the point's GCJ-02 pixel in tiles-gcj02/,
                                         another at the same pixel in tiles/
  gcj02_output.py heat OUT ZOOM LON LAT  the centroid of the heat layer's hottest pixels around a lone
                                         hotspot at (LON, LAT) in both pyramids, and where prcoords and
                                         mercantile put the hotspot in each
  gcj02_output.py geojson OUT            per shifted zone file, the largest difference of its coordinates
                                         from prcoords' conversion of the WGS-84 file's
"""
import json, os, sys, warnings

import mercantile
import prcoords
from PIL import Image
from shapely.geometry import Point, shape

warnings.simplefilter("ignore")  # prcoords warns on every point outside China
FILES = {"street": "streets", "community": "communities", "post": "posts"}


def gcj(lon, lat):
    c = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    return c.lon, c.lat


def bd(lon, lat):
    c = prcoords.wgs_bd(prcoords.Coords(lat, lon))
    return c.lon, c.lat


def load(out, name):
    with open(os.path.join(out, name), encoding="utf-8") as f:
        return json.load(f)["features"]


def pixel(folder, layer, lon, lat, zoom):
    """RGBA (or the palette index, for `index=True` callers) of the pixel under lon/lat; a tile the run
    did not write is transparent."""
    t = mercantile.tile(lon, lat, zoom)
    b = mercantile.xy_bounds(t)
    mx, my = mercantile.xy(lon, lat)
    path = os.path.join(folder, layer, str(zoom), str(t.x), f"{t.y}.png")
    if not os.path.exists(path):
        return [0, 0, 0, 0], path
    im = Image.open(path).convert("RGBA")
    w, h = im.size
    px = int((mx - b.left) / (b.right - b.left) * w)
    py = int((b.top - my) / (b.top - b.bottom) * h)
    return list(im.getpixel((px, py))), path


def zones(out, level, zoom):
    features = sorted(load(out, FILES[level] + ".geojson"), key=lambda f: f["properties"]["id"])
    shapes = [(f["properties"], shape(f["geometry"])) for f in features]
    margin = 0.0004  # ~40 m: far from every edge and outline at any zoom the test draws
    for props, zone in shapes:
        inner = zone.buffer(-margin)
        if inner.is_empty:
            continue
        x0, y0, x1, y1 = inner.bounds
        steps = 12
        for i in range(1, steps):
            for j in range(1, steps):
                p = Point(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * j / steps)
                if not inner.contains(p):
                    continue
                g = gcj(p.x, p.y)
                here = Point(g)
                # The zone the GCJ-02 position falls in when read as WGS-84: another colour, clear of edges.
                other = [(q, s) for q, s in shapes if s.buffer(margin).contains(here)]
                if any(q["color"] == props["color"] for q, _ in other):
                    continue
                if other and not other[0][1].buffer(-margin).contains(here):
                    continue
                gcj_rgba, gcj_path = pixel(os.path.join(out, "tiles-gcj02"), level, g[0], g[1], zoom)
                wgs_rgba, wgs_path = pixel(os.path.join(out, "tiles"), level, g[0], g[1], zoom)
                return {"zone": props["id"], "color": props["color"], "point": [p.x, p.y], "gcj02": list(g),
                        "other_zone": other[0][0]["id"] if other else None,
                        "other_color": other[0][0]["color"] if other else None,
                        "gcj02_pixel": gcj_rgba, "gcj02_tile": gcj_path, "wgs84_pixel": wgs_rgba, "wgs84_tile": wgs_path}
    return {"error": "no point found"}


def hottest(folder, lon, lat, zoom, radius=40):
    """Centroid (world pixels at `zoom`) of the pixels with the highest palette index within `radius`
    pixels of lon/lat."""
    t = mercantile.tile(lon, lat, zoom)
    b = mercantile.xy_bounds(t)
    mx, my = mercantile.xy(lon, lat)
    cx = t.x * 256 + (mx - b.left) / (b.right - b.left) * 256
    cy = t.y * 256 + (b.top - my) / (b.top - b.bottom) * 256
    best, cells, images = -1, [], {}
    for wy in range(int(cy) - radius, int(cy) + radius + 1):
        for wx in range(int(cx) - radius, int(cx) + radius + 1):
            key = (wx // 256, wy // 256)
            if key not in images:
                path = os.path.join(folder, "heat", str(zoom), str(key[0]), f"{key[1]}.png")
                images[key] = Image.open(path) if os.path.exists(path) else None
            im = images[key]
            if im is None:
                continue
            if im.mode != "P":
                return {"error": f"{path}: not a palette PNG"}
            v = im.getpixel((wx % 256, wy % 256))
            if v > best:
                best, cells = v, [(wx, wy)]
            elif v == best:
                cells.append((wx, wy))
    if best <= 0:
        return {"error": f"no heat within {radius} px of {lon},{lat} in {folder}"}
    return {"expected": [cx, cy], "centroid": [sum(c[0] + 0.5 for c in cells) / len(cells),
                                                sum(c[1] + 0.5 for c in cells) / len(cells)],
            "index": best, "pixels": len(cells)}


def heat(out, zoom, lon, lat):
    g = gcj(lon, lat)
    return {"gcj02": hottest(os.path.join(out, "tiles-gcj02"), g[0], g[1], zoom),
            "wgs84": hottest(os.path.join(out, "tiles"), lon, lat, zoom), "gcj02_point": list(g)}


def positions(geometry):
    if geometry["type"] == "Polygon":
        return [p for ring in geometry["coordinates"] for p in ring]
    return [p for polygon in geometry["coordinates"] for ring in polygon for p in ring]


def geojson(out):
    result = {}
    for stem in FILES.values():
        plain = load(out, stem + ".geojson")
        for crs, convert in (("gcj02", gcj), ("bd09", bd)):
            shifted = load(out, f"{stem}.{crs}.geojson")
            worst, count, same = 0.0, 0, len(plain) == len(shifted)
            for a, b in zip(plain, shifted):
                same = same and a["properties"] == b["properties"]
                pa, pb = positions(a["geometry"]), positions(b["geometry"])
                same = same and len(pa) == len(pb)
                for p, q in zip(pa, pb):
                    e = convert(p[0], p[1])
                    worst = max(worst, abs(e[0] - q[0]), abs(e[1] - q[1]))
                    count += 1
            result[f"{stem}.{crs}.geojson"] = {"worst_deg": worst, "positions": count, "same_features": same}
    return result


def main():
    mode, out = sys.argv[1], sys.argv[2]
    if mode == "zones":
        print(json.dumps(zones(out, sys.argv[3], int(sys.argv[4]))))
    elif mode == "heat":
        print(json.dumps(heat(out, int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))))
    elif mode == "geojson":
        print(json.dumps(geojson(out)))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
