#!/usr/bin/env bash
# Runs bench.sh, bench_tiles.sh and bench_daily.sh for two riskmap binaries on the same data
# (RISKMAP_BENCH_DATA), alternating before/after ROUNDS times (default 2), so that a restructuring can
# show it is no slower (issue 13) with both sides measured under the same load.
# Usage: bash scripts/bench_compare.sh BEFORE_BIN AFTER_BIN [DATA_DIR]
#        (BENCHES="bench bench_tiles bench_daily" by default; logs in DATA_DIR/compare/)
set -euo pipefail
before=$(realpath "$1"); after=$(realpath "$2")
data=$(realpath -m "${3:-$(dirname "$0")/../bench-data}")
cd "$(dirname "$0")/.."
logs="$data/compare"; mkdir -p "$logs"
for bench in ${BENCHES:-bench bench_tiles bench_daily}; do
  for round in $(seq 1 "${ROUNDS:-2}"); do
    for side in before after; do
      bin=$before; [ $side = after ] && bin=$after
      log="$logs/$bench-$side-$round.log"
      echo "== $bench, round $round, $side: $bin"
      RISKMAP_BIN=$bin RISKMAP_BENCH_DATA=$data bash scripts/$bench.sh > "$log" 2>&1
      # The figures each script prints.
      grep -E "wall|points/s|tiles/s|median|incremental is|x faster|-> riskmap" "$log" || tail -n 5 "$log"
    done
  done
done
