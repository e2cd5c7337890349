#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks (Debian's postgresql 15; installed by
# scripts/install-deps.sh, nothing is installed here).
#   scripts/pg.sh start DIR PORT   creates a cluster in DIR (must be absent or empty), starts it on
#                                  127.0.0.1:PORT with its unix socket in DIR, creates the
#                                  database calfdvt_test and prints its URL on stdout:
#                                  postgresql://postgres@127.0.0.1:PORT/calfdvt_test
#   scripts/pg.sh stop DIR         stops the server (fast shutdown) and removes DIR.
# Authentication is "trust" on loopback only: never point this at data that matters.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user.
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

usage() {
  echo "usage: scripts/pg.sh start DIR PORT | scripts/pg.sh stop DIR" >&2
  exit 2
}

# Runs a server binary as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir="$1" port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || usage
  [ -x "$PGBIN/initdb" ] || { echo "pg.sh: $PGBIN/initdb not found (run scripts/install-deps.sh)" >&2; exit 1; }
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync stays on (the default): the durability tests rely on it.
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres calfdvt_test
  echo "postgresql://postgres@127.0.0.1:$port/calfdvt_test"
}

stop() {
  local dir="$1"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
