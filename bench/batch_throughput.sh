#!/usr/bin/env bash
# Batch throughput of `calfdvt assess --batch` on ONE core (docs/benchmarks.md, "Batch throughput").
# Generates COUNT synthetic cases (bench/gen_cases.cc, deterministic for the seed), then times
# `taskset -c CPU calfdvt assess --batch FILE > /dev/null` with hyperfine (or bash `time` when
# hyperfine is missing) and prints input MB/s and cases/s for the best and the mean run.
# Goal: >= 100 MB/s of input on one core.
#
# Usage: bench/batch_throughput.sh [COUNT]          COUNT cases, default 1000000
# Environment:
#   BUILD  build directory with calfdvt and calfdvt_gen_cases (default build-bench; configured
#          and built here in Release if missing)
#   SEED   generator seed (default 1)     RUNS  timed runs (default 5)     CPU  core (default 0)
#   KEEP=1 keep the generated file (default: deleted at exit; it is ~770 MB for 1,000,000 cases)
# Needs: taskset (util-linux); hyperfine optional (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000000}"
build="${BUILD:-build-bench}"
seed="${SEED:-1}"
runs="${RUNS:-5}"
cpu="${CPU:-0}"

calfdvt="$build/src/cli/calfdvt"
gen="$build/bench/calfdvt_gen_cases"
if [ ! -x "$calfdvt" ] || [ ! -x "$gen" ]; then
  echo "batch_throughput.sh: building calfdvt and calfdvt_gen_cases in $build (Release)" >&2
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALFDVT_BENCH=ON -DCALFDVT_TESTS=OFF >/dev/null
  cmake --build "$build" -j2 --target calfdvt calfdvt_gen_cases
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/calfdvt-batch.XXXXXX")"
cleanup() { if [ "${KEEP:-0}" = "1" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
cases="$work/cases-$count-$seed.ndjson"
"$gen" --count "$count" --seed "$seed" >"$cases"
bytes="$(stat -c %s "$cases")"

# One untimed run: checks every line is assessed (exit 0) and warms the page cache.
if ! taskset -c "$cpu" "$calfdvt" assess --batch "$cases" >/dev/null 2>"$work/summary"; then
  echo "batch_throughput.sh: calfdvt rejected lines or failed:" >&2
  cat "$work/summary" >&2
  exit 1
fi

cmd="taskset -c $cpu $calfdvt assess --batch $cases"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --style basic --warmup 1 --runs "$runs" --export-csv "$work/times.csv" \
    "$cmd >/dev/null 2>&1" >&2
  # CSV columns: command,mean,stddev,median,user,system,min,max
  read -r mean best cpu_time < <(awk -F, 'NR == 2 { print $2, $7, $5 + $6 }' "$work/times.csv")
  tool="hyperfine ($runs runs, 1 warmup)"
else
  best="" total=0 cpu_time=""
  for _ in $(seq "$runs"); do
    t="$( { TIMEFORMAT=%R; time $cmd >/dev/null 2>&1; } 2>&1 )"
    total="$(awk -v a="$total" -v b="$t" 'BEGIN { print a + b }')"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
  done
  mean="$(awk -v a="$total" -v n="$runs" 'BEGIN { print a / n }')"
  tool="bash time ($runs runs)"
fi

awk -v bytes="$bytes" -v n="$count" -v best="$best" -v mean="$mean" -v tool="$tool" \
    -v cpu="$cpu" -v seed="$seed" -v cpu_time="$cpu_time" 'BEGIN {
  printf "batch: %d cases, %.1f MB input (seed %s), core %s, %s\n", n, bytes / 1e6, seed, cpu, tool
  printf "  best: %.3f s  %.1f MB/s  %.0f cases/s\n", best, bytes / 1e6 / best, n / best
  printf "  mean: %.3f s  %.1f MB/s  %.0f cases/s\n", mean, bytes / 1e6 / mean, n / mean
  if (cpu_time != "")  # user+sys of the process: what the run costs with the core to itself
    printf "  cpu:  %.3f s  %.1f MB/s  %.0f cases/s (mean user+sys)\n", cpu_time,
           bytes / 1e6 / cpu_time, n / cpu_time
  printf "  goal: >= 100 MB/s -> %s (best run)\n", (bytes / 1e6 / best >= 100 ? "met" : "MISSED")
}'
