#!/usr/bin/env bash
# Proves that two riskmap binaries behave the same (issue 13: a restructuring that must not change
# behaviour). Both binaries run on the same inputs, each from its own fresh temporary folder (absolute
# input paths, the working directory the temporary folder, as a newcomer runs it), and every file they
# write is compared byte for byte by scripts/compare_outputs.py (which says what it normalises: the
# times in report.json, the temporary folder's path, lock files, SQLite files compared as rows).
#
# Cases: the demo (zooms 10-17); the NYC district; a daily --db pair (day 1, then day 2's export from
# scripts/make_day2.py) with `stats --db`; options (GB18030, --cases-crs, --window, --tile-size 512,
# archives); a run in two shards merged (with --mbtiles/--pmtiles); the query commands (stats, locate,
# check) on the demo output; with --big the 1,000,000-case district
# (bench_tiles.sh's run: every case in the window, zooms 10-17; generated once into
# $RISKMAP_BENCH_DATA/demo1m, default /work/bench-data/demo1m).
#
# Usage: bash scripts/check_identical.sh BEFORE_BIN AFTER_BIN [--big]
#        bash scripts/check_identical.sh --self-test BIN   (must see the differences it is shown)
# Prints one line per case and the number of files compared; exits 1 when anything differs (the
# temporary folder is then kept for a look), 2 on a bad command line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
demo=$repo/boundaries/demo nyc=$repo/boundaries/nyc
data=${RISKMAP_BENCH_DATA:-/work/bench-data}
usage() { echo "usage: $0 BEFORE_BIN AFTER_BIN [--big] | --self-test BIN" >&2; exit 2; }

mode=compare big=0
case "${1:-}" in
  --self-test) [ $# -eq 2 ] || usage; mode=self; before=$2 after=$2 ;;
  ""|-*) usage ;;
  *) [ $# -ge 2 ] || usage; before=$1 after=$2; shift 2
     for a in "$@"; do [ "$a" = --big ] && big=1 || usage; done ;;
esac
for b in "$before" "$after"; do [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }; done
before=$(realpath "$before") after=$(realpath "$after")

work=$(mktemp -d "${TMPDIR:-/tmp}/check-identical.XXXXXX")
work=$(cd "$work" && pwd -P)
mkdir -p "$work/data"
# A machine others share: low priority (nothing here is timed).
nice_run() { nice -n 10 "$@"; }

# --- the cases: CASE BIN, run in a fresh folder (the working directory) --------------------------

case_demo() {
  nice_run "$1" run --boundaries "$demo" --cases "$demo/cases.csv" --as-of "${AS_OF:-2026-11-22}" --out out -q
}

case_nyc() {
  # As Tests/JobsTests/OtherDistrictTests.swift runs it (the files carry their CRS), to zoom 13.
  nice_run "$1" run --boundaries "$nyc" --cases "$nyc/cases.csv" --as-of 2026-11-22 \
    --min-zoom 10 --max-zoom 13 --out out -q
}

# Day 1 in full into a new database, then day 2's export on top of it, as bench_daily.sh does (zooms
# 10-15 to keep it short); the database's queries after day 2.
case_daily() {
  local common=(--boundaries "$demo" --min-zoom 10 --max-zoom 15 --keep 3 --db cases.db --out out -q)
  nice_run "$1" run "${common[@]}" --cases "$demo/cases.csv" --as-of 2026-11-22
  nice_run "$1" run "${common[@]}" --cases "$work/data/export.csv" --as-of 2026-11-23
  mkdir -p queries
  query "$1" stats-db-community stats --db cases.db --format json --level community
  query "$1" stats-db-hotspots stats --db cases.db --hotspots --format json
}

# Options the other cases leave at their defaults: two cases files (one GB18030), --cases-crs, a
# shorter window, 512-pixel tiles, the archives.
case_options() {
  nice_run "$1" run --boundaries "$demo" --cases "$demo/cases.csv" --cases "$demo/cases-gb18030.csv" \
    --cases-crs gcj02 --as-of 2026-11-22 --window 7 --tile-size 512 --min-zoom 10 --max-zoom 13 \
    --mbtiles risk.mbtiles --pmtiles risk.pmtiles --out out -q
}

case_shards() {
  local common=(--boundaries "$demo" --cases "$demo/cases.csv" --as-of 2026-11-22 --min-zoom 10 --max-zoom 15 -q)
  nice_run "$1" run "${common[@]}" --shard 1/2 --out shard1
  nice_run "$1" run "${common[@]}" --shard 2/2 --out shard2
  nice_run "$1" merge --out merged --mbtiles merged.mbtiles --pmtiles merged.pmtiles -q shard1 shard2
}

# The query commands on the demo case's output (copied: the queries must not write into it).
case_queries() {
  cp -a "../demo/out" out
  mkdir -p queries
  query "$1" stats-community stats --out out --format json --level community
  query "$1" stats-post-csv stats --out out --format csv --level post
  query "$1" stats-hotspots stats --out out --hotspots --format json
  query "$1" explain stats --out out --explain FT05-09
  query "$1" explain-unknown stats --out out --explain NO-SUCH-ZONE
  query "$1" locate-address locate --out out --json '福田区彩田路3009号'
  query "$1" locate-point locate --out out --at 114.0551,22.5412 --json
  local addresses; mapfile -t addresses < "$work/data/addresses.txt"
  query "$1" locate-addresses locate --out out --json "${addresses[@]}"
  query "$1" check check --boundaries "$demo"
  query "$1" check-json check --boundaries "$demo" --json
}

case_big() {
  nice_run "$1" run --boundaries "$demo" --cases "$data/demo1m/cases.csv" --as-of 2026-11-25 --window 100 --out out -q
}

# query BIN NAME ARGS...: standard output, standard error and exit status into queries/NAME.*, with
# the temporary folder's path (error messages name the output folder) replaced by <FOLDER>.
query() {
  local bin=$1 name=$2; shift 2
  local rc=0
  nice_run "$bin" "$@" > "queries/$name.out" 2> "queries/$name.err" || rc=$?
  echo "$rc" > "queries/$name.rc"
  sed -i "s|$PWD|<FOLDER>|g" "queries/$name.out" "queries/$name.err"
}

# run_case SIDE CASE BIN: the case in $work/SIDE/CASE; a failing command fails the script loudly.
run_case() {
  mkdir -p "$work/$1/$2"
  (cd "$work/$1/$2" && "case_$2" "$3") || { echo "$2: the $1 binary failed (see $work/$1/$2)" >&2; exit 1; }
}

status=0
compare() {  # compare LABEL DIR_A DIR_B
  python3 "$repo/scripts/compare_outputs.py" "$1" "$2" "$3" --count-file "$work/counts" || status=1
}

prepare_data() {
  python3 "$repo/scripts/make_day2.py" "$demo/cases.csv" "$work/data/day2.csv" --day 2026-11-23 \
    --export "$work/data/export.csv"
  # 300 distinct addresses of the demo's cases (the geocoder's parsing, matching and runners-up).
  python3 - "$demo/cases.csv" > "$work/data/addresses.txt" <<'PY'
import csv, sys
rows = csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))
next(rows)
found = sorted({r[3] for r in rows if len(r) > 3 and r[3].strip() and "\n" not in r[3]})
print("\n".join(found[::max(1, len(found) // 300)][:300]))  # spread over the sorted list
PY
  if [ "$big" = 1 ] && [ ! -s "$data/demo1m/cases.csv" ]; then
    echo "generating $data/demo1m (once)"
    nice -n 19 python3 "$repo/scripts/make_demo.py" --cases 1000000 --out "$data/demo1m"
  fi
}

# --- the self-test: differences it must see, and normalisations it must forgive --------------------

self_test() {
  local bin=$before fails=0
  expect() {  # expect identical|DIFFERENT LABEL A B
    local want=$1 got=identical; shift
    python3 "$repo/scripts/compare_outputs.py" "$@" > "$work/line" || got=DIFFERENT
    sed 's/^/  /' "$work/line"
    [ "$got" = "$want" ] && echo "  ok: expected $want" || { echo "  FAILED: expected $want"; fails=1; }
  }
  run_case a demo "$bin"
  local a=$work/a/demo/out tile
  tile=$(find "$a/tiles/heat" -name '*.png' | sort | head -1)
  cp -a "$a" "$work/tile" && printf '\xff' | dd of="$work/tile/${tile#"$a"/}" bs=1 seek=100 conv=notrunc status=none
  expect DIFFERENT "one heat tile byte changed" "$a" "$work/tile"
  cp -a "$a" "$work/state" && printf 'x' | dd of="$work/state/.riskmap-tiles.state" bs=1 seek=1000 conv=notrunc status=none
  expect DIFFERENT "one byte of the hidden tile state changed" "$a" "$work/state"
  cp -a "$a" "$work/times" && python3 - "$work/times/report.json" <<'PY'
import re, sys
p = sys.argv[1]; t = open(p).read()
t, n1 = re.subn(r'"generated_at" : "[^"]*"', '"generated_at" : "1999-01-01T00:00:00Z"', t)
t, n2 = re.subn(r'("total" : )[0-9.]+', r'\g<1>999.5', t)
assert n1 == n2 == 1, "report.json's layout changed: the self-test no longer edits it"
open(p, "w").write(t)
PY
  expect identical "report.json with other timings and generated_at" "$a" "$work/times"
  cp -a "$a" "$work/count" && sed -i 's/"counted" : [0-9]*/"counted" : 1/' "$work/count/report.json"
  expect DIFFERENT "report.json with another count" "$a" "$work/count"
  AS_OF=2026-11-21 run_case b demo "$bin"
  expect DIFFERENT "the same binary with --as-of 2026-11-21" "$a" "$work/b/demo/out"
  return $fails
}

if [ "$mode" = self ]; then
  echo "self-test of $before in $work"
  if self_test; then echo "self-test passed"; rm -rf "$work"; exit 0; fi
  echo "self-test FAILED (kept $work)"; exit 1
fi

# --- before against after ---------------------------------------------------------------------------

prepare_data
cases=(demo nyc daily options shards queries)
[ "$big" = 1 ] && cases+=(big)
echo "before: $before"
echo "after:  $after"
for c in "${cases[@]}"; do
  run_case before "$c" "$before"
  run_case after "$c" "$after"
  compare "$c" "$work/before/$c" "$work/after/$c"
  # The 1M case's folders are large: gone as soon as they are compared (kept when they differ).
  [ "$c" = big ] && [ "$status" = 0 ] && rm -rf "$work/before/big" "$work/after/big"
done
echo "files compared: $(awk '{n += $1} END {print n}' "$work/counts")"
if [ "$status" = 0 ]; then rm -rf "$work"; echo "all identical"; else echo "DIFFERENCES found (kept $work)"; fi
exit "$status"
