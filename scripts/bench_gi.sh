#!/usr/bin/env bash
# Benchmark of issue 15's statistics, riskmap against PySAL on the same data in the same run:
#   queen weights of 100,172 grid cells (libpysal Queen.from_dataframe),
#   Gi* with the FDR classes on those cells, weights given (esda.G_Local + esda.fdr; goal < 1 s),
#   emerging hot spots for 52 weekly steps × 10,000 cells (esda per step + pymannkendall per cell; goal < 2 s).
# riskmap reports the best of 3 runs of each step (`riskmap bench --statistics`), PySAL the best of 3 for Gi*
# and one run of the slow steps. Both answers are compared (largest z difference, class disagreements).
# Usage: bash scripts/bench_gi.sh     (RISKMAP_BIN=/path/to/riskmap to time another build)
# Needs: pip install esda libpysal pymannkendall geopandas (scripts/install-deps.sh --bench).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${RISKMAP_BIN:-}" ]; then swift build -c release >/dev/null; fi
bin=${RISKMAP_BIN:-.build/release/riskmap}
data=${RISKMAP_BENCH_DATA:-bench-data}/gi
python3 scripts/bench_gi.py make "$data"
echo "== riskmap bench --statistics $data"
ours=$("$bin" bench --statistics "$data")
echo "$ours"
echo "== PySAL (libpysal Queen, esda.G_Local + esda.fdr, pymannkendall)"
theirs=$(python3 scripts/bench_gi.py pysal "$data")
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for key, label in (("queen_seconds", "queen weights, %d cells" % a["cells"]),
                   ("gi_fdr_seconds", "Gi* + FDR, %d cells" % a["cells"]),
                   ("emerging_seconds", "emerging, %d steps x %d cells" % (a["emerging_steps"], a["emerging_cells"]))):
    print(f"{label}: riskmap {a[key]:.3f} s, PySAL {b[key]:.3f} s, PySAL/riskmap {b[key] / a[key]:.1f}x")
print(f"same answers: links {a['links']} vs {b['links']}, max |z difference| {b['max_abs_z_difference']:.2e}, "
      f"class disagreements {b['class_disagreements']}, max |trend z difference| {b['max_abs_trend_z_difference']:.2e}")
PY
