#!/usr/bin/env bash
# Benchmark of issue 5: `riskmap stats` over a database of 1,000,000 cases, filtered by one category
# and a 30-day range (goal: under 1 s). Builds the database once with `riskmap run --db` on the
# 1M-case demo district (bench-data/demo1m, made by scripts/make_demo.py), then times five stats runs.
# The district's 1,000,000 rows locate about 882,000 cases (the rest are its deliberate junk rows), so
# 130,000 rows with coordinates are added again under new ids to bring the database past 1,000,000.
# Usage: bash scripts/bench_stats.sh            (DATA=/path/to/demo1m to use another copy of the district)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=.build/release/riskmap
data=${DATA:-bench-data/demo1m}
db=bench-data/stats1m.sqlite
mkdir -p bench-data
if [ ! -s "$data/cases.csv" ]; then
  python3 scripts/make_demo.py --cases 1000000 --out "$data"
fi
if [ ! -s "$db" ]; then
  echo "== building $db (riskmap run --db, zoom 10 only)"
  python3 - "$data/cases.csv" bench-data/topup.csv <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f, open(sys.argv[2], "w", encoding="utf-8", newline="") as g:
    rows, out = csv.reader(f), csv.writer(g)
    out.writerow(next(rows))
    n = 0
    for row in rows:
        if n < 130_000 and len(row) == 8 and row[4] and row[5] and row[1][:4].isdigit():
            out.writerow(["B" + row[0]] + row[1:]); n += 1
PY
  /usr/bin/time -f "run --db: %e s wall, %M KB peak" "$bin" run --boundaries "$data" --cases "$data/cases.csv" --cases bench-data/topup.csv \
    --as-of 2026-11-22 --out bench-data/out-stats1m --min-zoom 10 --max-zoom 10 --db "$db" | tail -1
fi
echo "cases stored: $(sqlite3 "$db" 'SELECT count(*) FROM cases' 2>/dev/null || echo '?')"
cmd=("$bin" stats --db "$db" --level community --category 噪声 --since 2026-10-24 --until 2026-11-22 --sort score --top 20)
echo "== ${cmd[*]}"
"${cmd[@]}" | head -5
times=()
for _ in 1 2 3 4 5; do
  s=$(date +%s.%N); "${cmd[@]}" >/dev/null; e=$(date +%s.%N)
  times+=("$(echo "$e - $s" | bc)")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "stats, 1M cases, category + 30 days: median %.3f s, best %.3f s (5 runs)\n", a[3], a[1]}'
