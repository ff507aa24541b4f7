#!/usr/bin/env bash
# Load test of `riskmap serve` on loopback with wrk (Debian): 64 connections, 20 s, two wrk threads,
# against one tile and against /api/stats. Prints wrk's report and one summary line per target:
# requests/s, p99 latency, errors (socket errors + non-2xx). The demo district is run first if needed.
# usage: bash scripts/bench_serve.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
bash scripts/install-deps.sh --bench-serve
swift build -c release
out=bench-data/serve-output
if [ ! -f "$out/report.json" ]; then
  .build/release/riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out "$out"
fi
log=$(mktemp)
.build/release/riskmap serve --out "$out" --port 0 >"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q "serving" "$log" && break; sleep 0.1; done
url=$(sed -n 's/.* on \(http:[^ ]*\)/\1/p' "$log" | head -n1)
case "$url" in http://127.0.0.1:*) ;; *) echo "riskmap serve did not start: $(cat "$log")"; exit 1 ;; esac
# A tile from the middle of the district at zoom 14 (a real, non-empty tile).
tiles=$(cd "$out" && find tiles/community/14 -name '*.png' | sort)
tile=$(echo "$tiles" | sed -n "$(( $(echo "$tiles" | wc -l) / 2 + 1 ))p")

bench() {
  local name=$1 target=$2 report
  curl -sf -o /dev/null "$target" || { echo "$name: $target does not answer 200"; exit 1; }
  report=$(wrk -t2 -c64 -d"${seconds}s" --latency "$target")
  echo "$report"
  echo "$report" | awk -v name="$name" '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Socket errors/ { split($0, a, /[ ,]+/); for (i in a) if (a[i] ~ /^[0-9]+$/) err += a[i] }
    /Non-2xx/ { err += $NF }
    END { printf "SUMMARY %s: %s requests/s, p99 %s, errors %d\n", name, rps, p99, err }'
}
bench tile "$url$tile"
bench stats "${url}api/stats?level=community&sort=score&top=10"
