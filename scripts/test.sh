#!/usr/bin/env bash
# Installs what is missing (system libraries and the Python oracles) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
swift build
swift test
