#!/usr/bin/env bash
# Installs what is missing (system libraries and the Python oracles) and runs every test. The debug
# build is installed into .build/test-install, so that the end-to-end tests run the installed program.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
swift build
bash scripts/install.sh --debug --no-build --prefix .build/test-install >/dev/null
swift test
