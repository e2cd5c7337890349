#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds calfdvt, and starts the server on an
# embedded SQLite database seeded with demo episodes (loopback only, no authentication), printing
# its URL. Stop it with Ctrl-C (graceful shutdown).
#   PORT=9090 bash scripts/run.sh       another port (default 8080)
#   bash scripts/run.sh assess examples/pregnancy-lmwh.json   run any other calfdvt verb instead
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The clinician web app (web/): built into web/dist, which the C++ build embeds into the binary.
(cd web && { [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
   || npm ci --no-audit --no-fund --loglevel=error >/dev/null; } && npm run build >/dev/null) \
  || { echo "run.sh: the web app build failed: see (cd web && npm run build)" >&2; exit 1; }
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target calfdvt -j"$(nproc)" >/dev/null
if [ $# -gt 0 ]; then
  exec build/src/cli/calfdvt "$@"
fi
mkdir -p build/demo
echo "Example assessment (build/src/cli/calfdvt assess examples/gastrocnemius-low-risk.json):" >&2
build/src/cli/calfdvt assess examples/gastrocnemius-low-risk.json | sed -n '1,8p' >&2
echo "..." >&2
exec build/src/cli/calfdvt serve --demo --db sqlite:build/demo/calfdvt-demo.db --listen "127.0.0.1:${PORT:-8080}"
