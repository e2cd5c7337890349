#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, fatal on the first report) into build-fuzz and
# runs each one for a bounded time on a temporary COPY of its seed corpus (fuzz/corpus/<name>/), so
# the repository is never written to. Exits non-zero if any build step fails or any target finds a
# crash, a sanitizer report, a leak, a timeout or a broken invariant (fuzz/invariants.h).
#
# Usage: scripts/fuzz.sh [SECONDS]        SECONDS per target, default 30
#
# Needs (Debian 12 packages, installed by scripts/install-deps.sh):
#   clang (clang-14) libclang-rt-14-dev   compiler, libFuzzer and sanitizer runtimes
#   cmake ninja-build                     build
#   libsimdjson-dev libssl-dev libcli11-dev   the project's own libraries (whole project configures)
#
# Environment:
#   FUZZ_JOBS          build parallelism (default 2)
#   FUZZ_ARTIFACTS     where crashing inputs are saved (default build-fuzz/artifacts)
#   FUZZ_CMAKE_ARGS    extra arguments for the cmake configure step (e.g. -DCMAKE_CXX_FLAGS=...)
#
# Reproduce a saved crash:  build-fuzz/fuzz/<target> <crash-file>
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]   (a positive whole number of seconds per target)" >&2
  exit 2
fi

pick() {  # first command of the arguments that exists
  for c in "$@"; do
    if command -v "$c" >/dev/null 2>&1; then echo "$c"; return 0; fi
  done
  return 1
}
cc="$(pick clang-14 clang)" || { echo "fuzz.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
cxx="$(pick clang++-14 clang++)" || { echo "fuzz.sh: clang++ not found" >&2; exit 1; }

build="$root/build-fuzz"
artifacts="${FUZZ_ARTIFACTS:-$build/artifacts}"
targets=(case_parser_fuzz knowledge_loader_fuzz fhir_bundle_fuzz procedure_parser_fuzz)

echo "fuzz.sh: configuring $build with $cxx" >&2
# shellcheck disable=SC2086  # FUZZ_CMAKE_ARGS is a list of arguments
# Line tables only (-g1): symbolised crash reports, faster compiles (see scripts/test.sh).
CC="$cc" CXX="$cxx" cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCALFDVT_FUZZ=ON -DCALFDVT_TESTS=OFF -DCALFDVT_BENCH=OFF ${FUZZ_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}"

work="$(mktemp -d "${TMPDIR:-/tmp}/calfdvt-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

# UBSan checks are recoverable in this build: make the first report fatal so libFuzzer sees it.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

status=0
for t in "${targets[@]}"; do
  name="${t%_fuzz}"           # case_parser / knowledge_loader
  corpus_name="${name%%_*}"   # case / knowledge / fhir / procedure
  seeds="$root/fuzz/corpus/$corpus_name"
  dict="$root/fuzz/$corpus_name.dict"
  corpus="$work/$corpus_name"
  mkdir -p "$corpus" "$artifacts/$t"
  cp -R "$seeds/." "$corpus/"
  echo "fuzz.sh: $t for ${seconds}s on a copy of fuzz/corpus/$corpus_name ($(ls "$corpus" | wc -l) seeds)" >&2
  log="$work/$t.log"
  if "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -dict="$dict" -artifact_prefix="$artifacts/$t/" -print_final_stats=1 \
       "$corpus" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done ' "$log" | sed "s/^/fuzz.sh: $t: /" >&2 || true
  else
    status=1
    echo "fuzz.sh: $t FAILED; log tail:" >&2
    tail -n 60 "$log" >&2
    echo "fuzz.sh: crashing inputs are in $artifacts/$t/ (reproduce: $build/fuzz/$t FILE)" >&2
  fi
done

if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: FAILED" >&2
else
  echo "fuzz.sh: ok (${#targets[@]} targets, ${seconds}s each, no crash)" >&2
fi
exit "$status"
