#!/usr/bin/env python3
"""Douglas–Peucker by shapely (GEOS), independently of riskmap, for a closed ring split as riskmap splits it.

    python3 douglas_peucker.py RING.json

RING.json: {"xs": [...], "ys": [...], "tolerances": [...]}, the ring's vertices without the closing one.
The ring is anchored at its last vertex and at the vertex farthest from it (the first such in ring order),
and each of the two chains between them is simplified with LineString.simplify(t, preserve_topology=False).
Prints {"kept": [[indices kept at tolerances[0]], ...]}.
"""
import json, sys
from shapely.geometry import LineString

d = json.load(open(sys.argv[1]))
xs, ys = d["xs"], d["ys"]
n = len(xs)
ax, ay = xs[-1], ys[-1]
far, farthest = 0, -1.0
for i in range(n - 1):
    dd = (xs[i] - ax) ** 2 + (ys[i] - ay) ** 2
    if dd > farthest:
        far, farthest = i, dd
index = {(xs[i], ys[i]): i for i in range(n)}
chains = [[n - 1] + list(range(0, far + 1)), list(range(far, n))]
kept = []
for t in d["tolerances"]:
    found = set()
    for chain in chains:
        line = LineString([(xs[i], ys[i]) for i in chain])
        for c in line.simplify(t, preserve_topology=False).coords:
            found.add(index[c])
    kept.append(sorted(found))
print(json.dumps({"kept": kept}))
