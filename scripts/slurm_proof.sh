#!/usr/bin/env bash
# Proves docs/scale-out.md's Slurm recipe on a real Slurm: starts a single-node cluster on this machine
# (Debian's slurm-wlm with munge; installed when missing), submits the job array of `riskmap run --shard
# K/N` and the merge as a job depending on it, exactly as the document shows them, on the bundled demo
# district, then runs the same inputs as one single run and checks that the merge equals it: every file
# of the merged folder (report.json but for its times), and every archive tile by tile through the
# `pmtiles` reader (scripts/compare_merged.py says what is compared).
#
# Usage (as root: it installs packages and starts munged, slurmctld and slurmd; stopped on exit):
#   bash scripts/slurm_proof.sh
# Environment:
#   SHARDS=4            the array's size N
#   TILES=folder        folder: tiles as files, merge --pmtiles writes the archives beside the output;
#                       pmtiles: every run gets `--tiles pmtiles` (tiles only in OUT/tiles/{layer}.pmtiles)
#                       and the merge combines the shards' archives
#   MIN_ZOOM=10 MAX_ZOOM=17   the zooms drawn (the demo: 5,766 tiles at 10-17)
#   RISKMAP_BIN         the binary (default .build/release/riskmap, else riskmap on PATH)
#   KEEP=1              keep the work folder (kept anyway when something fails)
#   JOB_TIMEOUT=1800    seconds to wait for the array and the merge
# Exits 0 when everything matches, 1 when a job fails or anything differs, 2 on a bad setup.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
SHARDS=${SHARDS:-4} TILES=${TILES:-folder} MIN_ZOOM=${MIN_ZOOM:-10} MAX_ZOOM=${MAX_ZOOM:-17}
JOB_TIMEOUT=${JOB_TIMEOUT:-1800}
AS_OF=2026-11-22  # the demo's day (scripts/demo.sh, README): never "today" across machines
die() { echo "slurm_proof: $1" >&2; exit "${2:-1}"; }

# --- the command line and the binary ---------------------------------------------------------------

[[ $SHARDS =~ ^[1-9][0-9]*$ ]] && [ "$SHARDS" -le 64 ] || die "SHARDS must be 1 to 64, not '$SHARDS'" 2
case $TILES in folder|pmtiles) ;; *) die "TILES must be folder or pmtiles, not '$TILES'" 2 ;; esac
[ "$(id -u)" = 0 ] || die "run as root: it installs slurm-wlm and munge and starts their daemons" 2
bin=${RISKMAP_BIN:-}
if [ -z "$bin" ]; then
  if [ -x "$repo/.build/release/riskmap" ]; then bin=$repo/.build/release/riskmap
  else bin=$(command -v riskmap || true); fi
fi
[ -n "$bin" ] && [ -x "$bin" ] || die "no riskmap binary: build it (swift build -c release) or set RISKMAP_BIN" 2
bin=$(realpath "$bin")
if [ "$TILES" = pmtiles ] && ! "$bin" run --help 2>&1 | grep -q -- '--tiles'; then
  die "TILES=pmtiles needs \`riskmap run --tiles pmtiles\`, which $bin does not have (its run --help lists no --tiles)" 2
fi
python3 -c 'import pmtiles' 2>/dev/null || die "the Python package pmtiles is missing: pip install pmtiles" 2

# --- Slurm and munge -------------------------------------------------------------------------------

missing=()
for tool in slurmctld:slurm-wlm slurmd:slurm-wlm sbatch:slurm-wlm munged:munge pgrep:procps; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  echo "installing ${packages% } (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$(mktemp)  # quiet unless it fails
  { apt-get update -qq && apt-get install -y -qq $packages; } >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; die "apt-get install $packages failed"; }
  rm -f "$apt_log"
fi
# Another Slurm on this machine would own the ports and the node name: not ours to stop.
for daemon in slurmctld slurmd; do
  ! pgrep -x "$daemon" >/dev/null || die "a $daemon is already running on this machine; stop it first" 2
done

work=$(mktemp -d "${TMPDIR:-/tmp}/slurm-proof.XXXXXX")
work=$(cd "$work" && pwd -P)
slurm=$work/slurm shared=$work/shared
mkdir -p "$slurm/state" "$slurm/spool" "$work/bin" "$shared/boundaries" "$shared/cases"

munged_pid="" ctld_pid="" slurmd_pid="" jobs=""
# stop PID: SIGTERM, then SIGKILL after 10 s (a daemon that hangs must not hang the script).
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  # Jobs still queued or running are cancelled and given time to end while the controller is up: a
  # job step whose controller is gone retries its "job complete" message for ever.
  if [ -n "$jobs" ]; then
    scancel $jobs 2>/dev/null || true
    for _ in $(seq 60); do [ -z "$(squeue -h -j "${jobs// /,}" 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  for pid in $slurmd_pid $ctld_pid $munged_pid; do stop "$pid"; done
  if [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "work folder kept: $work" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge authenticates every Slurm message: a key (made once, as the package's postinst would) and the
# daemon, started here only when none answers.
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- munged
  munged_pid=$(cat /run/munge/munged.pid)
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n </dev/null | unmunge >/dev/null || die "munged does not answer (see /var/log/munge/munged.log)"
fi

# A single-node cluster: this machine is controller and compute node; no accounting, no cgroups (the
# tasks are tracked through /proc), state and spool in the work folder.
node=$(hostname -s)
cpus=$(nproc)
mem_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
real_mb=$(( mem_mb - (mem_mb / 10 > 512 ? mem_mb / 10 : 512) ))  # slurmd drains a node that has less
export SLURM_CONF=$slurm/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=riskmap-proof
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$slurm/state
SlurmdSpoolDir=$slurm/spool
SlurmctldPidFile=$slurm/slurmctld.pid
SlurmdPidFile=$slurm/slurmd.pid
SlurmctldLogFile=$slurm/slurmctld.log
SlurmdLogFile=$slurm/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$real_mb State=UNKNOWN
PartitionName=proof Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -c -f "$SLURM_CONF" >"$slurm/slurmctld.out" 2>&1 & ctld_pid=$!
slurmd -D -f "$SLURM_CONF" >"$slurm/slurmd.out" 2>&1 & slurmd_pid=$!
state=""
for _ in $(seq 120); do
  state=$(sinfo -h -N -n "$node" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  kill -0 "$ctld_pid" 2>/dev/null && kill -0 "$slurmd_pid" 2>/dev/null || break
  sleep 0.5
done
if [ "$state" != idle ]; then
  sinfo -R 2>/dev/null || true
  tail -n 20 "$slurm/slurmctld.out" "$slurm/slurmctld.log" "$slurm/slurmd.out" "$slurm/slurmd.log" 2>/dev/null || true
  die "node $node is not idle (state '${state:-none}')"
fi
echo "slurm: node $node idle ($cpus CPUs, RealMemory=$real_mb MB), SLURM_CONF=$SLURM_CONF"

# --- the inputs: a shared folder as every node would mount it -----------------------------------------

cp "$repo"/boundaries/demo/{streets,communities,posts}.geojson "$repo/boundaries/demo/gazetteer.csv" "$shared/boundaries/"
cp "$repo/boundaries/demo/cases.csv" "$shared/cases/export-$AS_OF.csv"
ln -s "$bin" "$work/bin/riskmap"
export PATH=$work/bin:$PATH SHARED=$shared  # sbatch passes the environment to the jobs
options=(--min-zoom "$MIN_ZOOM" --max-zoom "$MAX_ZOOM")
[ "$TILES" = pmtiles ] && options+=(--tiles pmtiles)

# The array script of docs/scale-out.md, word for word.
cat > "$shared/shards.sbatch" <<'EOF'
#!/bin/bash
# shards.sbatch — submit with: sbatch --array=1-N shards.sbatch AS_OF [more riskmap run options]
#SBATCH --job-name=riskmap-shard
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=01:00:00
SHARED=${SHARED:-/shared}                   # the folder every node mounts
SHARDS=${SHARDS:-$SLURM_ARRAY_TASK_COUNT}   # N; a re-run of one task (--array=5) must say SHARDS=N
AS_OF=$1; shift
riskmap run --boundaries "$SHARED/boundaries" --cases "$SHARED/cases/export-$AS_OF.csv" --as-of "$AS_OF" \
    --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" --out "$SHARED/shards/$AS_OF/$SLURM_ARRAY_TASK_ID" "$@"
EOF

# --- the array, then the merge ---------------------------------------------------------------------

# job_states JOB: "TASK STATE" per line (one line per array task that has started; the pending rest is
# one record with a range, left out).
job_states() {
  scontrol -o show job "$1" 2>/dev/null | awk '{
    task = "-"; st = ""
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^ArrayTaskId=/) task = substr($i, 13)
      if ($i ~ /^JobState=/) st = substr($i, 10)
    }
    if (task ~ /^[0-9]+$/ || task == "-") print task, st
  }'
}
log_of() { [ "$1" = - ] && echo "$shared/slurm-$2.out" || echo "$shared/slurm-$2_$1.out"; }
now() { date +%s.%N; }

# wait_for JOB COUNT WHAT: until COUNT tasks (1 for a plain job) are COMPLETED; a failed one fails the
# script with its log.
wait_for() {
  local job=$1 count=$2 what=$3 deadline=$(( $(date +%s) + JOB_TIMEOUT )) done task st reason
  while :; do
    done=0
    while read -r task st; do
      case $st in
        COMPLETED) done=$((done + 1)) ;;
        PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|RESIZING) ;;
        *) echo "$what$([ "$task" = - ] || echo " task $task"): ended $st; its log ($(log_of "$task" "$job")):" >&2
           tail -n 40 "$(log_of "$task" "$job")" >&2 2>/dev/null || true
           exit 1 ;;
      esac
    done < <(job_states "$job")
    [ "$done" -ge "$count" ] && return 0
    reason=$(scontrol -o show job "$job" 2>/dev/null | sed -n 's/.*Reason=\([^ ]*\).*/\1/p' | head -1)
    [ "$reason" != DependencyNeverSatisfied ] || die "$what will never start: a job it depends on failed"
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not done after $JOB_TIMEOUT s (JOB_TIMEOUT)"
    sleep 0.5
  done
}

cd "$shared"  # the jobs' working folder: their logs slurm-JOB_TASK.out land here
merge_archive=()
[ "$TILES" = folder ] && merge_archive=(--pmtiles "$shared/output/risk-$AS_OF.pmtiles")
t0=$(now)
ARRAY=$(sbatch --parsable --array=1-"$SHARDS" shards.sbatch "$AS_OF" "${options[@]}")
jobs=$ARRAY
MERGE=$(sbatch --parsable --dependency=afterok:"$ARRAY" --job-name=riskmap-merge --cpus-per-task=1 --mem=2G --wrap \
    "riskmap merge --out $SHARED/output --keep 7 ${merge_archive[*]} $(seq -f "$SHARED/shards/$AS_OF/%g" -s ' ' 1 "$SHARDS")")
jobs="$ARRAY $MERGE"
echo "submitted: array $ARRAY (tasks 1-$SHARDS: riskmap run --shard K/$SHARDS ${options[*]}), merge $MERGE (afterok:$ARRAY)"
wait_for "$ARRAY" "$SHARDS" "array $ARRAY"
t1=$(now)
wait_for "$MERGE" 1 "merge $MERGE"
t2=$(now)
jobs=""

# --- the single run, and the comparison ------------------------------------------------------------

single_archive=()
[ "$TILES" = folder ] && single_archive=(--pmtiles "$work/single.pmtiles")
t3=$(now)
riskmap run --boundaries "$shared/boundaries" --cases "$shared/cases/export-$AS_OF.csv" --as-of "$AS_OF" \
  "${options[@]}" --out "$work/single" "${single_archive[@]}" -q
t4=$(now)

merged=$shared/output/$AS_OF
if [ "$TILES" = pmtiles ]; then
  for layer in heat street community post; do
    [ -s "$work/single/tiles/$layer.pmtiles" ] || die "TILES=pmtiles: the single run wrote no tiles/$layer.pmtiles"
  done
fi
[ "$(readlink "$shared/output/current")" = "$AS_OF" ] || die "the merge did not point output/current at $AS_OF"
compare=(python3 "$repo/scripts/compare_merged.py" "$merged" "$work/single")
[ "$TILES" = folder ] && compare+=(--archives "$shared/output/risk-$AS_OF.pmtiles" "$work/single.pmtiles")
status=0
"${compare[@]}" || status=1
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo "summary: TILES=$TILES, $SHARDS array tasks on $cpus CPUs, zooms $MIN_ZOOM-$MAX_ZOOM;" \
  "array $(seconds "$t0" "$t1") s (submit to last task done), merge job $(seconds "$t1" "$t2") s," \
  "single run $(seconds "$t3" "$t4") s"
if [ "$status" = 0 ]; then echo "PASSED: the merged job array equals the single run"
else echo "FAILED: the merged job array differs from the single run"; fi
exit "$status"
