#!/usr/bin/env bash
# The scale ladder of issue 16 (part 4): `riskmap run` on the synthetic province of
# scripts/make_province.py, at area ×1, ×4, ×16 (cities of 2,000 km²) with 100,000 cases, and at
# 100,000, 1,000,000 and 10,000,000 cases on area ×1. For each run: wall time and peak RSS
# (/usr/bin/time), report.json's timings_s per stage, tiles per layer and tiles/s per tile stage; then
# the exponent of time against area and against cases (least-squares slope of log time over log size,
# and the slope of each step), as a table and as JSON (stdout and $RISKMAP_BENCH_DATA/ladder.json).
# Goals (issue 16): exponent ≤ 1.0 in area, ≤ 1.05 in cases; peak RSS at 1e7 cases < 1.5 GB.
#
# Usage: bash scripts/bench_ladder.sh
# Environment:
#   RISKMAP_BIN=/path/to/riskmap     the binary measured (default: swift build -c release, .build/release/riskmap)
#   RISKMAP_BENCH_DATA=/dir          generated data and outputs (default bench-data/ladder); data is made
#                                    on first use and reused (the generator is seeded: same bytes every time)
#   MIN_ZOOM=10 MAX_ZOOM=15          tile zooms: z15 keeps ×16 (≈ 150,000 tiles) at a few minutes today
#   TILES=folder|pmtiles|mbtiles     tile output (default pmtiles when `run --help` lists --tiles, else folder)
#   AREAS="1 4 16" CASES="100000 1000000 10000000"   the rungs (a subset for a quick look)
#   KEEP_OUTPUT=1                    keep each run's output folder (default: only its report.json, as
#                                    report-xK-N.json; ×16's tiles and 1e7's cases.geojson are gigabytes)
#   KEEP=1                           keep the rungs that succeeded in the previous call, run the rest
#   MEM_LIMIT_MB=12000               address-space cap per run (ulimit -v), so that a binary whose memory
#                                    grows with the cases fails its rung instead of the machine; 0 = none
set -euo pipefail
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data/ladder}")
cd "$(dirname "$0")/.."
root=$PWD
[ -n "$bin" ] || { swift build -c release -j 2 >/dev/null; bin=$root/.build/release/riskmap; }
min_zoom=${MIN_ZOOM:-10}; max_zoom=${MAX_ZOOM:-15}
areas=${AREAS:-1 4 16}; case_rungs=${CASES:-100000 1000000 10000000}
mem_limit=${MEM_LIMIT_MB:-12000}
as_of=2026-11-30
if [ -z "${TILES:-}" ]; then
  # The help read whole first: `grep -q` would stop reading early, and pipefail would count the
  # writer's SIGPIPE as a failure.
  if grep -q -- "--tiles" <<<"$("$bin" run --help 2>/dev/null)"; then TILES=pmtiles; else TILES=folder; fi
fi
tile_args=()
grep -q -- "--tiles" <<<"$("$bin" run --help 2>/dev/null)" && tile_args=(--tiles "$TILES")
[ "$TILES" = folder ] || [ ${#tile_args[@]} -gt 0 ] || { echo "this binary has no --tiles option; use TILES=folder" >&2; exit 2; }
mkdir -p "$bd"
echo "binary: $bin ($("$bin" --version 2>/dev/null || echo unknown version)); zooms $min_zoom-$max_zoom; tiles: $TILES; data: $bd" >&2

province() {  # province K → its boundaries folder, made on first use
  local dir="$bd/province-x$1"
  [ -s "$dir/posts.geojson" ] || python3 scripts/make_province.py boundaries --cities "$1" --out "$dir" >&2 2>/dev/null
  echo "$dir"
}
cases_file() {  # cases K N → a CSV of N cases inside the first K cities, made on first use
  local file="$bd/cases-x$1-$2.csv"
  if [ ! -s "$file" ]; then
    python3 scripts/make_province.py cases --boundaries "$(province "$1")" --rows "$2" --out "$file.part" >&2
    mv "$file.part" "$file"
  fi
  echo "$file"
}

results="$bd/runs.jsonl"
# KEEP=1: keep the rungs that succeeded in the previous call (same folder, same binary: say so) and run
# only the others, e.g. one that ran out of disk.
if [ "${KEEP:-0}" = 1 ] && [ -s "$results" ]; then
  python3 -c "import json,sys
rows=[l for l in open(sys.argv[1]) if json.loads(l)['exit']==0]
open(sys.argv[1],'w').writelines(rows)" "$results"
else
  : > "$results"
fi
done_before() {  # done_before AXIS K N: a successful row of that rung is in the results
  python3 -c "import json,sys
a,k,n=sys.argv[2],int(sys.argv[3]),int(sys.argv[4])
sys.exit(0 if any((r['axis'],r['area'],r['cases'])==(a,k,n) for r in map(json.loads,open(sys.argv[1]))) else 1)" "$results" "$@"
}
rung() {  # rung AXIS K N
  local axis=$1 k=$2 n=$3 dir cases out="$bd/out-x$2-$3"
  if done_before "$axis" "$k" "$n"; then echo "== area x$k, $n cases: kept from the previous call" >&2; return; fi
  dir=$(province "$k"); cases=$(cases_file "$k" "$n")
  rm -rf "$out"  # a fresh folder: on the previous output the run would be incremental
  echo "== area x$k, $n cases" >&2
  local status=0
  ( [ "$mem_limit" -gt 0 ] && ulimit -v $((mem_limit * 1024))
    exec /usr/bin/time -f "%e %M" -o "$bd/time.txt" "$bin" run --boundaries "$dir" --cases "$cases" \
      --as-of "$as_of" --out "$out" --min-zoom "$min_zoom" --max-zoom "$max_zoom" "${tile_args[@]}" -q ) \
    >"$bd/run.log" 2>&1 || status=$?
  python3 - "$axis" "$k" "$n" "$status" "$bd/time.txt" "$out/report.json" "$bd/run.log" >> "$results" <<'PY'
import json, os, sys
axis, k, n, status, time_file, report, log = sys.argv[1:]
row = {"axis": axis, "area": int(k), "cases": int(n), "exit": int(status)}
try:
    wall, rss = open(time_file).read().split()[-2:]
    row["wall_s"], row["peak_rss_mb"] = float(wall), round(int(rss) / 1024)
except (OSError, ValueError):
    pass
if int(status) == 0 and os.path.exists(report):
    r = json.load(open(report))
    row["timings_s"] = r["timings_s"]
    row["tiles"] = r.get("tiles", {})
    row["tiles_per_s"] = {layer: round(count / r["timings_s"][f"tiles_{layer}"])
                          for layer, count in row["tiles"].items() if r["timings_s"].get(f"tiles_{layer}")}
    row["counts"] = {key: r.get(key) for key in ("input_rows", "located", "rejected", "counted")}
else:
    row["error"] = open(log).read()[-400:]
print(json.dumps(row))
PY
  # The outputs are gigabytes (×16's tile folder, 1e7's cases.geojson): kept only when asked.
  [ "${KEEP_OUTPUT:-0}" = 1 ] || { cp "$out/report.json" "$bd/report-x$k-$n.json" 2>/dev/null || true; rm -rf "$out"; }
  tail -1 "$results" | python3 -c "import json,sys; r=json.loads(sys.stdin.read()); print(f\"   exit {r['exit']}, {r.get('wall_s','?')} s, {r.get('peak_rss_mb','?')} MB\")" >&2
}

for k in $areas; do rung area "$k" 100000; done
for n in $case_rungs; do
  if [ "$n" = 100000 ] && [[ " $areas " == *" 1 "* ]]; then  # the shared rung: area ×1, 1e5 cases, run once
    done_before cases 1 100000 || python3 -c "import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r['area']==1 and r['cases']==100000: r['axis']='cases'; print(json.dumps(r)); break" "$results" >> "$results"
    continue
  fi
  rung cases 1 "$n"
done

python3 - "$results" "$bd/ladder.json" "$bin" "$min_zoom" "$max_zoom" "$TILES" <<'PY'
import json, math, sys
results, out, binary, zmin, zmax, tiles = sys.argv[1:]
runs = [json.loads(l) for l in open(results)]

def slopes(points):
    """Least-squares slope of log y over log x, and the slope of each step."""
    pts = sorted((x, y) for x, y in points if y and y > 0)
    if len(pts) < 2:
        return None
    lx, ly = [math.log(x) for x, _ in pts], [math.log(y) for _, y in pts]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    fit = sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)
    steps = {f"{pts[i][0]:g}->{pts[i + 1][0]:g}": round((ly[i + 1] - ly[i]) / (lx[i + 1] - lx[i]), 3)
             for i in range(len(pts) - 1)}
    return {"fit": round(fit, 3), "steps": steps}

summary = {"binary": binary, "zooms": f"{zmin}-{zmax}", "tiles": tiles, "runs": runs, "exponents": {}}
for axis, size in (("area", "area"), ("cases", "cases")):
    rs = [r for r in runs if r["axis"] == axis and r["exit"] == 0]
    e = {"wall": slopes([(r[size], r["wall_s"]) for r in rs]),
         "peak_rss": slopes([(r[size], r["peak_rss_mb"]) for r in rs])}
    stages = sorted({s for r in rs for s in r["timings_s"]})
    e["stages"] = {s: slopes([(r[size], r["timings_s"].get(s)) for r in rs]) for s in stages}
    summary["exponents"][axis] = e
goals = summary["goals"] = {}
ea, ec = summary["exponents"]["area"]["wall"], summary["exponents"]["cases"]["wall"]
# A rung that failed (out of memory, crashed) fails its axis: the fit over the others says nothing of it.
complete = {axis: all(r["exit"] == 0 for r in runs if r["axis"] == axis) for axis in ("area", "cases")}
goals["area_exponent<=1.0"] = complete["area"] and ea is not None and ea["fit"] <= 1.0
goals["cases_exponent<=1.05"] = complete["cases"] and ec is not None and ec["fit"] <= 1.05
top = [r for r in runs if r["axis"] == "cases" and r["cases"] == 10_000_000]
goals["rss_1e7<1.5GB"] = bool(top) and top[0]["exit"] == 0 and top[0]["peak_rss_mb"] < 1536
json.dump(summary, open(out, "w"), indent=1, ensure_ascii=False)

def row(r):
    t = r.get("timings_s", {})
    tps = r.get("tiles_per_s", {})
    cells = [f"x{r['area']}", f"{r['cases']:,}", str(r["exit"]), f"{r.get('wall_s', float('nan')):.1f}",
             f"{r.get('peak_rss_mb', 0):,}"]
    cells += [f"{t[k]:.1f}" if k in t else "-" for k in ("read_cases", "locate", "score", "write_cases", "repeats", "tiles")]
    cells += [f"{sum(r.get('tiles', {}).values()):,}", " ".join(f"{l[0]}{v}" for l, v in sorted(tps.items()))]
    return cells

head = ["area", "cases", "exit", "wall s", "RSS MB", "read", "locate", "score", "w_cases", "repeats", "tiles s", "tiles", "tiles/s (c,h,p,s)"]
rows = [head] + [row(r) for r in runs if not (r["axis"] == "cases" and r["cases"] == 100000 and r["area"] == 1
                                             and any(q["axis"] == "area" and q["area"] == 1 for q in runs))]
width = [max(len(r[i]) for r in rows) for i in range(len(head))]
print(f"binary {binary}, zooms {zmin}-{zmax}, tiles {tiles}")
for r in rows:
    print("  ".join(c.rjust(w) for c, w in zip(r, width)))
for axis in ("area", "cases"):
    e = summary["exponents"][axis]
    if e["wall"]:
        worst = sorted(((v["fit"], s) for s, v in e["stages"].items() if v), reverse=True)[:4]
        print(f"time exponent in {axis}: {e['wall']['fit']} (steps {e['wall']['steps']}); "
              f"peak RSS exponent {e['peak_rss']['fit'] if e['peak_rss'] else '-'}; steepest stages: "
              + ", ".join(f"{s} {f}" for f, s in worst))
print("goals: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in goals.items())
      + "".join(f" ({axis}: a rung failed)" for axis, ok in complete.items() if not ok))
print(json.dumps({k: summary[k] for k in ("binary", "zooms", "tiles", "exponents", "goals")}, ensure_ascii=False))
PY
