#!/usr/bin/env bash
# Installs what is missing, builds riskmap and runs the daily job on the bundled demo district into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release
.build/release/riskmap run --boundaries boundaries/demo --cases boundaries/demo/cases.csv \
  --as-of 2026-11-22 --out output "$@"
