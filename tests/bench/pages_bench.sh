#!/usr/bin/env bash
# The story page against the feed it is written with: one publish of 100 stories
# (app::make_snapshot), served by the real Server (one io thread), measured with wrk.
# Compares "/" (the first page: 25 stories), "/bench/page-of-100" (the same 100 stories on
# one page) and "/feed.atom", plain, gzip and 304, in interleaved rounds.
# Usage: tests/bench/pages_bench.sh [BUILD_DIR]
#   env: PORT=18493 DURATION=10s CONNS=64 THREADS=2 ROUNDS=3
# BUILD_DIR needs: cmake -DREELFEED_BUILD_BENCH=ON, target serve_bench; wrk (Debian package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build-bench}" && pwd)
PORT=${PORT:-18493}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

"$BUILD/tests/bench/serve_bench" --serve-site "$PORT" 2>"${TMPDIR:-/tmp}/pages_bench.log" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done
cat "${TMPDIR:-/tmp}/pages_bench.log"
TICK=$(getconf CLK_TCK)

# run_wrk URL HEADER... -> "req/s server_cpu_us_per_request"
run_wrk() {
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  local before after out
  before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "${args[@]+"${args[@]}"}" "$url")
  after=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  if grep -q "Non-2xx or 3xx" <<<"$out"; then
    echo "unexpected status codes from $url" >&2
  fi
  awk -v b="$before" -v a="$after" -v tick="$TICK" '
    / requests in /{n=$1} /Requests\/sec/{r=$2}
    END{printf "%s %.1f\n", r, (a-b)/tick*1e6/(n>0?n:1)}' <<<"$out"
}

printf '%-6s %-6s %-20s %12s %10s\n' round mode path req/s us/req
for r in $(seq "$ROUNDS"); do
  for mode in plain gzip 304; do
    for path in /feed.atom / /bench/page-of-100; do
      url="http://127.0.0.1:$PORT$path"
      case $mode in
        plain) h=() ;;
        gzip) h=("Accept-Encoding: gzip") ;;
        304) h=("If-None-Match: $(curl -sI "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')") ;;
      esac
      read -r rps cpu < <(run_wrk "$url" "${h[@]+"${h[@]}"}")
      printf '%-6s %-6s %-20s %12s %10s\n' "$r" "$mode" "$path" "$rps" "$cpu"
    done
  done
done
