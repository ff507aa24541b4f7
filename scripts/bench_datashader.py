#!/usr/bin/env python3
"""datashader side of scripts/bench_tiles.sh: renders the located cases (OUT_DIR/cases.geojson, the
points of riskmap's heat layer when every case is in the window) to the same tiles riskmap's heat layer
wrote: per tile a 256×256 Canvas.points aggregation, tf.shade with a fixed span and a green→yellow→red
colormap (the same colours at every zoom), PNG encoding. Loading the points is not timed.

Usage: python3 scripts/bench_datashader.py OUT_DIR
Prints JSON: tiles, seconds, tiles/s, mean PNG bytes.
"""
import io
import json
import math
import os
import sys
import time

import datashader as ds
import datashader.transfer_functions as tf
import numpy as np
import pandas as pd

HALF = 20037508.342789244
out = sys.argv[1]
features = json.load(open(os.path.join(out, "cases.geojson")))["features"]
lonlat = np.array([f["geometry"]["coordinates"] for f in features if f.get("geometry")], dtype=float)
x = np.radians(lonlat[:, 0]) * 6378137.0
y = np.log(np.tan(math.pi / 4 + np.radians(lonlat[:, 1]) / 2)) * 6378137.0
df = pd.DataFrame({"x": x, "y": y})
root = os.path.join(out, "tiles", "heat")
tiles = sorted((int(z), int(x_), int(f[:-4])) for z in os.listdir(root) for x_ in os.listdir(os.path.join(root, z))
               for f in os.listdir(os.path.join(root, z, x_)))


def render(z, tx, ty):
    size = 2 * HALF / (1 << z)
    x0, y1 = -HALF + tx * size, HALF - ty * size
    cvs = ds.Canvas(plot_width=256, plot_height=256, x_range=(x0, x0 + size), y_range=(y1 - size, y1))
    agg = cvs.points(df, "x", "y", ds.count())
    img = tf.shade(agg, cmap=["#2E7D32", "#F9A825", "#C62828"], how="linear", span=[1, 50])
    buf = io.BytesIO()
    img.to_pil().save(buf, format="PNG")
    return len(buf.getvalue())


render(*tiles[0])  # compile numba kernels before timing
start = time.perf_counter()
sizes = [render(*t) for t in tiles]
seconds = time.perf_counter() - start
print(json.dumps({"points": len(df), "tiles": len(tiles), "seconds": round(seconds, 3),
                  "tiles_per_s": round(len(tiles) / seconds, 1), "mean_png_bytes": round(sum(sizes) / len(sizes))}))
