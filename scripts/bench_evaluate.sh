#!/usr/bin/env bash
# Benchmark of issue 15, item 5: `riskmap evaluate` over 90 days on a database of 1,000,000 cases
# (goal: under 30 s). The 1M-case demo district (bench-data/demo1m, made by scripts/make_demo.py) spans
# 93 days; 90 evaluated days need a 30-day window before them and a 30-day horizon after them (149
# days). So the database `riskmap run --db` builds from it is spread over 186 days (each case's day
# offset from the first doubled, odd rows one day later: some 5,400 cases a day) and topped up to
# 1,005,000 cases with copies of rows under new ids (the district's junk rows are never stored). Prints the command, its table, the wall time
# and peak memory (/usr/bin/time -v).
# Usage: bash scripts/bench_evaluate.sh   (RISKMAP_BIN=/path/to/riskmap, RISKMAP_BENCH_DATA=/dir, DATA=/path/to/demo1m)
set -euo pipefail
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data}")
cd "$(dirname "$0")/.."
[ -n "$bin" ] || { swift build -c release >/dev/null; bin=$PWD/.build/release/riskmap; }
data=${DATA:-$bd/demo1m}
db=$bd/evaluate1m.sqlite
mkdir -p "$bd"
if [ ! -s "$data/cases.csv" ]; then python3 scripts/make_demo.py --cases 1000000 --out "$data"; fi
if [ ! -s "$db" ]; then
  echo "== building $db (riskmap run --db, zoom 10 only, then 186 days of history)"
  "$bin" run --boundaries "$data" --cases "$data/cases.csv" --as-of 2026-11-22 --out "$bd/out-evaluate1m" \
    --min-zoom 10 --max-zoom 10 --db "$db.tmp" -q
  python3 - "$db.tmp" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
first = db.execute("SELECT min(day) FROM cases").fetchone()[0]
# The triggers keep the per-day counts (zone_days) in step with the new days.
db.execute("UPDATE cases SET day = ? + (day - ?) * 2 + (rowid % 2)", (first, first))
# Past a million: copies of spread-out rows under new ids.
short = max(0, 1_005_000 - db.execute("SELECT count(*) FROM cases").fetchone()[0])
db.execute("""INSERT INTO cases SELECT 'X' || id, day, time, category_id, address, address_key, lon, lat, street,
              community, post, method, confidence, channel, file, line FROM cases WHERE rowid % 50 = 7 LIMIT ?""", (short,))
db.execute("UPDATE runs SET as_of = (SELECT max(day) FROM cases)")
db.execute("DELETE FROM zone_days WHERE cases = 0")
db.commit()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
PY
  mv "$db.tmp" "$db"; rm -f "$db.tmp-wal" "$db.tmp-shm" "$db.tmp.lock"
fi
python3 - "$db" <<'PY'
import sqlite3, sys, datetime
n, a, b = sqlite3.connect(sys.argv[1]).execute("SELECT count(*), min(day), max(day) FROM cases").fetchone()
day = lambda d: datetime.date(1970, 1, 1) + datetime.timedelta(days=d)
print(f"cases stored: {n:,}, days {day(a)} … {day(b)}")
PY
cmd=("$bin" evaluate --db "$db" --from 2026-09-23 --to 2026-12-21)
echo "== ${cmd[*]}"
/usr/bin/time -v "${cmd[@]}" 2> "$bd/evaluate-time.txt"
grep -E "Elapsed|Maximum resident|User time|System time" "$bd/evaluate-time.txt"
