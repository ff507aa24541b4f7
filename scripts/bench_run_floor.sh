#!/usr/bin/env bash
# `riskmap run` on the demo (zooms 10–17) against the I/O floor, all measured in one run (issue 16):
#   - riskmap with folder output (one PNG per tile) and with archive output (--tiles pmtiles), best of 5
#     fresh runs each, wall time;
#   - the floor: the time this machine needs just to create the folder run's files — the same paths, the
#     same number of files of the same sizes, written with open/write/close by a small Python program —
#     and to make them durable, best of 5, two ways: fsync of every file and folder, eight at a time,
#     after all are written; or one syncfs(2) of the file system. The floor is the faster of the two.
#     riskmap makes a tree of over 256 files durable with one syncfs before it publishes (fewer: an
#     fsync each), its streamed documents and archives while the run goes on (Output/Durability.swift).
#   - the folder output's own cost: folder run − archive run, against the floor.
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

folder=(); archive=(); floor=(); create=(); floorfs=()
# Every timed command writes into a folder of its own, and all are removed only at the end: on a file
# system without a journal (this machine's ext4), creating files just after thousands were deleted
# costs seconds (the kernel skips inodes freed in the last minute, reading their blocks), which no
# daily run meets. And each starts with nothing dirty on the disk (sync), so that what the previous
# one wrote is not flushed on its time (a syncfs would wait for it).
rm -rf "$bd"/{folder,archive,floor}*; sync
for i in $(seq "$runs"); do
  sync
  folder+=("$(wall "$bin" run -q --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out "$bd/folder-$i")")
  sync
  archive+=("$(wall "$bin" run -q --boundaries boundaries/demo --cases boundaries/demo/cases.csv --as-of 2026-11-22 --out "$bd/archive-$i" --tiles pmtiles)")
  for how in fsync syncfs; do
  sync
  read -r c f < <(python3 - "$bd/folder-1" "$bd/floor-$how-$i" "$how" <<'PY'
import ctypes, os, sys, time
from concurrent.futures import ThreadPoolExecutor
src, dst, how = sys.argv[1:4]
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
if how == "fsync":
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(sync, [os.path.join(dst, rel) for rel, _ in files]))
        list(pool.map(sync, [os.path.join(dst, d) for d in reversed(sorted(dirs))]))
else:
    fd = os.open(dst, os.O_RDONLY)
    assert ctypes.CDLL(None, use_errno=True).syncfs(fd) == 0
    os.close(fd)
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t0:.3f}")
PY
)
  create+=("$c")
  if [ "$how" = fsync ]; then floor+=("$f"); else floorfs+=("$f"); fi
  done
done
files=$(find "$bd/folder-1" -type f | wc -l)
tiles=$(find "$bd/folder-1/tiles" -name '*.png' | wc -l)
rm -rf "$bd"/{archive,floor}*
bf=$(best "${folder[@]}"); ba=$(best "${archive[@]}"); bfl=$(best "${floor[@]}"); bfs=$(best "${floorfs[@]}"); bc=$(best "${create[@]}")
echo "demo, zooms 10-17: $files files ($tiles tiles), best of $runs"
echo "riskmap run, folder output:        $bf s  (runs: ${folder[*]})"
echo "riskmap run, --tiles pmtiles:      $ba s  (runs: ${archive[*]})  goal < 3 s"
echo "floor, create the files:           $bc s"
echo "floor, create + fsync each:        $bfl s  (runs: ${floor[*]})"
echo "floor, create + syncfs:            $bfs s  (runs: ${floorfs[*]})"
python3 - "$bf" "$ba" "$bfl" "$bfs" "$files" "${folder[*]}" "${floorfs[*]}" <<'PY'
import statistics, sys
folder, archive, each, whole = map(float, sys.argv[1:5])
files = int(sys.argv[5])
rounds = list(zip(map(float, sys.argv[6].split()), map(float, sys.argv[7].split())))
floor = min(each, whole)
print(f"folder run / floor ({floor:.3f} s): {folder / floor:.2f}x  goal <= 1.3x")
print(f"folder run / floor with an fsync each ({each:.3f} s): {folder / each:.2f}x")
print(f"folder output's own cost, folder - archive run ({folder - archive:.3f} s) / floor: {(folder - archive) / floor:.2f}x")
# This machine's disk is not steady: making the same files durable took from 0.2 s to over 2 s between
# rounds. Round by round, each folder run against the floor measured right after it, in the same state of
# the disk (ms: the floor's time per file; the issue counted 0.2-1.2 ms to create a file here).
print("round by round, folder run / floor (syncfs) right after it: "
      + "  ".join(f"{f / w:.2f}x ({1000 * w / files:.2f} ms a file)" for f, w in rounds)
      + f"; median {statistics.median(f / w for f, w in rounds):.2f}x")
PY
