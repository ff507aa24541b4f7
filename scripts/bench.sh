#!/usr/bin/env bash
# Benchmarks of the foundation issue, measured in one run on this machine:
#  1. locating 1,000,000 cases with coordinates (point-in-polygon, both cores) against geopandas.sjoin
#     on the same points and polygons;
#  2. `riskmap run` on the demo district, zooms 10–17: wall time and peak memory.
# Usage: bash scripts/bench.sh   (generates bench-data/ on first use; prints a summary at the end)
set -euo pipefail
# RISKMAP_BIN=/path/to/riskmap measures that binary instead of building .build/release/riskmap;
# RISKMAP_BENCH_DATA=/dir holds the generated data and outputs instead of bench-data/ (both resolved here,
# before the cd, so relative paths mean the caller's folder).
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data}")
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --bench
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore numpy "shapely>=2.1" pyproj prcoords geopandas >/dev/null
[ -n "$bin" ] || { swift build -c release >/dev/null; bin=$PWD/.build/release/riskmap; }
mkdir -p "$bd"
if [ ! -s "$bd/demo1m/cases.csv" ]; then
  python3 scripts/make_demo.py --cases 1000000 --out "$bd/demo1m"
fi

echo "== riskmap run on the demo district (zooms 10-17)"
# A fresh folder: on the previous run's output the run would be incremental and measure little.
rm -rf "$bd/out-demo"
/usr/bin/time -v "$bin" run --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 \
  --out "$bd/out-demo" --min-zoom 10 --max-zoom 17 2> "$bd/time-run.txt" | tail -1
wall=$(grep "Elapsed (wall clock)" "$bd/time-run.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$bd/time-run.txt" | awk '{print $NF}')
echo "wall $wall, peak RSS $((rss / 1024)) MB"

echo "== locating 1,000,000 cases: riskmap vs geopandas.sjoin"
ours=$("$bin" bench --boundaries boundaries/demo --cases "$bd/demo1m/cases.csv" \
  --export-points "$bd/points.csv" --repeats 3)
echo "riskmap: $ours"
peer=$(python3 scripts/bench_geopandas.py "$bd/out-demo" "$bd/points.csv")
echo "geopandas: $peer"
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"riskmap {ours['points_per_s']:,} points/s, geopandas {peer['points_per_s']:,} points/s, "
      f"ratio {ours['points_per_s'] / peer['points_per_s']:.1f}x; located {ours['located']:,} vs {peer['located']:,}")
PY
