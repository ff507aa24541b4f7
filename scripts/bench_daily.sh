#!/usr/bin/env bash
# Benchmark of issue 7: a day-2 incremental run against a full run on the 1,000,000-case district.
#
# Day 1: the district's cases.csv as of 2026-11-22, stored in a case database (--db) and published
#   with --keep 3.
# Day 2: scripts/make_day2.py adds 1% new cases and updates 0.5% of the cases. Two ways to publish it:
#   - incremental: the day's export only (the new and updated rows) on top of day 1's database and
#     output (geocode cache, history from the database, only changed tiles drawn);
#   - full: every case of day 2 from one CSV into an empty folder, no database (the cheapest full run,
#     the peer of the headline ratio);
#   - full with the database: the same, with --db into a new database (the daily job's own options).
# Prints the wall times, the ratios, the step timings and the tile counts, and checks that both
# published the same map: every file byte for byte except the run's own rows (cases.geojson,
# rejects.csv) and report.json.
# Usage: bash scripts/bench_daily.sh   (DATA=/path/to/demo1m, ZOOM=max zoom, default 16, REPS=rounds, default 3)
set -euo pipefail
# RISKMAP_BIN=/path/to/riskmap measures that binary instead of building .build/release/riskmap;
# RISKMAP_BENCH_DATA=/dir holds the generated data and outputs instead of bench-data/ (both resolved here,
# before the cd, so relative paths mean the caller's folder).
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data}")
cd "$(dirname "$0")/.."
[ -n "$bin" ] || { swift build -c release >/dev/null; bin=$PWD/.build/release/riskmap; }
data=${DATA:-$bd/demo1m}
zoom=${ZOOM:-16}
work="$bd/daily"
mkdir -p "$work"
if [ ! -s "$data/cases.csv" ]; then python3 scripts/make_demo.py --cases 1000000 --out "$data"; fi
[ -s "$work/export.csv" ] || python3 scripts/make_day2.py "$data/cases.csv" "$work/day2.csv" --day 2026-11-23 --export "$work/export.csv"
rm -rf "$work/daily" "$work/full" "$work/full-db" "$work/day1" "$work"/*.db "$work"/*.db-wal "$work"/*.db-shm "$work"/*.db.lock
common=(--boundaries "$data" --min-zoom 10 --max-zoom "$zoom")
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "== day 1 (full, --db, --keep 3)"
seconds "$bin" run "${common[@]}" --cases "$data/cases.csv" --as-of 2026-11-22 --out "$work/daily" --keep 3 --db "$work/cases.db"
# Day 1's database and output, restored before each day-2 run: the two kinds of run alternate, REPS
# times (default 3), and the medians are compared, so that a busy moment does not favour either.
rm -rf "$work/day1" && mkdir -p "$work/day1" && cp -a "$work/daily" "$work"/cases.db* "$work/day1/"
reps=${REPS:-3}
incs=() fulls=()
echo "== day 2: $(($(wc -l < "$work/export.csv") - 1)) rows exported; full: $(($(wc -l < "$work/day2.csv") - 1)) rows; $reps rounds"
for r in $(seq "$reps"); do
  rm -rf "$work/daily" "$work"/cases.db* "$work/full"
  cp -a "$work/day1/daily" "$work/day1"/cases.db* "$work/"
  incs+=("$(seconds "$bin" run "${common[@]}" --cases "$work/export.csv" --as-of 2026-11-23 --out "$work/daily" --keep 3 --db "$work/cases.db")")
  fulls+=("$(seconds "$bin" run "${common[@]}" --cases "$work/day2.csv" --as-of 2026-11-23 --out "$work/full")")
  echo "round $r: incremental ${incs[-1]} s, full ${fulls[-1]} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
inc=$(median "${incs[@]}") full=$(median "${fulls[@]}")
echo "== day 2 full with --db into a new database"
fulldb=$(seconds "$bin" run "${common[@]}" --cases "$work/day2.csv" --as-of 2026-11-23 --out "$work/full-db" --db "$work/full.db")
python3 - "$work/daily/2026-11-23/report.json" "$work/full/report.json" <<PY
import json, sys
inc, full = (json.load(open(p)) for p in sys.argv[1:])
print("median of $reps: incremental %.2f s, full %.2f s: %.1f%% of a full run" % ($inc, $full, 100 * $inc / $full))
print("full run with --db into a new database: %.2f s: incremental is %.1f%% of it" % ($fulldb, 100 * $inc / $fulldb))
print("tile_updates:", json.dumps(inc["tile_updates"]))
print("database:", json.dumps(inc["database"]), "geocode cache:", json.dumps(inc["geocode"].get("cache")))
t, f = inc["timings_s"], full["timings_s"]
print("step            incremental   full")
for k in sorted(set(f) | set(t), key=lambda k: -max(f.get(k, 0), t.get(k, 0))):
    print("%-16s %9.2f %9.2f" % (k, t.get(k, 0), f.get(k, 0)))
assert inc["counted"] == full["counted"] and inc["levels"] == full["levels"], "counts differ"
PY
if diff -r -q -x report.json -x cases.geojson -x rejects.csv "$work/daily/2026-11-23" "$work/full" >/dev/null; then
  echo "same map published (report.json and the run's own rows aside)"
else
  echo "OUTPUTS DIFFER"; diff -r -q -x report.json -x cases.geojson -x rejects.csv "$work/daily/2026-11-23" "$work/full" | head; exit 1
fi
