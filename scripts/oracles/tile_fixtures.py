#!/usr/bin/env python3
"""Oracle for riskmap's tile math: answers computed by mercantile (independent implementation).

Writes Tests/Fixtures/tiles.json. Seeded, so re-running gives the same file.
Cases: tile(lng, lat, z), bounds, xy_bounds, tiles(bbox, z), parent, children; zooms 0-20,
including points exactly on tile edges (EPSILON handling), the antimeridian and latitudes near ±85.
"""
import json
import os
import random

import mercantile

rng = random.Random(20260523)
out = {"tile": [], "bounds": [], "tiles": [], "parent": [], "children": []}

# 1. Point -> tile: random points, extremes and points exactly on tile edges.
points = []
for _ in range(120):
    points.append((rng.uniform(-180, 180), rng.uniform(-85.06, 85.06), rng.randint(0, 20)))
for lng, lat in [(-180, 0), (180, 0), (179.9999999, 85.0511), (-179.9999999, -85.0511),
                 (0, 85.0511287798066), (0, -85.0511287798066), (0, 89.9), (0, -89.9),
                 (114.05, 22.54), (0, 0), (-0.0, -0.0)]:
    for z in (0, 1, 7, 14, 20):
        points.append((lng, lat, z))
for _ in range(40):  # corners of random tiles: exactly on the edge between tiles
    z = rng.randint(1, 20)
    t = mercantile.Tile(rng.randrange(2 ** z), rng.randrange(2 ** z), z)
    b = mercantile.bounds(t)
    points.append((b.west, b.north, z))
    points.append((b.east, b.south, z))
for lng, lat, z in points:
    t = mercantile.tile(lng, lat, z)
    out["tile"].append({"lon": lng, "lat": lat, "z": z, "x": t.x, "y": t.y})

# 2. Tile -> bounds (lon/lat) and xy_bounds (EPSG:3857 metres).
tiles_sample = [mercantile.Tile(0, 0, 0), mercantile.Tile(1, 1, 1)]
for _ in range(60):
    z = rng.randint(0, 20)
    tiles_sample.append(mercantile.Tile(rng.randrange(2 ** z), rng.randrange(2 ** z), z))
for z in (3, 20):  # the corners of the world
    n = 2 ** z - 1
    tiles_sample += [mercantile.Tile(0, 0, z), mercantile.Tile(n, n, z)]
for t in tiles_sample:
    b = mercantile.bounds(t)
    m = mercantile.xy_bounds(t)
    out["bounds"].append({"z": t.z, "x": t.x, "y": t.y,
                          "lonlat": [b.west, b.south, b.east, b.north],
                          "mercator": [m.left, m.bottom, m.right, m.top]})

# 3. Bounding box -> covering tiles (kept small so that lists stay short).
boxes = []
for _ in range(40):
    z = rng.randint(0, 20)
    w = rng.uniform(-180, 179)
    s = rng.uniform(-85, 84)
    span = 360.0 / 2 ** z * rng.uniform(0.1, 3.0)
    boxes.append((w, s, min(180, w + span), min(85.06, s + span * 0.5), z))
for _ in range(10):  # exactly a tile's bounds: must give that one tile
    z = rng.randint(0, 20)
    t = mercantile.Tile(rng.randrange(2 ** z), rng.randrange(2 ** z), z)
    b = mercantile.bounds(t)
    boxes.append((b.west, b.south, b.east, b.north, z))
boxes += [(113.95, 22.50, 114.10, 22.58, 13),   # Shenzhen, Futian
          (170, -10, -170, 10, 4),              # crosses the antimeridian
          (-180, -90, 180, 90, 2),              # the whole world, beyond ±85
          (179.5, 84.9, 180, 89, 9)]            # corner of the world
for w, s, e, n, z in boxes:
    ts = sorted((t.z, t.x, t.y) for t in mercantile.tiles(w, s, e, n, [z]))
    out["tiles"].append({"bbox": [w, s, e, n], "z": z, "tiles": [[x, y] for _, x, y in ts]})

# 4. Parent and children.
for _ in range(40):
    z = rng.randint(0, 20)
    t = mercantile.Tile(rng.randrange(2 ** z), rng.randrange(2 ** z), z)
    p = mercantile.parent(t)
    out["parent"].append({"z": z, "x": t.x, "y": t.y, "parent": None if p is None else [p.z, p.x, p.y]})
for _ in range(20):
    z = rng.randint(0, 19)
    t = mercantile.Tile(rng.randrange(2 ** z), rng.randrange(2 ** z), z)
    out["children"].append({"z": z, "x": t.x, "y": t.y,
                            "children": [[c.z, c.x, c.y] for c in mercantile.children(t)]})

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = os.path.join(root, "Tests", "Fixtures", "tiles.json")
with open(path, "w") as f:
    json.dump({"generator": "scripts/oracles/tile_fixtures.py", "mercantile": mercantile.__version__, **out},
              f, indent=0)
print(path, {k: len(v) for k, v in out.items()})
