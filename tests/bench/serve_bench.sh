#!/usr/bin/env bash
# Serving benchmark: the real reelfeed Server (one io thread) vs nginx (1 worker) on the
# same ~200 KB Atom feed, measured with wrk for plain, precompressed gzip and 304.
# Usage: tests/bench/serve_bench.sh [BUILD_DIR]
#   env: WORK=/tmp/rf-servebench PORT=18491 NGINX_PORT=18492 DURATION=10s CONNS=64 THREADS=2
#        ROUNDS=3 (interleaved rounds: reelfeed then nginx, per round and mode)
# BUILD_DIR needs: cmake -DREELFEED_BUILD_BENCH=ON, target serve_bench.
# Needs wrk (Debian package wrk); nginx is optional (the nginx column is skipped without it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build-bench}" && pwd)
WORK=${WORK:-/tmp/rf-servebench}
PORT=${PORT:-18491}
NGINX_PORT=${NGINX_PORT:-18492}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
mkdir -p "$WORK/www"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -f "$WORK/nginx.pid" ]; then
    kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    rm -f "$WORK/nginx.pid"
  fi
}
trap cleanup EXIT

"$BUILD/tests/bench/serve_bench" --serve "$PORT" "$WORK/www/feed.atom" 2>"$WORK/serve.log" &
SERVER_PID=$!
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/feed.atom" && break
  sleep 0.1
done
cat "$WORK/serve.log"
# Same validators on both sides: nginx's ETag differs, so ask each server for its own.
RF_ETAG=$(curl -sI "http://127.0.0.1:$PORT/feed.atom" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')

NGINX=
if command -v nginx >/dev/null; then
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/atom+xml atom; }
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    gzip_static on;
    gzip_vary on;
    add_header Cache-Control "public, max-age=300";
  }
}
CONF
  mkdir -p "$WORK/tmp"
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  NGINX=1
  sleep 0.3
  NG_ETAG=$(curl -sI "http://127.0.0.1:$NGINX_PORT/feed.atom" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
fi

cpu_ticks() { # pid -> utime+stime in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
TICK=$(getconf CLK_TCK)

# run_wrk PID URL HEADER... -> "req/s cpu_us_per_request" (server CPU, from /proc, so the
# second figure holds up better than req/s when the machine is shared)
run_wrk() {
  local pid=$1 url=$2; shift 2
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "${args[@]}" "$url")
  after=$(cpu_ticks "$pid")
  if grep -q "Non-2xx or 3xx" <<<"$out"; then
    echo "unexpected status codes from $url" >&2
  fi
  awk -v b="$before" -v a="$after" -v tick="$TICK" '
    / requests in /{n=$1} /Requests\/sec/{r=$2}
    END{printf "%s %.1f\n", r, (a-b)/tick*1e6/(n>0?n:1)}' <<<"$out"
}

NGINX_WORKER=
[ -n "$NGINX" ] && NGINX_WORKER=$(pgrep -P "$(cat "$WORK/nginx.pid")" | head -1)

printf '%-6s %-6s %12s %10s %12s %10s\n' round mode rf_req/s rf_us/req nginx_req/s ng_us/req
for r in $(seq "$ROUNDS"); do
  for mode in plain gzip 304; do
    case $mode in
      plain) rf_h=(); ng_h=() ;;
      gzip) rf_h=("Accept-Encoding: gzip"); ng_h=("Accept-Encoding: gzip") ;;
      304) rf_h=("If-None-Match: $RF_ETAG"); ng_h=("If-None-Match: ${NG_ETAG:-x}") ;;
    esac
    read -r rf rf_cpu < <(run_wrk "$SERVER_PID" "http://127.0.0.1:$PORT/feed.atom" "${rf_h[@]+"${rf_h[@]}"}")
    ng=- ng_cpu=-
    if [ -n "$NGINX" ]; then
      read -r ng ng_cpu < <(run_wrk "$NGINX_WORKER" "http://127.0.0.1:$NGINX_PORT/feed.atom" "${ng_h[@]+"${ng_h[@]}"}")
    fi
    printf '%-6s %-6s %12s %10s %12s %10s\n' "$r" "$mode" "$rf" "$rf_cpu" "$ng" "$ng_cpu"
  done
done
