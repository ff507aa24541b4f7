#!/usr/bin/env python3
"""The PySAL half of scripts/bench_gi.sh: writes the benchmark data, then times libpysal and esda (and
pymannkendall) on it and compares their answers with riskmap's.

  bench_gi.py make DIR      spec.json, values.txt (100,172 cells), counts.txt (10,000 cells × 52 steps)
  bench_gi.py pysal DIR     timings of the same three steps in PySAL, and the differences from riskmap_*.txt
"""
import json
import os
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")
SPEC = {"rows": 316, "columns": 317, "lon0": 113.8, "lat0": 22.4, "dx": 0.0048, "dy": 0.0045,
        "er_rows": 100, "er_columns": 100, "steps": 52}


def make(folder):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(15)
    rows, cols = SPEC["rows"], SPEC["columns"]
    r, c = np.divmod(np.arange(rows * cols), cols)
    # Poisson background and two planted clusters (one hot, one empty).
    values = rng.poisson(3, rows * cols).astype(float)
    values[(abs(r - 100) < 8) & (abs(c - 120) < 8)] += 6
    values[(abs(r - 220) < 10) & (abs(c - 200) < 10)] = 0
    np.savetxt(os.path.join(folder, "values.txt"), values * 4, fmt="%.17g")
    er, ec, steps = SPEC["er_rows"], SPEC["er_columns"], SPEC["steps"]
    r, c = np.divmod(np.arange(er * ec), ec)
    growth = np.linspace(0, 6, steps)
    counts = rng.poisson(2, (er * ec, steps))
    cluster = (abs(r - 40) < 6) & (abs(c - 60) < 6)
    counts[cluster] += rng.poisson(growth, (cluster.sum(), steps))
    np.savetxt(os.path.join(folder, "counts.txt"), counts, fmt="%d")
    json.dump(SPEC, open(os.path.join(folder, "spec.json"), "w"))


def boxes(rows, cols):
    import geopandas as gpd
    import shapely
    x = SPEC["lon0"] + np.arange(cols + 1) * SPEC["dx"]
    y = SPEC["lat0"] + np.arange(rows + 1) * SPEC["dy"]
    geoms = [shapely.box(x[j], y[i], x[j + 1], y[i + 1]) for i in range(rows) for j in range(cols)]
    return gpd.GeoDataFrame(geometry=geoms, crs=4326)


def best(f, repeats=3):
    out, times = None, []
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return out, min(times)


def classes(z, p, fdr):
    cls = np.array(["none"] * len(z), dtype=object)
    for q, name in ((0.10, "90"), (0.05, "95"), (0.01, "99")):
        sig = (p < fdr(p, q)) & (z != 0)
        cls[sig & (z > 0)] = "hot" + name
        cls[sig & (z < 0)] = "cold" + name
    return cls


def pysal(folder):
    import esda
    import pymannkendall
    from esda import fdr
    from libpysal.weights import Queen
    values = np.loadtxt(os.path.join(folder, "values.txt"))
    counts = np.loadtxt(os.path.join(folder, "counts.txt"))
    frame = boxes(SPEC["rows"], SPEC["columns"])
    w, queen_s = best(lambda: Queen.from_dataframe(frame, use_index=False, silence_warnings=True), repeats=1)

    def gi_fdr(y, weights):
        g = esda.G_Local(y, weights, transform="B", star=True, permutations=0)
        p = 2 * g.p_norm
        return g.Zs, p, classes(g.Zs, p, fdr)
    (z, p, cls), gi_s = best(lambda: gi_fdr(values, w))

    small = Queen.from_dataframe(boxes(SPEC["er_rows"], SPEC["er_columns"]), use_index=False, silence_warnings=True)
    def emerging():
        zs = np.stack([gi_fdr(counts[:, t] / 0.25, small)[0] for t in range(counts.shape[1])], axis=1)
        return zs, [pymannkendall.original_test(s).z for s in zs]
    (zs, trend), emerging_s = best(emerging, repeats=1)

    ours = [line.split() for line in open(os.path.join(folder, "riskmap_gi.txt"))]
    oz = np.array([float(a[0]) for a in ours])
    ocls = np.array([a[2] for a in ours], dtype=object)
    em = [line.split() for line in open(os.path.join(folder, "riskmap_emerging.txt"))]
    otrend = np.array([float(a[1]) for a in em])
    print(json.dumps({"cells": len(values), "links": int(w.s0), "queen_seconds": round(queen_s, 4),
                      "gi_fdr_seconds": round(gi_s, 4), "emerging_seconds": round(emerging_s, 4),
                      "max_abs_z_difference": float(np.max(np.abs(oz - z))),
                      "class_disagreements": int(np.sum(ocls != cls)),
                      "hot_cells": int(np.sum([c.startswith("hot") for c in cls])),
                      "max_abs_trend_z_difference": float(np.max(np.abs(otrend - np.array(trend)))),
                      "emerging_categories": {k: int(v) for k, v in zip(*np.unique([a[0] for a in em], return_counts=True))}}))


if __name__ == "__main__":
    {"make": make, "pysal": pysal}[sys.argv[1]](sys.argv[2])
