#!/usr/bin/env bash
# Worklist query over 1,000,000 generated episodes, on SQLite and on PostgreSQL
# (docs/benchmarks.md, "Worklist query (1,000,000 episodes)"). Not part of the tests.
#   bench/worklist_1m.sh [BUILD_DIR] [EPISODES]
# BUILD_DIR (default build-bench) must hold bench/worklist_bench:
#   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALFDVT_BENCH=ON -DCALFDVT_TESTS=OFF
#   cmake --build build-bench --target worklist_bench
# Uses a temporary SQLite file and a temporary PostgreSQL cluster (scripts/pg.sh), both removed
# afterwards. Needs ~2 GB of free space in $TMPDIR for 1,000,000 episodes.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-bench}"
n="${2:-1000000}"
bin="$build/bench/worklist_bench"
if [ ! -x "$bin" ]; then
  echo "worklist_1m.sh: $bin not found; build the worklist_bench target first" >&2
  exit 1
fi

work="$(mktemp -d)"
pg_dir="$(mktemp -d)"
cleanup() {
  scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT

explain_date=2026-03-02
echo "== SQLite ($n episodes) =="
db="sqlite:$work/worklist.db"
"$bin" generate "$db" "$n"
du -sh "$work" | awk '{print "database size: " $1}'
"$bin" explain "$db" "$explain_date"
"$bin" run "$db"

echo
echo "== PostgreSQL ($n episodes) =="
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="$(scripts/pg.sh start "$pg_dir" "$port")"
"$bin" generate "$url" "$n"
du -sh "$pg_dir" | awk '{print "cluster size: " $1}'
"$bin" explain "$url" "$explain_date"
"$bin" run "$url"
