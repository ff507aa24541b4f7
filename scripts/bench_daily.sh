#!/usr/bin/env bash
# Benchmark of issue 7: a day-2 incremental run against a full run on the 1,000,000-case district.
# Day 1: the district's cases.csv, as of 2026-11-22, published with --keep. Day 2: the same export
# plus 1% new and 0.5% updated cases (scripts/make_day2.py), as of 2026-11-23, run twice: on top of
# day 1 (incremental: only tiles near changed cases or of zones whose colour changed are drawn) and
# into an empty folder (full). Prints both wall times, the ratio and the tile counts; the two outputs
# are compared file by file (report.json aside).
# Usage: bash scripts/bench_daily.sh   (DATA=/path/to/demo1m, ZOOM=max zoom, default 16)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=$PWD/.build/release/riskmap
data=${DATA:-bench-data/demo1m}
zoom=${ZOOM:-16}
work=bench-data/daily
mkdir -p "$work"
if [ ! -s "$data/cases.csv" ]; then python3 scripts/make_demo.py --cases 1000000 --out "$data"; fi
[ -s "$work/day2.csv" ] || python3 scripts/make_day2.py "$data/cases.csv" "$work/day2.csv" --day 2026-11-23
rm -rf "$work/daily" "$work/full"
common=(--boundaries "$data" --min-zoom 10 --max-zoom "$zoom")
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "== day 1 (full, --keep 3)"
seconds "$bin" run "${common[@]}" --cases "$data/cases.csv" --as-of 2026-11-22 --out "$work/daily" --keep 3
echo "== day 2 incremental"
inc=$(seconds "$bin" run "${common[@]}" --cases "$work/day2.csv" --as-of 2026-11-23 --out "$work/daily" --keep 3)
echo "== day 2 full"
full=$(seconds "$bin" run "${common[@]}" --cases "$work/day2.csv" --as-of 2026-11-23 --out "$work/full")
python3 - "$work/daily/2026-11-23/report.json" "$work/full/report.json" <<PY
import json, sys
inc, full = (json.load(open(p)) for p in sys.argv[1:])
print("incremental %.1f s, full %.1f s: %.0f%% of a full run" % ($inc, $full, 100 * $inc / $full))
print("tile_updates:", json.dumps(inc["tile_updates"]))
t, f = inc["timings_s"], full["timings_s"]
print("step            incremental   full")
for k in sorted(f, key=lambda k: -f[k]):
    print("%-16s %9.2f %9.2f" % (k, t.get(k, 0), f[k]))
PY
if diff -r -q -x report.json "$work/daily/2026-11-23" "$work/full" >/dev/null; then
  echo "outputs identical (report.json aside)"
else
  echo "OUTPUTS DIFFER"; diff -r -q -x report.json "$work/daily/2026-11-23" "$work/full" | head; exit 1
fi
