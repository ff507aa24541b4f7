#!/usr/bin/env bash
# Runs bench.sh, bench_tiles.sh and bench_daily.sh for two riskmap binaries, one after the other on the
# same data (RISKMAP_BENCH_DATA), so that a restructuring can show it is no slower (issue 13).
# Usage: bash scripts/bench_compare.sh BEFORE_BIN AFTER_BIN [DATA_DIR]   (logs in DATA_DIR/compare/)
set -euo pipefail
before=$(realpath "$1"); after=$(realpath "$2")
data=$(realpath -m "${3:-$(dirname "$0")/../bench-data}")
cd "$(dirname "$0")/.."
logs="$data/compare"; mkdir -p "$logs"
for bench in bench bench_tiles bench_daily; do
  for side in before after; do
    bin=$before; [ $side = after ] && bin=$after
    echo "== $bench ($side: $bin)"
    RISKMAP_BIN=$bin RISKMAP_BENCH_DATA=$data bash scripts/$bench.sh > "$logs/$bench-$side.log" 2>&1
    # The summary lines each script prints at its end.
    tail -n 12 "$logs/$bench-$side.log"
  done
done
