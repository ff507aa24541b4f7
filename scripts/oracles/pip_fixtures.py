#!/usr/bin/env python3
"""Point-in-polygon oracle for the Geometry tests: shapely says which polygons cover / contain each point.

Polygons: a 4x3 grid of adjacent irregular cells sharing borders exactly (like sibling zones),
one of them with a hole, and a two-part multipolygon. Points: random ones, points exactly on shared
borders and shared corners, points in the hole, and points outside everything.
Writes Tests/Fixtures/pip.json. Seeded: the same file every time.
"""
import json, pathlib, random
from shapely.geometry import Polygon, MultiPolygon, Point, mapping

random.seed(20261123)
X0, Y0, DX, DY = 114.00, 22.50, 0.011, 0.009
# Jittered grid nodes shared by neighbouring cells so that borders coincide exactly.
nodes = {(i, j): (round(X0 + i * DX + random.uniform(-0.002, 0.002) * (0 < i < 4), 7),
                  round(Y0 + j * DY + random.uniform(-0.002, 0.002) * (0 < j < 3), 7))
         for i in range(5) for j in range(4)}
polys = []
for j in range(3):
    for i in range(4):
        ring = [nodes[(i, j)], nodes[(i + 1, j)], nodes[(i + 1, j + 1)], nodes[(i, j + 1)]]
        polys.append(Polygon(ring))
# A hole in cell 5 (nobody owns it) and a multipolygon far away.
c = polys[5].centroid
hole = [(c.x - .002, c.y - .0015), (c.x + .002, c.y - .0015), (c.x + .002, c.y + .0015), (c.x - .002, c.y + .0015)]
polys[5] = Polygon(polys[5].exterior.coords, [hole])
polys.append(MultiPolygon([Polygon([(114.10, 22.50), (114.11, 22.50), (114.11, 22.51), (114.10, 22.51)]),
                           Polygon([(114.12, 22.50), (114.13, 22.50), (114.13, 22.51)])]))

points = []
for _ in range(3000):
    points.append((random.uniform(113.99, 114.14), random.uniform(22.49, 22.53)))
# On shared borders: points along interior edges (midpoints and fractions) and at shared nodes.
for (i, j), (x, y) in nodes.items():
    points.append((x, y))
    if (i + 1, j) in nodes:
        x2, y2 = nodes[(i + 1, j)]
        points.append(((x + x2) / 2, (y + y2) / 2))
    if (i, j + 1) in nodes:
        x2, y2 = nodes[(i, j + 1)]
        points.append(((x + x2) / 2, (y + y2) / 2))
points += [(c.x, c.y), (c.x + .001, c.y + .001), (hole[0][0], hole[0][1])]  # in the hole, on its corner

def exact(geom):
    """GeoJSON-like mapping with every number as its shortest repr string: a JSON reader that is not
    correctly rounded must not move a point that lies exactly on a border off it."""
    def conv(v):
        return [conv(x) for x in v] if isinstance(v, (list, tuple)) else repr(float(v))
    m = mapping(geom)
    return {"type": m["type"], "coordinates": conv(m["coordinates"])}

out = {"polygons": [exact(p) for p in polys], "points": []}
for x, y in points:
    pt = Point(x, y)
    out["points"].append({"x": repr(x), "y": repr(y),
                          "covers": [k for k, p in enumerate(polys) if p.covers(pt)],
                          "contains": [k for k, p in enumerate(polys) if p.contains(pt)]})
path = pathlib.Path(__file__).resolve().parents[2] / "Tests/Fixtures/pip.json"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(out, indent=None))
print(f"{path}: {len(polys)} polygons, {len(points)} points, "
      f"{sum(1 for p in out['points'] if len(p['covers']) > 1)} on shared borders")
