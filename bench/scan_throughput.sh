#!/usr/bin/env bash
# Population-scan throughput (issue 6 §5; results in docs/benchmarks.md, "Population scan"):
# `calfdvt scan` on one core (taskset -c 0, --threads 1) and on all cores over a synthetic Bulk
# export of at least 1 GB, side by side with the same care-gap criteria evaluated by FHIRPath.js
# (bench/fhirpath/scan.mjs, fhirpath 5.2.0) in the same run. FHIRPath.js is ~100x slower, so it
# reads a prefix of every file of the same export (SAMPLE_MB in total) and reports MB/s over what
# it read; its agreement with calfdvt is checked on a complete small export (set equality of
# patient x gap). Not part of the test suite.
#
# Usage: bench/scan_throughput.sh [BUILD_DIR]   (default build-scanbench, a Release build)
# Environment: WORK (default /tmp/calfdvt-scanbench), PATIENTS (default 60000, about 1.04 GB),
#   RUNS (default 3), SAMPLE_MB (default 40).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build-scanbench}"
BIN="$BUILD/src/cli/calfdvt"
WORK="${WORK:-/tmp/calfdvt-scanbench}"
PATIENTS="${PATIENTS:-60000}"
RUNS="${RUNS:-3}"
SAMPLE_MB="${SAMPLE_MB:-40}"
AS_OF=2026-11-21
[ -x "$BIN" ] || { echo "build first: cmake -S . -B build-scanbench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALFDVT_TESTS=OFF && ninja -C build-scanbench calfdvt" >&2; exit 2; }
[ -d "$ROOT/bench/fhirpath/node_modules/fhirpath" ] || (cd "$ROOT/bench/fhirpath" && npm ci --no-audit --no-fund)

mkdir -p "$WORK"
if [ ! -f "$WORK/big/expected-gaps.json" ]; then
  rm -rf "$WORK/big"
  "$BIN" synth --patients "$PATIENTS" --seed 2026 --files-per-type 4 --out "$WORK/big"
fi
if [ ! -f "$WORK/small/expected-gaps.json" ]; then
  rm -rf "$WORK/small"
  "$BIN" synth --patients 1500 --seed 9 --out "$WORK/small"
fi
BYTES=$(cat "$WORK"/big/*.ndjson | wc -c)
echo "export: $WORK/big, $BYTES bytes of NDJSON ($(ls "$WORK"/big/*.ndjson | wc -l) files); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$WORK"/big/*.ndjson > /dev/null  # warm the page cache: both engines read from memory

# time_scan LABEL ARGS...: RUNS runs; prints wall, user+sys and MB/s (wall and CPU) of each.
time_scan() {
  local label="$1"; shift
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
    read -r wall user sys < "$WORK/time"
    python3 -c "b=$BYTES; w=$wall; c=$user+$sys; print(f'$label run $i: wall {w:.2f} s, cpu {c:.2f} s -> {b/1e6/w:.0f} MB/s wall, {b/1e6/c:.0f} MB/s per cpu-second')"
    grep -E "^timings" "$WORK/stderr" || true
    echo "$label|$wall|$user|$sys" >> "$WORK/results.txt"
  done
}
rm -f "$WORK/results.txt"

time_scan "calfdvt 1 thread " taskset -c 0 "$BIN" scan "$WORK/big" --as-of $AS_OF --threads 1 --no-progress --timings --out "$WORK/report1.json"
time_scan "calfdvt $(nproc) threads" "$BIN" scan "$WORK/big" --as-of $AS_OF --threads "$(nproc)" --no-progress --timings --out "$WORK/reportN.json"
cmp -s "$WORK/report1.json" "$WORK/reportN.json" && echo "reports identical for 1 and $(nproc) threads"
python3 - "$WORK/report1.json" "$WORK/big/expected-gaps.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
got = {(p["patient"], g) for p in r["patients"] for g in p["gaps"]}
want = {(p["patient"], g) for p in t["dvt_patients"] for g in p["gaps"]}
print(f"planted gaps found: {len(got & want)}/{len(want)}, extra {len(got - want)}: {'exact' if got == want else 'MISMATCH'}")
PY

taskset -c 0 node "$ROOT/bench/fhirpath/scan.mjs" "$WORK/big" $AS_OF "$WORK/fhirpath-big.json" "$SAMPLE_MB"
# Agreement on a complete small export.
"$BIN" scan "$WORK/small" --as-of $AS_OF --threads 1 --no-progress --out "$WORK/small-report.json" 2>/dev/null
node "$ROOT/bench/fhirpath/scan.mjs" "$WORK/small" $AS_OF "$WORK/fhirpath-small.json" 2>/dev/null
python3 - "$WORK/small-report.json" "$WORK/fhirpath-small.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
a = {(p["patient"], g) for p in r["patients"] for g in p["gaps"]}; b = {tuple(x) for x in j["gaps"]}
print(f"agreement on the small export: calfdvt {len(a)} gaps, fhirpath.js {len(b)} gaps: {'identical' if a == b else 'DIFFERENT'}")
PY
python3 - "$WORK/results.txt" "$WORK/fhirpath-big.json" "$BYTES" <<'PY'
import json, sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
j = json.load(open(sys.argv[2])); b = int(sys.argv[3])
print(f"fhirpath.js (1 core, {j['bytes']/1e6:.0f} MB prefix): {j['mb_per_s_wall']:.2f} MB/s wall, {j['mb_per_s_cpu']:.2f} MB/s per cpu-second")
for label in dict.fromkeys(r[0] for r in rows):
    runs = [(float(w), float(u) + float(s)) for l, w, u, s in rows if l == label]
    w = min(x[0] for x in runs); c = min(x[1] for x in runs)
    print(f"best {label.strip()}: {b/1e6/w:.0f} MB/s wall ({b/1e6/w/j['mb_per_s_wall']:.0f}x fhirpath.js), "
          f"{b/1e6/c:.0f} MB/s per cpu-second ({b/1e6/c/j['mb_per_s_cpu']:.0f}x)")
PY
