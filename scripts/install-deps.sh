#!/usr/bin/env bash
# Installs calfdvt's build and test dependencies from Debian's packages. Idempotent: installs only
# what is missing, so it is cheap to run before every build. Needs root (or sudo) for apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git python3
  libsimdjson-dev      # JSON reading (formats)
  libcli11-dev         # command line (cli)
  libssl-dev           # SHA-256 of knowledge files (formats)
  libgtest-dev libgmock-dev  # unit, golden and integration tests
  libbenchmark-dev     # bench/ (Google Benchmark)
  clang libclang-rt-14-dev   # libFuzzer targets and sanitizers
  libboost-dev libboost-system-dev  # HTTP server (server: Beast + Asio, 1.74)
  wrk nginx-light      # bench/http_load.sh (load generator; nginx as the HTTP ceiling)
  libsqlite3-dev       # SQLite store backend (store)
  libpq-dev            # PostgreSQL store backend (store)
  postgresql           # throwaway test/benchmark server started by scripts/pg.sh
  chromium             # web app end-to-end tests (tests/e2e: playwright-core drives it, never a downloaded browser)
)
# The API integration suite (tests/api) needs Node.js (>= 18.19) and npm. Machine images may bring
# their own (newer) node: only install Debian's when there is none, never replace it.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
