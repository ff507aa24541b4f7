#!/usr/bin/python3
"""Mapnik side of scripts/bench_tiles.sh: renders riskmap's zone layers with Mapnik (Debian's
python3-mapnik, AGG renderer) to the same tiles riskmap wrote, and encodes each as PNG.

Usage: /usr/bin/python3 scripts/bench_mapnik.py OUT_DIR [WORKERS]
Same polygons (OUT_DIR/{streets,communities,posts}.geojson), same fills (the `color` property at the
style's fill_opacity), same 1-px outline, same tile list (OUT_DIR/tiles/{street,community,post}), one
Mapnik map per worker process (Mapnik renders one map on one thread). Prints JSON: tiles, seconds, tiles/s.
"""
import json
import math
import multiprocessing as mp
import os
import sys
import time

import mapnik

HALF = 20037508.342789244
LAYERS = [("street", "streets.geojson"), ("community", "communities.geojson"), ("post", "posts.geojson")]


def tile_box(z, x, y):
    size = 2 * HALF / (1 << z)
    return mapnik.Box2d(-HALF + x * size, HALF - (y + 1) * size, -HALF + (x + 1) * size, HALF - y * size)


def make_map(path, opacity, outline):
    m = mapnik.Map(256, 256, "epsg:3857")
    style = mapnik.Style()
    for color in ("#2E7D32", "#F9A825", "#C62828"):
        rule = mapnik.Rule()
        rule.filter = mapnik.Expression(f"[color] = '{color}'")
        fill = mapnik.PolygonSymbolizer()
        fill.fill = mapnik.Color(color)
        fill.fill_opacity = opacity
        rule.symbols.append(fill)
        line = mapnik.LineSymbolizer()
        line.stroke = mapnik.Color(outline)
        line.stroke_width = 1.0
        rule.symbols.append(line)
        style.rules.append(rule)
    m.append_style("zones", style)
    layer = mapnik.Layer("zones", "epsg:4326")
    layer.datasource = mapnik.Datasource(type="geojson", file=path)
    layer.styles.append("zones")
    m.layers.append(layer)
    return m


_maps = {}


def render(job):
    path, opacity, outline, tiles = job
    m = _maps.get(path) or _maps.setdefault(path, make_map(path, opacity, outline))
    total = 0
    for z, x, y in tiles:
        m.zoom_to_box(tile_box(z, x, y))
        im = mapnik.Image(256, 256)
        mapnik.render(m, im)
        total += len(im.tostring("png"))
    return len(tiles), total


def main():
    out = sys.argv[1]
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    legend = json.load(open(os.path.join(out, "legend.json")))
    opacity = legend["zones"]["fill_opacity"]
    jobs = []
    for layer, fname in LAYERS:
        root = os.path.join(out, "tiles", layer)
        tiles = [(int(z), int(x), int(f[:-4])) for z in os.listdir(root) for x in os.listdir(os.path.join(root, z))
                 for f in os.listdir(os.path.join(root, z, x))]
        step = max(1, math.ceil(len(tiles) / (workers * 8)))
        jobs += [(os.path.join(out, fname), opacity, "#37474F", tiles[i:i + step]) for i in range(0, len(tiles), step)]
    with mp.Pool(workers) as pool:
        pool.map(render, jobs[:workers])           # warm up: every worker loads its datasources
        start = time.perf_counter()
        done = pool.map(render, jobs, chunksize=1)
        seconds = time.perf_counter() - start
    n = sum(d[0] for d in done)
    print(json.dumps({"tiles": n, "seconds": round(seconds, 3), "tiles_per_s": round(n / seconds, 1),
                      "mean_png_bytes": round(sum(d[1] for d in done) / n), "workers": workers}))


if __name__ == "__main__":
    main()
