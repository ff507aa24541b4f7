#!/usr/bin/env bash
# Tile-rendering benchmarks of issue 4, both sides measured in one run on this machine:
#  1. the heat layer of 1,000,000 cases (the bench demo district, every case in the window), zooms 10–17:
#     riskmap's wall time for the layer (report.json timings_s.tiles_heat: building the density field,
#     rendering, encoding and writing every tile), tiles/s, mean tile size — against datashader
#     rendering the same located points to the same tiles (scripts/bench_datashader.py);
#  2. the three choropleth layers of the same run: tiles/s against Mapnik (Debian's python3-mapnik, one
#     process per core) rendering the same polygons to the same tiles (scripts/bench_mapnik.py).
# Usage: bash scripts/bench_tiles.sh   (generates bench-data/demo1m on first use; prints a summary)
set -euo pipefail
# RISKMAP_BIN=/path/to/riskmap measures that binary instead of building .build/release/riskmap;
# RISKMAP_BENCH_DATA=/dir holds the generated data and outputs instead of bench-data/ (both resolved here,
# before the cd, so relative paths mean the caller's folder).
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data}")
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
dpkg -s python3-mapnik >/dev/null 2>&1 || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-mapnik >/dev/null; }
python3 -c "import datashader" 2>/dev/null || \
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore datashader >/dev/null
[ -n "$bin" ] || { swift build -c release >/dev/null; bin=$PWD/.build/release/riskmap; }
mkdir -p "$bd"
[ -s "$bd/demo1m/cases.csv" ] || python3 scripts/make_demo.py --cases 1000000 --out "$bd/demo1m"
out="$bd/out-tiles"
# A fresh folder: on the previous run's output the run would be incremental and measure little.
rm -rf "$out"

echo "== riskmap run, 1,000,000 cases, all in the window (--as-of 2026-11-25 --window 100), zooms 10-17"
/usr/bin/time -f "%e s wall, %M KB peak" "$bin" run --boundaries boundaries/demo \
  --cases "$bd/demo1m/cases.csv" --as-of 2026-11-25 --window 100 --out "$out" --min-zoom 10 --max-zoom 17
echo "== datashader, same points, same heat tiles"
ds=$(python3 scripts/bench_datashader.py "$out")
echo "$ds"
echo "== Mapnik, same polygons, same choropleth tiles"
mk=$(/usr/bin/python3 scripts/bench_mapnik.py "$out" "$(nproc)")
echo "$mk"
python3 - "$out" "$ds" "$mk" <<'PY'
import json, os, sys
out, ds, mk = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
rep = json.load(open(os.path.join(out, "report.json")))
t, n = rep["timings_s"], rep["tiles"]
def size(layer):
    root = os.path.join(out, "tiles", layer)
    files = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
    return sum(os.path.getsize(f) for f in files) / len(files)
heat_rate = n["heat"] / t["tiles_heat"]
print(f"heat: {rep['counted']:,} cases, {n['heat']} tiles in {t['tiles_heat']:.2f} s = {heat_rate:.0f} tiles/s, "
      f"mean {size('heat'):.0f} B; datashader {ds['tiles_per_s']:.0f} tiles/s ({ds['seconds']:.2f} s) "
      f"-> riskmap {heat_rate / ds['tiles_per_s']:.1f}x faster")
zones = ["street", "community", "post"]
secs = sum(t[f"tiles_{z}"] for z in zones); tiles = sum(n[z] for z in zones)
print(f"choropleth: {tiles} tiles in {secs:.2f} s = {tiles / secs:.0f} tiles/s, mean {sum(size(z) for z in zones) / 3:.0f} B; "
      f"Mapnik {mk['tiles_per_s']:.0f} tiles/s ({mk['workers']} processes, mean {mk['mean_png_bytes']} B) "
      f"-> riskmap {tiles / secs / mk['tiles_per_s']:.1f}x")
PY
