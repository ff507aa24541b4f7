#!/usr/bin/env bash
# Load test of `riskmap serve` on loopback with wrk (Debian): 64 connections, SECONDS (default 20) per
# target, two wrk threads. Targets: one tile; the same tile asking for gzip (PNG is never gzipped);
# /api/stats; /api/zones and cases.geojson asking for gzip (issue 14: compressed once, then from the
# cache); and the tile again with the access log on (to /dev/null; the other targets run with --quiet).
# Prints wrk's report and one summary line per target (requests/s, p99 latency, errors = socket errors
# + non-2xx), then the size on the wire of the demo's GeoJSON with and without gzip.
# The demo district is run first if needed.
# usage: bash scripts/bench_serve.sh [SECONDS] [BINARY]   (BINARY: another riskmap, e.g. main's; not built)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
bin=${2:-}
bash scripts/install-deps.sh --bench-serve
if [ -z "$bin" ]; then
  swift build -c release -j 2
  bin=.build/release/riskmap
fi
out=bench-data/serve-output
if [ ! -f "$out/report.json" ]; then
  "$bin" run --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out "$out"
fi
log=$(mktemp)
pid=
start() {  # start [serve options...]: the server on a free port, its URL in $url
  "$bin" serve --out "$out" --port 0 "$@" >"$log" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do grep -q "serving" "$log" && break; sleep 0.1; done
  url=$(sed -n 's/.* on \(http:[^ ]*\)/\1/p' "$log" | head -n1)
  case "$url" in http://127.0.0.1:*) ;; *) echo "riskmap serve did not start: $(cat "$log")"; exit 1 ;; esac
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; : >"$log"; }
trap 'stop; rm -f "$log"' EXIT
# A tile from the middle of the district at zoom 14 (a real, non-empty tile).
tiles=$(cd "$out" && find tiles/community/14 -name '*.png' | sort)
tile=$(echo "$tiles" | sed -n "$(( $(echo "$tiles" | wc -l) / 2 + 1 ))p")

bench() {  # bench NAME URL [HEADER]
  local name=$1 target=$2 header=${3:-} report
  local args=()
  [ -n "$header" ] && args=(-H "$header")
  curl -sf -o /dev/null "${args[@]}" "$target" || { echo "$name: $target does not answer 200"; exit 1; }
  report=$(wrk -t2 -c64 -d"${seconds}s" --latency "${args[@]}" "$target")
  echo "$report"
  echo "$report" | awk -v name="$name" '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Socket errors/ { split($0, a, /[ ,]+/); for (i in a) if (a[i] ~ /^[0-9]+$/) err += a[i] }
    /Non-2xx/ { err += $NF }
    END { printf "SUMMARY %s: %s requests/s, p99 %s, errors %d\n", name, rps, p99, err }'
}
start --quiet
bench tile "$url$tile"
bench tile-gzip "$url$tile" "Accept-Encoding: gzip"
bench stats "${url}api/stats?level=community&sort=score&top=10"
bench zones-gzip "${url}api/zones?level=community" "Accept-Encoding: gzip"
bench cases-gzip "${url}cases.geojson" "Accept-Encoding: gzip"
for f in cases.geojson streets.geojson communities.geojson posts.geojson "api/zones?level=post"; do
  plain=$(curl -sf -o /dev/null -w '%{size_download}' "$url$f")
  zipped=$(curl -sf -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$url$f")
  echo "WIRE $f: $plain bytes, with Accept-Encoding: gzip $zipped bytes"
done
stop
start
bench tile-access-log "$url$tile"
