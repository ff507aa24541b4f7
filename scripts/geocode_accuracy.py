#!/usr/bin/env python3
"""Address accuracy per level of a riskmap binary on a labelled address set, with shapely as the oracle.

The labelled CSV has the columns of Tests/Fixtures/geocode/addresses.csv (scripts/make_address_set.py):
address, expect (point | zones | reject:REASON), lon, lat (the place's WGS84 point, for `point` rows),
street, community, post (the zones, for `zones` rows). A point row's expected zones are the zones its
point falls in (shapely point-in-polygon on the boundary files), so the figure does not lean on
riskmap's own point location. The counting follows Tests/JobsTests/GeocodeAccuracyTests.swift: street
and community must equal the expected ids; post counts as right for `zones` rows, rows with no
expected post, or an equal post; reject rows must be rejected with the expected reason.

  python3 scripts/geocode_accuracy.py --binary .build/release/riskmap --boundaries boundaries/demo \
      --home 广东省深圳市福田区 Tests/Fixtures/geocode/addresses.csv

Prints one JSON line: rows, located rows, and the share right per level.
"""
import argparse
import csv
import json
import math
import subprocess
import sys

from shapely.geometry import Point, shape
from shapely.strtree import STRtree


def zones_of(folder, level):
    with open(f"{folder}/{level}.geojson", encoding="utf-8") as f:
        features = json.load(f)["features"]
    shapes = [shape(ft["geometry"]) for ft in features]
    ids = [str(ft["properties"]["id"]) for ft in features]
    parents = [str(ft["properties"].get("parent")) for ft in features]
    return STRtree(shapes), shapes, ids, parents


def locate_point(levels, lon, lat):
    """The zone ids of a point. Posts given as points: the nearest post of the point's community, in
    metres (x stretched by cos(latitude)), as the interface defines a point post's zone."""
    point = Point(lon, lat)
    found = {}
    for level, (tree, shapes, ids, parents) in levels.items():
        if shapes and shapes[0].geom_type == "Point":
            scale = math.cos(math.radians(lat))
            near = [(((s.x - lon) * scale) ** 2 + (s.y - lat) ** 2, i) for i, s in enumerate(shapes)
                    if parents[i] == found.get("community")]
            found[level] = ids[min(near)[1]] if near else None
            continue
        hits = [i for i in tree.query(point) if shapes[i].covers(point)]
        found[level] = ids[min(hits)] if hits else None
    return found


def geocode(binary, boundaries, home, addresses, chunk=400):
    results = []
    for i in range(0, len(addresses), chunk):
        args = [binary, "locate", "--boundaries", boundaries, "--json"]
        if home:
            args += ["--home", home]
        # `--` so that an address starting with '-' is not read as an option.
        out = subprocess.run(args + ["--"] + addresses[i:i + chunk], check=True, capture_output=True, text=True)
        results += [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    if len(results) != len(addresses):
        sys.exit(f"expected {len(addresses)} results, got {len(results)}")
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--boundaries", required=True)
    ap.add_argument("--home", default="")
    ap.add_argument("labelled")
    a = ap.parse_args()
    with open(a.labelled, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    levels = {lv: zones_of(a.boundaries, f) for lv, f in
              [("street", "streets"), ("community", "communities"), ("post", "posts")]}
    results = geocode(a.binary, a.boundaries, a.home, [r["address"] for r in rows])
    total = street = community = post = rejects = rejects_right = located = 0
    for row, got in zip(rows, results):
        if got.get("rejected") is None:
            located += 1
        if row["expect"].startswith("reject:"):
            rejects += 1
            rejects_right += got.get("rejected") == row["expect"][len("reject:"):]
            continue
        if row.get("lon") and row.get("lat"):
            want = locate_point(levels, float(row["lon"]), float(row["lat"]))
        else:
            want = {lv: row.get(lv) or None for lv in levels}
        total += 1
        street += got.get("street") == want["street"]
        community += got.get("community") == want["community"]
        post += row["expect"] == "zones" or want["post"] is None or got.get("post") == want["post"]
    rate = lambda n: round(n / total, 4) if total else None
    print(json.dumps({"rows": len(rows), "located": located, "scored": total, "street": rate(street),
                      "community": rate(community), "post": rate(post), "rejects": rejects,
                      "rejects_right": rejects_right}))


if __name__ == "__main__":
    main()
