#!/usr/bin/env python3
"""PySAL / pymannkendall answers for riskmap's statistics tests (RiskTests/GetisOrdTests, MannKendallTests)
and scripts/bench_gi.sh. Reads one JSON request on stdin (or from the file named as the argument), writes
one JSON answer on stdout.

Requests ("task"):
  gi        {"geojson": PATH, "y": [...]}        libpysal Queen weights of the file's features (in file
            order) and esda.G_Local(y, w, transform='B', star=True): neighbours, z, two-sided p
            (2 × esda's one-sided p_norm) and classes after esda.fdr at q = 0.01/0.05/0.10;
            with "permutations": N and "seed": S also esda's p_sim.
  fdr       {"p": [...], "q": Q}                  [p < esda.fdr(p, q)]
  mk        {"series": [[...], ...]}              pymannkendall.original_test of each series.
  emerging  {"geojson": PATH, "y": [[step values per location] ...]}   per step Gi* z (as gi), then
            pymannkendall of each location's z-series.
Needs: pip install esda libpysal pymannkendall geopandas.
"""
import json
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def queen(path):
    import geopandas as gpd
    from libpysal.weights import Queen
    frame = gpd.read_file(path)
    return Queen.from_dataframe(frame, use_index=False, silence_warnings=True)


def classes(z, p):
    from esda import fdr
    out = ["none"] * len(z)
    for q, name in ((0.10, "90"), (0.05, "95"), (0.01, "99")):
        cut = fdr(p, q)
        for i in range(len(z)):
            if p[i] < cut and z[i] != 0:
                out[i] = ("hot" if z[i] > 0 else "cold") + name
    return out


def gi(w, y, permutations=0, seed=None):
    from esda import G_Local
    g = G_Local(np.asarray(y, dtype=float), w, transform="B", star=True, permutations=permutations,
                seed=seed, keep_simulations=False, n_jobs=1)
    z = np.nan_to_num(np.asarray(g.Zs, dtype=float), nan=0.0)
    p = 2 * np.asarray(g.p_norm, dtype=float)
    p = np.where(np.isnan(p), 1.0, p)
    answer = {"z": z.tolist(), "p": p.tolist(), "classes": classes(z, p)}
    if permutations:
        answer["p_sim"] = np.asarray(g.p_sim, dtype=float).tolist()
    return answer


def mk(series):
    import pymannkendall
    out = []
    for s in series:
        r = pymannkendall.original_test(np.asarray(s, dtype=float))
        out.append({"s": float(r.s), "var_s": float(r.var_s), "z": float(r.z), "p": float(r.p),
                    "tau": float(r.Tau), "trend": r.trend})
    return out


def main():
    request = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    task = request["task"]
    if task == "gi":
        w = queen(request["geojson"])
        w.transform = "b"
        answer = gi(w, request["y"], request.get("permutations", 0), request.get("seed"))
        answer["neighbours"] = [sorted(int(j) for j in w.neighbors[i]) for i in range(w.n)]
    elif task == "fdr":
        from esda import fdr
        p = np.asarray(request["p"], dtype=float)
        answer = {"significant": (p < fdr(p, request["q"])).tolist()}
    elif task == "mk":
        answer = {"results": mk(request["series"])}
    elif task == "emerging":
        w = queen(request["geojson"])
        steps = np.asarray(request["y"], dtype=float)   # [location][step]
        zs = np.stack([gi(w, steps[:, t])["z"] for t in range(steps.shape[1])], axis=1)
        answer = {"z": zs.tolist(), "trend": mk(zs.tolist())}
    else:
        sys.exit(f"unknown task {task!r}")
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
