#!/usr/bin/env bash
# Zone-tile benchmark of issue 16, both sides measured in one run on this machine: riskmap's zone layers
# (street, community, post: report.json timings_s.tiles_{layer}: drawing, encoding and putting every tile into
# the layer's archive, see TILES below)
# against Mapnik (Debian's python3-mapnik, one process per core, scripts/bench_mapnik.py) rendering the
# same polygons to the same tiles, on
#   1. the demo district (Voronoi posts, zooms 10–17),
#   2. NYC's five boroughs (boundaries/nyc: real multipolygon shorelines, ≈ 18,000 vertices per level,
#      zooms 10–16),
#   3. the same NYC outlines with every edge cut in ten (10× the vertices, the same shapes and tiles):
#      riskmap's time per tile should not grow with the zones' vertex count.
# RISKMAP_BASE=/path/to/an/older/riskmap also times that binary on the same inputs (before/after).
# Usage: bash scripts/bench_zone_tiles.sh   (prints a table; JSON in bench-data/zone-tiles/summary.json;
#        RUNS=N riskmap runs per case, the best counting, default 5)
set -euo pipefail
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
base=${RISKMAP_BASE:+$(realpath "$RISKMAP_BASE")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data}")/zone-tiles
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
dpkg -s python3-mapnik >/dev/null 2>&1 || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-mapnik >/dev/null; }
[ -n "$bin" ] || { swift build -c release >/dev/null; bin=$PWD/.build/release/riskmap; }
mkdir -p "$bd"

# NYC with every edge cut in ten: the same outlines, ten times the vertices.
if [ ! -s "$bd/nyc10/posts.geojson" ]; then
  mkdir -p "$bd/nyc10"
  python3 - boundaries/nyc "$bd/nyc10" <<'PY'
import json, os, sys
src, dst = sys.argv[1:3]
def dense(ring):
    out = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        out += [[x0 + (x1 - x0) * k / 10, y0 + (y1 - y0) * k / 10] for k in range(10)]
    return out + [ring[-1]]
for name in ("streets", "communities", "posts"):
    doc = json.load(open(os.path.join(src, name + ".geojson")))
    for f in doc["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            g["coordinates"] = [dense(r) for r in g["coordinates"]]
        elif g["type"] == "MultiPolygon":
            g["coordinates"] = [[dense(r) for r in p] for p in g["coordinates"]]
    json.dump(doc, open(os.path.join(dst, name + ".geojson"), "w"))
PY
  cp boundaries/nyc/cases.csv "$bd/nyc10/cases.csv"
fi

# name boundaries cases as-of max-zoom
cases=("demo boundaries/demo boundaries/demo/cases.csv 2026-11-22 17"
       "nyc boundaries/nyc boundaries/nyc/cases.csv 2026-11-22 16"
       "nyc10 $bd/nyc10 $bd/nyc10/cases.csv 2026-11-22 16")
# riskmap's side draws, encodes and puts every tile into the layer's archive (TILES=folder: one file per
# tile instead). Mapnik encodes each tile in memory and writes nothing; the creation of one small file
# per tile varied by a factor of two between back-to-back runs here (the file system's writeback of the
# previous run), which is not the drawing that is compared.
tiles_output=${TILES:-pmtiles}
results=()
# Best of RUNS (default 5) fresh runs of each case and binary (a run on its own previous output would be
# incremental), the runs taken turn about — round i runs every case with every binary before round i+1 —
# so that a slow spell of the machine (its time per run varied by ±15 % here) falls on all of them alike
# rather than on one case's block of runs.
declare -A best
for i in $(seq "${RUNS:-5}"); do
  for c in "${cases[@]}"; do
    read -r name bounds csv asof maxz <<<"$c"
    for who in riskmap ${base:+base}; do
      exe=$bin; [ "$who" = base ] && exe=$base
      out="$bd/out-$name-$who"
      rm -rf "$out"
      "$exe" run -q --boundaries "$bounds" --cases "$csv" --as-of "$asof" --max-vertices 10000000 \
        --min-zoom 10 --max-zoom "$maxz" --out "$out" --tiles "$tiles_output"
      s=$(python3 -c "import json,sys; t=json.load(open('$out/report.json'))['timings_s']; print(sum(t['tiles_'+z] for z in ('street','community','post')))")
      best[$name-$who]=$(python3 -c "print(min(float('$s'), float('${best[$name-$who]:-1e9}')))")
      cp "$out/report.json" "$out.report.json"
    done
  done
done
for c in "${cases[@]}"; do
  read -r name bounds csv asof maxz <<<"$c"
  for who in riskmap ${base:+base}; do results+=("$name $who ${best[$name-$who]} $bd/out-$name-$who"); done
  # Mapnik draws the tiles riskmap wrote: their list comes from a run with folder output.
  list="$bd/out-$name-riskmap"
  if [ "$tiles_output" != folder ]; then
    list="$bd/out-$name-list"; rm -rf "$list"
    "$bin" run -q --boundaries "$bounds" --cases "$csv" --as-of "$asof" --max-vertices 10000000 \
      --min-zoom 10 --max-zoom "$maxz" --out "$list"
  fi
  mk=$(/usr/bin/python3 scripts/bench_mapnik.py "$list" "$(nproc)")
  results+=("$name mapnik $mk")
done
python3 - "$bd" "${results[@]}" <<'PY'
import json, os, sys
bd, rows = sys.argv[1], sys.argv[2:]
def vertices(out):
    n = 0
    for name in ("streets", "communities", "posts"):
        for f in json.load(open(os.path.join(out, name + ".geojson")))["features"]:
            def count(c):
                return 1 if isinstance(c[0], (int, float)) else sum(count(x) for x in c)
            n += count(f["geometry"]["coordinates"]) if f["geometry"] else 0
    return n
summary = {}
for row in rows:
    name, who, rest = row.split(" ", 2)
    d = summary.setdefault(name, {})
    if who == "mapnik":
        d["mapnik"] = json.loads(rest)
    else:
        secs, out = rest.split(" ", 1)
        rep = json.load(open(out + ".report.json"))
        tiles = sum(rep["tiles"][z] for z in ("street", "community", "post"))
        d[who] = {"seconds": float(secs), "tiles": tiles, "tiles_per_s": tiles / float(secs),
                  "ms_per_tile": 1000 * float(secs) / tiles, "vertices": vertices(out)}
print(f"{'district':8} {'side':8} {'vertices':>9} {'tiles':>7} {'seconds':>8} {'tiles/s':>8} {'ms/tile':>8} {'vs Mapnik':>9}")
for name, d in summary.items():
    mk = d["mapnik"]["tiles_per_s"]
    for who in ("riskmap", "base"):
        if who in d:
            r = d[who]
            print(f"{name:8} {who:8} {r['vertices']:>9} {r['tiles']:>7} {r['seconds']:>8.2f} {r['tiles_per_s']:>8.0f} "
                  f"{r['ms_per_tile']:>8.3f} {r['tiles_per_s'] / mk:>8.1f}x")
    print(f"{name:8} {'mapnik':8} {'':>9} {d['mapnik']['tiles']:>7} {d['mapnik']['seconds']:>8.2f} {mk:>8.0f} "
          f"{1000 / mk:>8.3f}")
if "nyc" in summary and "nyc10" in summary:
    for who in ("riskmap", "base"):
        if who in summary["nyc"]:
            a, b = summary["nyc"][who], summary["nyc10"][who]
            print(f"{who}: per-tile time with 10x the vertices: {b['ms_per_tile'] / a['ms_per_tile']:.2f}x "
                  f"({a['ms_per_tile']:.3f} -> {b['ms_per_tile']:.3f} ms)")
json.dump(summary, open(os.path.join(bd, "summary.json"), "w"), indent=1)
PY
