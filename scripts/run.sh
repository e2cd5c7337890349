#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds calfdvt, and assesses the shipped example
# case, printing the readable result. Extra arguments are passed to `calfdvt assess`
# (e.g. `scripts/run.sh --format json` or `scripts/run.sh examples/cancer-anticoagulate.json`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target calfdvt -j"$(nproc)" >/dev/null
case_file=examples/gastrocnemius-low-risk.json
args=()
for a in "$@"; do
  if [[ "$a" == *.json && -f "$a" ]]; then case_file="$a"; else args+=("$a"); fi
done
echo "\$ build/src/cli/calfdvt assess ${args[*]:-} $case_file" >&2
exec build/src/cli/calfdvt assess "${args[@]}" "$case_file"
