#!/usr/bin/env bash
# Benchmarks of the foundation issue, measured in one run on this machine:
#  1. locating 1,000,000 cases with coordinates (point-in-polygon, both cores) against geopandas.sjoin
#     on the same points and polygons;
#  2. `riskmap run` on the demo district, zooms 10–17: wall time and peak memory.
# Usage: bash scripts/bench.sh   (generates bench-data/ on first use; prints a summary at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --bench
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore numpy "shapely>=2.1" pyproj prcoords geopandas >/dev/null
swift build -c release >/dev/null
bin=.build/release/riskmap
mkdir -p bench-data
if [ ! -s bench-data/demo1m/cases.csv ]; then
  python3 scripts/make_demo.py --cases 1000000 --out bench-data/demo1m
fi

echo "== riskmap run on the demo district (zooms 10-17)"
/usr/bin/time -v "$bin" run --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 \
  --out bench-data/out-demo --min-zoom 10 --max-zoom 17 2> bench-data/time-run.txt | tail -1
wall=$(grep "Elapsed (wall clock)" bench-data/time-run.txt | awk '{print $NF}')
rss=$(grep "Maximum resident set size" bench-data/time-run.txt | awk '{print $NF}')
echo "wall $wall, peak RSS $((rss / 1024)) MB"

echo "== locating 1,000,000 cases: riskmap vs geopandas.sjoin"
ours=$("$bin" bench --boundaries boundaries/demo --cases bench-data/demo1m/cases.csv \
  --export-points bench-data/points.csv --repeats 3)
echo "riskmap: $ours"
peer=$(python3 scripts/bench_geopandas.py bench-data/out-demo bench-data/points.csv)
echo "geopandas: $peer"
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"riskmap {ours['points_per_s']:,} points/s, geopandas {peer['points_per_s']:,} points/s, "
      f"ratio {ours['points_per_s'] / peer['points_per_s']:.1f}x; located {ours['located']:,} vs {peer['located']:,}")
PY
