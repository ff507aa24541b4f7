#!/usr/bin/env python3
"""The peer of `riskmap bench`: geopandas.sjoin of the same WGS84 points against the same zones.

Zones come from a riskmap output folder (posts.geojson holds the derived post polygons). As riskmap
does, points are joined to posts first and the misses to communities, then streets. Only the joins
are timed (best of 3), as riskmap times only its point-in-polygon step. Prints one JSON line.
"""
import json, sys, time
import numpy as np
import geopandas as gpd

out, points_csv = sys.argv[1], sys.argv[2]
xy = np.loadtxt(points_csv, delimiter=",", skiprows=1)
levels = [gpd.read_file(f"{out}/{name}.geojson")[["id", "geometry"]] for name in ("posts", "communities", "streets")]
best, located = float("inf"), 0
for _ in range(3):
    t0 = time.perf_counter()
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:4326")
    found = np.zeros(len(pts), dtype=bool)
    for zones in levels:
        todo = pts[~found]
        if todo.empty:
            break
        joined = gpd.sjoin(todo, zones.set_crs("EPSG:4326", allow_override=True), how="inner", predicate="intersects")
        found[np.unique(joined.index.to_numpy())] = True
    best = min(best, time.perf_counter() - t0)
    located = int(found.sum())
print(json.dumps({"points": len(xy), "located": located, "seconds": round(best, 4),
                  "points_per_s": int(len(xy) / best), "geopandas": gpd.__version__}))
