#!/usr/bin/env bash
# HTTP load test: wrk against nginx serving a fixed ~2 KB JSON body (the ceiling on this machine)
# and against a calfdvt URL, side by side. Installs nothing: wrk and nginx come from Debian
# (scripts/install-deps.sh installs `wrk nginx-light`).
#
# Usage:
#   bench/http_load.sh [options] URL [METHOD [BODY_FILE]]
#   bench/http_load.sh [options] --echo-server BUILD/bench/http_echo_server [METHOD [BODY_FILE]]
#
#   URL          calfdvt endpoint, e.g. http://127.0.0.1:8080/v1/assess
#   METHOD       GET (default) or POST/PUT/...; with a BODY_FILE the body is sent as
#                application/json on every request (wrk Lua script)
#   --echo-server BIN  start BIN (bench/http_echo_server) on a free port and load its /echo
#   --echo-arg ARG     extra argument for the echo server (repeatable), e.g. --access-log
#   --duration D       wrk duration per run (default 10s)
#   --threads N        wrk threads (default 2)
#   --connections N    keep-alive connections (default 64)
#   --nginx-workers N  nginx worker processes (default 2, like calfdvt's default threads)
#   --no-nginx         skip the nginx ceiling run
#   --server-pid PID   calfdvt server process, for the CPU-per-request column (set automatically
#                      with --echo-server)
#
# Columns: requests/s and latency percentiles from wrk; "cpu us/req" is the server's CPU time
# (user+system, all threads/workers, from /proc) divided by the requests served. It is the
# robust figure on a shared machine, where req/s and p99 also measure the neighbours.
#
# Both targets get the identical wrk command (same method, headers and body). Note that wrk and
# the server share the machine's cores: figures are for the whole loop on one host.
set -euo pipefail

duration=10s
threads=2
connections=64
nginx_workers=2
run_nginx=1
echo_bin=""
echo_args=()
url=""
server_pid=""

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --nginx-workers) nginx_workers="$2"; shift 2 ;;
    --no-nginx) run_nginx=0; shift ;;
    --server-pid) server_pid="$2"; shift 2 ;;
    --echo-server) echo_bin="$2"; shift 2 ;;
    --echo-arg) echo_args+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    --*) echo "http_load: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ -z "$echo_bin" ]; then
  [ $# -ge 1 ] || { echo "http_load: URL or --echo-server required (see --help)" >&2; exit 2; }
  url="$1"; shift
fi
method="${1:-GET}"
body_file="${2:-}"

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "http_load: $tool not found; run scripts/install-deps.sh (Debian packages wrk nginx-light)" >&2
    exit 1
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -n "$body_file" ] && [ ! -r "$body_file" ]; then
  echo "http_load: cannot read body file $body_file" >&2; exit 2
fi

work=$(mktemp -d /tmp/calfdvt-http-load.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for_port() {  # host port
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "http_load: nothing listening on $1:$2" >&2
  return 1
}

# ---- the wrk script: method, JSON body, content type ----
lua="$work/request.lua"
{
  echo "wrk.method = \"$method\""
  if [ -n "$body_file" ]; then
    echo "local f = assert(io.open(\"$(realpath "$body_file")\", \"rb\"))"
    echo "wrk.body = f:read(\"*a\")"
    echo "f:close()"
    echo "wrk.headers[\"Content-Type\"] = \"application/json\""
  fi
} > "$lua"

# ---- optional: the calfdvt echo server ----
if [ -n "$echo_bin" ]; then
  "$echo_bin" --port 0 "${echo_args[@]}" > "$work/echo.out" 2> "$work/echo.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/echo.out" 2>/dev/null && break
    sleep 0.05
  done
  addr=$(sed -n 's/^listening on //p' "$work/echo.out")
  [ -n "$addr" ] || { echo "http_load: echo server did not start" >&2; cat "$work/echo.err" >&2; exit 1; }
  url="http://$addr/echo"
  server_pid=${pids[-1]}
fi

# ---- nginx: fixed 2 KB JSON on a loopback port ----
body2k=$(printf '{"pad":"%s"}' "$(head -c 2038 /dev/zero | tr '\0' 'x')")
nginx_port=$(free_port)
cat > "$work/nginx.conf" <<EOF
worker_processes $nginx_workers;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      default_type application/json;
      return 200 '$body2k';
    }
  }
}
EOF

# ---- runs ----
cpu_ticks() {  # pid... -> summed utime+stime (clock ticks) of the processes, all threads
  local total=0 p
  for p in "$@"; do
    [[ "$p" =~ ^[0-9]+$ ]] && [ -r "/proc/$p/stat" ] || continue
    total=$(( total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat") ))
  done
  echo "$total"
}

run_wrk() {  # label url [server pids...]
  local label="$1" target="$2" out="$work/wrk-$1.txt"
  shift 2
  local before after
  before=$(cpu_ticks "$@")
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$lua" "$target" > "$out" 2>&1 || {
    echo "http_load: wrk failed for $label" >&2; cat "$out" >&2; return 1; }
  after=$(cpu_ticks "$@")
  local rps p50 p99 requests non2xx errors cpu="-"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  requests=$(awk '/requests in/ {print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  errors=$(awk '/Socket errors:/ {sub(/.*Socket errors: /, ""); print}' "$out")
  if [ $# -gt 0 ] && [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
    cpu=$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
      'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  fi
  printf '%-10s %12s %10s %10s %11s %8s  %s\n' "$label" "${rps:-?}" "${p50:-?}" "${p99:-?}" \
    "$cpu" "${non2xx:-0}" "${errors:-none}"
}

nginx_master=""
if [ "$run_nginx" = 1 ]; then
  "$NGINX" -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log" -g 'daemon off;' &
  nginx_master=$!  # 'daemon off': this is the master; the workers are its children
  pids+=("$nginx_master")
  wait_for_port 127.0.0.1 "$nginx_port"
fi

echo "wrk -t$threads -c$connections -d$duration --latency, $method${body_file:+ with $(wc -c < "$body_file")-byte body}"
echo "calfdvt: $method $url"
printf '%-10s %12s %10s %10s %11s %8s  %s\n' target "req/s" p50 p99 "cpu us/req" non-2xx \
  "socket errors"
if [ "$run_nginx" = 1 ]; then
  # shellcheck disable=SC2046
  run_wrk nginx "http://127.0.0.1:$nginx_port/echo" "$nginx_master" $(pgrep -P "$nginx_master")
fi
# shellcheck disable=SC2086
run_wrk calfdvt "$url" $server_pid
