#!/usr/bin/env python3
"""Oracle for riskmap's heat layer: kernel densities computed independently with numpy and mercantile.

Writes Tests/Fixtures/heat.json. Seeded, so re-running gives the same file.
Density of a pixel = the mean, over 16×16 sub-samples spread evenly over the pixel, of
    sum_i w_i * 3 / (pi h^2) * (1 - d_i^2 / h^2)^2 * 1e6        (weighted cases per km², quartic kernel)
with d_i the great-circle (haversine) distance on the Web Mercator sphere (R = 6378137 m) — no Mercator
scale factors, no sample levels, no interpolation: none of riskmap's shortcuts.
"""
import json
import math
import os

import mercantile
import numpy as np

R_EARTH = 6378137.0
H = 150.0
rng = np.random.default_rng(20261122)

# A hotspot, a loose cluster, single cases and two cases just across tile edges (z14 tile 13382/7138
# spans lon 114.0381..114.0601): their kernels reach into the neighbouring tiles.
points = [(114.0452, 22.5431, 2.0), (114.0455, 22.5433, 1.0), (114.0449, 22.5428, 1.5)]
for _ in range(25):
    points.append((114.047 + rng.normal(0, 0.002), 22.541 + rng.normal(0, 0.0015), float(rng.choice([0.5, 1.0, 1.2, 2.0]))))
points += [(114.0600, 22.5400, 1.0), (114.0602, 22.5455, 2.0), (114.0390, 22.5500, 1.0)]
pts = np.array(points)


def haversine(lon1, lat1, lon2, lat2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R_EARTH * np.arcsin(np.sqrt(a))


def pixel_density(tile, px, py, size=256, sub=16):
    b = mercantile.xy_bounds(tile)
    step = (b.right - b.left) / size
    offs = (np.arange(sub) + 0.5) / sub
    mx = b.left + (px + offs[None, :]) * step + 0 * offs[:, None]
    my = b.top - (py + offs[:, None]) * step + 0 * offs[None, :]
    lon = mx / R_EARTH * 180 / math.pi
    lat = np.degrees(2 * np.arctan(np.exp(my / R_EARTH)) - math.pi / 2)
    total = np.zeros_like(lon)
    for plon, plat, w in pts:
        d = haversine(plon, plat, lon, lat)
        u = np.clip(1 - (d / H) ** 2, 0, None)
        total += w * 3 / (math.pi * H * H) * u * u * 1e6
    return float(total.mean())


tiles = []
for z in (11, 13, 14, 15, 17):
    t = mercantile.tile(114.0455, 22.5433, z)
    probes = [(x, y) for x in range(4, 256, 24) for y in range(4, 256, 24)]
    # The pixels holding the cases, and the two columns on either side of the tile's edges.
    for plon, plat, _ in points:
        if mercantile.tile(plon, plat, z) == t:
            b = mercantile.xy_bounds(t)
            mx, my = mercantile.xy(plon, plat)
            probes.append((int((mx - b.left) / (b.right - b.left) * 256), int((b.top - my) / (b.top - b.bottom) * 256)))
    probes += [(c, y) for c in (0, 1, 254, 255) for y in range(0, 256, 32)]
    probes = sorted(set(probes))
    tiles.append({"z": t.z, "x": t.x, "y": t.y,
                  "pixels": [[px, py, pixel_density(t, px, py, sub=16 if z < 15 else 4)] for px, py in probes]})

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = os.path.join(root, "Tests", "Fixtures", "heat.json")
with open(path, "w") as f:
    json.dump({"generator": "scripts/oracles/heat_fixtures.py", "bandwidth_m": H,
               "points": [[a, b, c] for a, b, c in points], "tiles": tiles}, f, indent=0)
print(path, [(t["z"], len(t["pixels"])) for t in tiles])
