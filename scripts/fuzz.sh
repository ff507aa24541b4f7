#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of riskmap's readers of untrusted input.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# SECONDS per target (default 600, the documented long run); TARGETs among csv boundary address style
# server (default: all). Seeds come from Fuzz/corpus/TARGET (committed); new inputs go to
# .build-fuzz/corpus/TARGET, crashes to .build-fuzz/artifacts/. Exit 1 when any target found a crash.
# Reproduce one: RISKMAP_FUZZ_TARGET=csv .build-fuzz/debug/riskmap-fuzz .build-fuzz/artifacts/csv-crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv boundary address style server)

# A separate build folder and RISKMAP_FUZZ=1 (see Package.swift): the ordinary build never sees it.
RISKMAP_FUZZ=1 swift build --scratch-path .build-fuzz --product riskmap-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary=.build-fuzz/debug/riskmap-fuzz
mkdir -p .build-fuzz/artifacts

status=0
printf '%-10s %12s %14s %8s\n' target 'execs/s' 'executions' crashes
for t in "${targets[@]}"; do
    mkdir -p ".build-fuzz/corpus/$t"
    log=".build-fuzz/$t.log"
    # -timeout: one input taking 10 s is a stall, reported like a crash; -rss_limit_mb: so is 4 GB.
    # No leak checks (per input or at exit): small leaks in Foundation and TOMLKit (its string
    # accessor strdup()s) are not crashes.
    if ! ASAN_OPTIONS=detect_leaks=0 RISKMAP_FUZZ_TARGET="$t" "$binary" ".build-fuzz/corpus/$t" "Fuzz/corpus/$t" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -detect_leaks=0 \
        -artifact_prefix=".build-fuzz/artifacts/$t-" -print_final_stats=1 > "$log" 2>&1; then
        status=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    crashes=$(grep -c '^artifact_prefix=' "$log" || true)
    printf '%-10s %12s %14s %8s\n' "$t" "${rate:-?}" "${execs:-?}" "$crashes"
    [ "$crashes" = 0 ] || grep -A3 '^==.*ERROR\|Fatal error\|deadly signal' "$log" | head -20
done
exit $status
