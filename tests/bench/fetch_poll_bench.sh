#!/usr/bin/env bash
# Poll-cycle benchmark: FEEDS (default 1,000; 10,000 for the scale run) generated feeds
# dated like live news (../shared/bench/gen_corpus.py --recent) served by a local nginx,
# polled by `reelfeed poll` in three cycles, with the floors measured in the same run:
#   cold        empty store, every feed 200
#   redownload  server ignores validators (etag off, if_modified_since off): all 200, nothing new
#   warm        validators honoured: all 304
#   floors      bare libcurl multi (200 and 304), reelfeed's Fetcher alone (200 and 304),
#               bare pugixml parse, bare SQLite insert loop of the same rows
#   daemon      (DAEMON=1) `reelfeed run`'s first cycle of the same sources on an empty store:
#               peak RSS (VmHWM) once every source logged its poll, and how the sources'
#               next polls spread over the interval (busiest second and busiest minute),
#               then SIGTERM
# Usage: tests/bench/fetch_poll_bench.sh [BUILD_DIR]
#   env: FEEDS=1000 CORPUS=/tmp/rf-corpus-recent-$FEEDS WORK=/tmp/rf-pollbench PORT=18481 PAR=64
#        FLOORS=0 skips the floors; DAEMON=1 adds the daemon cycle (DAEMON_BIN: another binary)
# BUILD_DIR needs: cmake -DREELFEED_BUILD_BENCH=ON, targets reelfeed fetch_*_bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build-bench}" && pwd)
FEEDS=${FEEDS:-1000}
CORPUS=${CORPUS:-/tmp/rf-corpus-recent-$FEEDS}
WORK=${WORK:-/tmp/rf-pollbench}
PORT=${PORT:-18481}
PAR=${PAR:-64}
BIN=$BUILD/reelfeed
BENCH=$BUILD/tests/bench
mkdir -p "$WORK"
[ -f "$CORPUS/list.txt" ] ||
  python3 "$ROOT/../shared/bench/gen_corpus.py" --recent --out "$CORPUS" --feeds "$FEEDS" --port "$PORT"
sed "s|^|http://127.0.0.1:$PORT/|" "$CORPUS/list.txt" >"$WORK/urls.txt"

write_nginx_conf() { # $1 = on: validators honoured; off: always 200
  local etag=on ims=exact
  if [ "$1" = off ]; then etag=off ims=off; fi
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
  keepalive_requests 100000;
  client_body_temp_path $WORK/tmp-body;
  proxy_temp_path $WORK/tmp-proxy;
  fastcgi_temp_path $WORK/tmp-fcgi;
  uwsgi_temp_path $WORK/tmp-uwsgi;
  scgi_temp_path $WORK/tmp-scgi;
  types { application/rss+xml xml; }
  server {
    listen 127.0.0.1:$PORT;
    root $CORPUS;
    etag $etag;
    if_modified_since $ims;
  }
}
CONF
}

stop_nginx() {
  if [ -f "$WORK/nginx.pid" ]; then
    local pid
    pid=$(cat "$WORK/nginx.pid")
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rm -f "$WORK/nginx.pid"
  fi
}

start_nginx() {
  stop_nginx
  write_nginx_conf "$1"
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  local first
  first=$(head -1 "$WORK/urls.txt")
  for _ in $(seq 100); do
    curl -fso /dev/null "$first" && return 0
    sleep 0.05
  done
  echo "nginx did not come up" >&2
  exit 1
}
trap stop_nginx EXIT

# The reelfeed config: one source per feed. All feeds share one host here, so the
# per-host limit is raised to the global one (real sources are spread over many hosts).
{
  echo "include = [\"$ROOT/config/topics/ai-hollywood.toml\"]"
  echo "[storage]"
  echo "path = \"$WORK/poll.db\""
  echo "[poll]"
  echo "max_concurrent = $PAR"
  echo "max_per_host = $PAR"
  n=0
  while read -r url; do
    n=$((n + 1))
    printf '[[source]]\nname = "feed-%04d"\nurl = "%s"\n' "$n" "$url"
  done <"$WORK/urls.txt"
} >"$WORK/reelfeed.toml"
"$BIN" check-config -c "$WORK/reelfeed.toml" >/dev/null

timed() { # $1 = label; rest = command. Prints one line like the floors do.
  local label=$1
  shift
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" ||
    echo "($label exited $?)" >&2
  awk -v l="$label" '
    /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); w = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
    /User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { m = $NF }
    END { printf "cycle=%s wall_s=%.2f cpu_s=%.2f maxrss_mib=%.1f\n", l, w, u + s, m / 1024 }' "$WORK/time.txt"
}

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
echo "# reelfeed poll cycles ($(grep -c . "$WORK/urls.txt") feeds, $(du -sh "$CORPUS/feeds" | cut -f1)," \
  "build ${build_type:-?}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
rm -f "$WORK"/poll.db*
start_nginx on
timed cold "$BIN" poll -c "$WORK/reelfeed.toml"
start_nginx off
timed redownload "$BIN" poll -c "$WORK/reelfeed.toml"
start_nginx on
timed warm "$BIN" poll -c "$WORK/reelfeed.toml"
for c in cold redownload warm; do
  echo "  $c log lines: $(grep -c . "$WORK/$c.err" || true); last: $(tail -1 "$WORK/$c.err" | cut -c1-160)"
done

daemon_cycle() { # $1 = reelfeed binary
  local bin=$1 db="$WORK/daemon.db" n pid hwm=? t0
  rm -f "$db"*
  sed "s|^path = .*|path = \"$db\"|" "$WORK/reelfeed.toml" >"$WORK/daemon.toml"
  printf '[server]\nlisten = "127.0.0.1:%s"\n' "$((PORT + 1))" >>"$WORK/daemon.toml"
  n=$(grep -c . "$WORK/urls.txt")
  start_nginx on
  t0=$(date +%s.%N)
  "$bin" run -c "$WORK/daemon.toml" >/dev/null 2>"$WORK/daemon.err" &
  pid=$!
  for _ in $(seq 6000); do # up to 10 minutes
    [ "$(grep -cE '^[a-z]+ (fetched|unchanged|not_modified|fetch_failed) ' "$WORK/daemon.err")" -ge "$n" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  echo "cycle=daemon-first wall_s=$(echo "$(date +%s.%N) - $t0" | bc) polled=$(grep -cE '^[a-z]+ (fetched|unchanged|not_modified|fetch_failed) ' "$WORK/daemon.err") vmhwm_mib=$(echo "scale=1; ${hwm:-0} / 1024" | bc) binary=$bin"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || echo "(daemon exited $?)" >&2
  sqlite3 "$db" "WITH d AS (SELECT json_extract(status, '$.next_due') AS t FROM sources
                          WHERE json_extract(status, '$.last_success') > 0),
    s AS (SELECT count(*) AS n FROM d GROUP BY t), m AS (SELECT count(*) AS n FROM d GROUP BY t / 60)
    SELECT 'next polls: sources=' || (SELECT count(*) FROM d) ||
           ' over_s=' || (SELECT max(t) - min(t) FROM d) ||
           ' busiest_second=' || (SELECT max(n) FROM s) ||
           ' busiest_minute=' || (SELECT max(n) FROM m)"
  rm -f "$db"*
}
if [ "${DAEMON:-0}" = 1 ]; then
  daemon_cycle "${DAEMON_BIN:-$BIN}"
fi
[ "${FLOORS:-1}" = 0 ] && exit 0

echo "# floors (same run, same server; load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$BENCH/fetch_curl_floor_bench" "$WORK/urls.txt" "$PAR" --record-etags "$WORK/etags.tsv"
"$BENCH/fetch_curl_floor_bench" "$WORK/urls.txt" "$PAR" --send-etags "$WORK/etags.tsv"
"$BENCH/fetch_fetcher_bench" "$WORK/urls.txt" "$PAR"
"$BENCH/fetch_fetcher_bench" "$WORK/urls.txt" "$PAR" --send-etags "$WORK/etags.tsv"
"$BENCH/fetch_pugixml_floor_bench" "$CORPUS"
"$BENCH/fetch_sqlite_floor_bench" "$CORPUS" "$WORK/floor.db"
rm -f "$WORK"/floor.db*
