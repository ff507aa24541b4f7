#!/bin/bash
# Checks that two riskmap binaries write the same bytes on the demo district (scripts/check_identical.sh
# covers more inputs; this one also every answer of `serve`, and zone files of older runs): every file of a plain
# run, of two --db runs (the second with --keep), of two --shard runs and their merge (with archives),
# and every answer of stats, locate, check and serve over the plain run's folder. report.json may
# differ only in generated_at, timings_s, the geocoder's seconds and the database path (lock files, which
# hold a process id, and the SQLite database itself are not compared).
#
#   bash scripts/check_identical_answers.sh BASELINE_BINARY [NEW_BINARY]   (NEW: .build/release/riskmap)
# Exit 0 when everything is the same; the differences are printed otherwise.
set -u
cd "$(dirname "$0")/.."
A=$(realpath "$1"); B=$(realpath "${2:-.build/release/riskmap}")
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
demo=(--boundaries boundaries/demo --cases boundaries/demo/cases.csv)

for side in a b; do
  bin=$A; [ $side = b ] && bin=$B; d=$W/$side; mkdir -p $d
  $bin run "${demo[@]}" --as-of 2026-11-22 --out $d/out -q || exit 1
  $bin run "${demo[@]}" --as-of 2026-11-22 --out $d/db --db $d/cases.db --mbtiles $d/db.mbtiles --pmtiles $d/db.pmtiles -q || exit 1
  $bin run "${demo[@]}" --as-of 2026-11-23 --out $d/db --db $d/cases.db --keep 3 -q || exit 1
  for k in 1 2; do $bin run "${demo[@]}" --as-of 2026-11-22 --out $d/shard$k --shard $k/2 -q || exit 1; done
  $bin merge $d/shard1 $d/shard2 --out $d/merged --mbtiles $d/merged.mbtiles --pmtiles $d/merged.pmtiles -q || exit 1
  # Answers over the plain run's folder (the same folder for both binaries), and over a copy whose zone
  # files lack the members later versions added (as files of older runs do).
  out=$W/a/out; old=$W/old; mkdir -p $d/answers; i=0
  [ -d $old ] || { cp -r $out $old && python3 - $old <<'PY'
import re, sys
for name in ['streets', 'communities', 'posts']:
    path = f'{sys.argv[1]}/{name}.geojson'
    s = open(path).read()
    s = re.sub(r',"(density|previous_cases|trend)":[^,]*', '', s)
    s = re.sub(r',"reason":"[^"]*"', '', s)
    s = re.sub(r',"score_by_category":\{[^}]*\}', '', s)
    open(path, 'w').write(s)
PY
  }
  ask() { i=$((i+1)); "$bin" "$@" > $d/answers/$i.txt 2>&1; echo "exit $? :: ${*//$W/}" >> $d/answers/$i.txt; }
  for level in street community post; do
    ask stats --out $old --level $level --format json --sort trend
    ask stats --out $old --level $level --format csv --sort density
  done
  for level in street community post; do
    for format in json csv table; do ask stats --out $out --level $level --format $format; done
    ask stats --out $out --level $level --format json --sort trend --top 5
    ask stats --out $out --level $level --format json --sort density
  done
  ask stats --out $out --level post --format json --parent FT01-01
  for format in json csv table; do ask stats --out $out --hotspots --format $format; done
  ask stats --out $out --explain FT01-01
  ask locate --out $out --json '福田区彩田路3009号' '莲花街道' '不存在的地址xyz'
  ask locate --out $out '福田区彩田路3009号'
  ask locate --at 114.0551,22.5412 --json --out $out
  ask locate --at 0,0 --json --boundaries boundaries/demo
  ask check --boundaries boundaries/demo --json
  # serve: the same requests to each binary's server over the same folder.
  port=$((20000 + RANDOM % 20000)); $bin serve --out $out --port $port -q > /dev/null 2>&1 & pid=$!
  $bin serve --out $old --port $((port + 1)) -q > /dev/null 2>&1 & pid_old=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$((port + 1))/healthz" && break; sleep 0.2; done
  for u in /api/zones '/api/zones?level=post&sort=trend' /api/stats '/api/stats?level=post&format=csv' '/api/stats?level=street&sort=density'; do
    i=$((i+1)); curl -s -i "http://127.0.0.1:$((port + 1))$u" | grep -iv '^date:' > $d/answers/$i.txt
  done
  kill $pid_old
  for u in /healthz /tiles.json /legend.json /api/zones '/api/zones?level=post&sort=density&top=3' \
           '/api/zones?level=community&parent=FT01' /api/stats '/api/stats?format=csv' '/api/stats?level=post&format=csv&sort=trend' \
           '/api/stats?parent=FT99' '/api/stats?category=x' '/api/locate?q=114.0551,22.5412' \
           '/api/locate?q=%E7%A6%8F%E7%94%B0%E5%8C%BA%E5%BD%A9%E7%94%B0%E8%B7%AF3009%E5%8F%B7' /api/nothing; do
    i=$((i+1)); curl -s -i "http://127.0.0.1:$port$u" | grep -iv '^date:' > $d/answers/$i.txt
  done
  kill $pid
done

python3 - "$W" <<'EOF'
import os, re, sys
w = sys.argv[1]
def norm(path, side):
    data = open(path, 'rb').read()
    if path.endswith('report.json'):
        s = data.decode()
        s = re.sub(r'  "generated_at" : "[^"]*",\n', '', s)
        s = re.sub(r'  "timings_s" : \{[^}]*\},\n', '', s)
        s = re.sub(r'"seconds" : [0-9.e-]+', '"seconds" : X', s)
        s = s.replace(os.path.join(w, side), 'W')
        return s.encode()
    return data
bad = n = 0
for root, _, files in os.walk(os.path.join(w, 'a')):
    for f in files:
        pa = os.path.join(root, f)
        rel = os.path.relpath(pa, os.path.join(w, 'a'))
        pb = os.path.join(w, 'b', rel)
        if os.path.islink(pa) or rel.endswith(('.lock', '.riskmap-lock', '.db', '.db-wal', '.db-shm')): continue
        n += 1
        if not os.path.exists(pb): print('only in the baseline:', rel); bad += 1
        elif norm(pa, 'a') != norm(pb, 'b'): print('differs:', rel); bad += 1
for root, _, files in os.walk(os.path.join(w, 'b')):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f), os.path.join(w, 'b'))
        if not os.path.lexists(os.path.join(w, 'a', rel)): print('only in the new output:', rel); bad += 1
print(f'{n} files and answers compared, {bad} differ')
sys.exit(1 if bad else 0)
EOF
