#!/usr/bin/env bash
# `riskmap run` on the demo (zooms 10–17) against the I/O floor, all measured in one run (issue 16):
#   - riskmap with folder output (one PNG per tile) and with archive output (--tiles pmtiles), best of 5
#     fresh runs each, wall time;
#   - the floor: the time this machine needs just to create the folder run's files — the same paths, the
#     same number of files of the same sizes, written with open/write/close by a small Python program —
#     and to make them durable: fsync of every file and folder, eight at a time, after all are written,
#     best of 5. riskmap makes the same files durable with the same fsyncs (every file, then every
#     folder) before it publishes, except that the tiles of one flat colour, hard links to one file, are
#     flushed once, and its streamed documents and archives while the run goes on (Output/Durability.swift,
#     DurabilityQueue). Flushing the tile files while the next ones draw was tried and made the folder
#     run slower on a quiet machine (fsyncs contend with the creation of the next files).
# Goals: folder output within 1.3× of the floor; archive output under 3 s.
# Usage: bash scripts/bench_run_floor.sh   (RISKMAP_BIN=/path picks the binary; RUNS=N the repetitions)
set -euo pipefail
bin=${RISKMAP_BIN:+$(realpath "$RISKMAP_BIN")}
bd=$(realpath -m "${RISKMAP_BENCH_DATA:-$(dirname "$0")/../bench-data}")/run-floor
runs=${RUNS:-5}
cd "$(dirname "$0")/.."
[ -n "$bin" ] || { swift build -c release >/dev/null; bin=$PWD/.build/release/riskmap; }
mkdir -p "$bd"

wall() {  # wall seconds of a command
  python3 -c 'import subprocess, sys, time; t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True); print(f"{time.perf_counter() - t:.3f}")' "$@"
}
best() { python3 -c 'import sys; print(min(map(float, sys.argv[1:])))' "$@"; }

folder=(); archive=(); floor=(); create=()
for i in $(seq "$runs"); do
  rm -rf "$bd/folder" "$bd/archive"
  folder+=("$(wall "$bin" run -q --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out "$bd/folder")")
  archive+=("$(wall "$bin" run -q --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out "$bd/archive" --tiles pmtiles)")
  rm -rf "$bd/floor"
  read -r c f < <(python3 - "$bd/folder" "$bd/floor" <<'PY'
import os, sys, time
from concurrent.futures import ThreadPoolExecutor
src, dst = sys.argv[1:3]
files, dirs = [], []
for d, ds, fs in os.walk(src):
    rel = os.path.relpath(d, src)
    dirs.append(rel)
    for f in fs:
        files.append((os.path.join(rel, f), os.lstat(os.path.join(d, f)).st_size))
payload = os.urandom(max([s for _, s in files] + [1]))
t0 = time.perf_counter()
made = set()
for rel, size in files:
    parent = os.path.dirname(os.path.join(dst, rel))
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    fd = os.open(os.path.join(dst, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, payload[:size])
    os.close(fd)
t1 = time.perf_counter()
def sync(path):
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
with ThreadPoolExecutor(8) as pool:
    list(pool.map(sync, [os.path.join(dst, rel) for rel, _ in files]))
    list(pool.map(sync, [os.path.join(dst, d) for d in reversed(sorted(dirs))]))
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t0:.3f}")
PY
)
  create+=("$c"); floor+=("$f")
done
files=$(find "$bd/folder" -type f | wc -l)
tiles=$(find "$bd/folder/tiles" -name '*.png' | wc -l)
bf=$(best "${folder[@]}"); ba=$(best "${archive[@]}"); bfl=$(best "${floor[@]}"); bc=$(best "${create[@]}")
echo "demo, zooms 10-17: $files files ($tiles tiles), best of $runs"
echo "riskmap run, folder output:        $bf s  (runs: ${folder[*]})"
echo "riskmap run, --tiles pmtiles:      $ba s  (runs: ${archive[*]})  goal < 3 s"
echo "floor, create the files:           $bc s"
echo "floor, create + fsync as riskmap:  $bfl s  (runs: ${floor[*]})"
python3 -c "print(f'folder run / floor (create + fsync): {float(\"$bf\") / float(\"$bfl\"):.2f}x  goal <= 1.3x')"
