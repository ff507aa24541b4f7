#!/usr/bin/env python3
"""Independent answers for Tests/ProjectionTests: writes Tests/Fixtures/projection.json.

Oracles: prcoords (GCJ-02 / BD-09), pyproj (PROJ transformations, WGS84 geodesic areas), shapely.
Seeded, so re-running gives the same file.  Run from the repository root:
    python3 scripts/oracles/projection_fixtures.py
"""
import json
import math
import os
import random
import warnings

import prcoords
from pyproj import Geod, Transformer
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

warnings.simplefilter("ignore")  # prcoords warns on every point outside China

# prcoords' "bored" inverses stop once a step moves less than PRC_EPS = 1e-5 deg, which can leave
# ~1e-8 deg of error. Tighten the stopping rule (same algorithm) so the oracle is better than the
# tolerance the Swift tests use.
prcoords.PRC_EPS = 1e-13

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "projection.json")
rng = random.Random(20261123)


def in_china(lon, lat):
    return prcoords.sanity_in_china_p(prcoords.Coords(lat, lon))


def gcj_to_wgs(lon, lat):
    # gcj_wgs_bored ignores its check_china flag: outside China it iterates anyway, although the
    # forward transform is the identity there. The rough gcj_wgs is the identity outside China, which
    # is the consistent inverse, so use it there.
    if not in_china(lon, lat):
        c = prcoords.gcj_wgs((lat, lon))
    else:
        c = prcoords.gcj_wgs_bored((lat, lon))
    return [c.lon, c.lat]


def ll(c):
    return [c.lon, c.lat]


to3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
to4547 = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)
from4547 = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
to4490 = Transformer.from_crs("EPSG:4326", "EPSG:4490", always_xy=True)

points = [(113.912316, 22.543847)]  # the check vector from ../shared/c-libraries.md
points += [(rng.uniform(113.7, 114.7), rng.uniform(22.3, 22.9)) for _ in range(200)]
# Outside prcoords' China box (identity for WGS<->GCJ) and a few far-away places.
points += [(2.3522, 48.8566), (-74.006, 40.7128), (151.2093, -33.8688), (72.0, 30.0),
           (138.0, 36.0), (103.8198, 1.3521)]

records = []
for lon, lat in points:
    gcj = prcoords.wgs_gcj((lat, lon))
    bd_from_gcj = prcoords.gcj_bd((lat, lon))          # input treated as GCJ-02
    gcj_from_bd = prcoords.bd_gcj_bored((lat, lon))     # input treated as BD-09
    merc = to3857.transform(lon, lat)
    gk = to4547.transform(lon, lat)
    back = from4547.transform(*gk)
    cg = to4490.transform(lon, lat)
    records.append({
        "wgs": [lon, lat],
        "inChina": in_china(lon, lat),
        "wgsToGcj": ll(gcj),
        "gcjToWgs": gcj_to_wgs(lon, lat),
        "gcjToBd": ll(bd_from_gcj),
        "bdToGcj": ll(gcj_from_bd),
        "wgsToBd": ll(prcoords.wgs_bd((lat, lon))),
        "epsg3857": list(merc),
        "epsg4547": list(gk),
        "epsg4547Back": list(back),
        "epsg4490": list(cg),
    })


def ring_box(lon0, lat0, dlon, dlat, n=0):
    """A closed ring around a box, with n extra points on each side so the edges are geodesics."""
    corners = [(lon0, lat0), (lon0 + dlon, lat0), (lon0 + dlon, lat0 + dlat), (lon0, lat0 + dlat)]
    ring = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        for k in range(n + 1):
            t = k / (n + 1)
            ring.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    ring.append(ring[0])
    return ring


def wobbly_ring(lon0, lat0, r, k):
    ring = [(lon0 + r * (1 + 0.3 * math.sin(3 * i * 2 * math.pi / k)) * math.cos(i * 2 * math.pi / k),
             lat0 + r * (1 + 0.3 * math.sin(3 * i * 2 * math.pi / k)) * math.sin(i * 2 * math.pi / k))
            for i in range(k)]
    ring.append(ring[0])
    return ring


geod = Geod(ellps="WGS84")
shapes = {
    "futian_block_with_two_holes": [
        (ring_box(114.02, 22.52, 0.08, 0.05, 3),
         [ring_box(114.03, 22.53, 0.01, 0.01), ring_box(114.06, 22.54, 0.005, 0.02)])],
    "wobbly_clockwise": [(list(reversed(wobbly_ring(113.95, 22.6, 0.03, 40))), [])],
    "two_parts_one_holed": [
        (wobbly_ring(114.3, 22.7, 0.05, 25), [list(reversed(wobbly_ring(114.3, 22.7, 0.01, 12)))]),
        (ring_box(113.8, 22.4, 0.02, 0.03), [])],
    "large_province": [(ring_box(110.0, 20.0, 5.0, 5.0, 10), [ring_box(111.0, 21.0, 1.0, 1.0, 2)])],
}
areas = []
for name, parts in shapes.items():
    total = 0.0
    for ext, holes in parts:
        poly = orient(Polygon(ext, holes), sign=1.0)   # exterior CCW, holes CW: area comes out positive
        a, _ = geod.geometry_area_perimeter(poly)
        # Cross-check: exterior minus holes, each as an absolute ring area.
        by_rings = abs(geod.polygon_area_perimeter(*zip(*ext))[0]) - sum(
            abs(geod.polygon_area_perimeter(*zip(*h))[0]) for h in holes)
        assert abs(a - by_rings) <= 1e-6 * abs(a), (name, a, by_rings)
        total += a
    areas.append({"name": name, "areaM2": total,
                  "polygons": [{"exterior": [list(p) for p in ext], "holes": [[list(p) for p in h] for h in holes]}
                               for ext, holes in parts]})

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "scripts/oracles/projection_fixtures.py",
               "prcoordsEps": prcoords.PRC_EPS,
               "points": records, "areas": areas}, f, indent=1)
    f.write("\n")
print(f"wrote {len(records)} points and {len(areas)} areas to {os.path.normpath(OUT)}")
