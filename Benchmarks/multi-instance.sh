#!/usr/bin/env bash
# Several instances on one PostgreSQL behind nginx: throughput and latency at one and at two
# instances, a fault run that SIGKILLs one instance mid-load and restarts it (every write
# acknowledged with 2xx must be in the database exactly once), and sessions that work on
# either instance. Prints numbers; exits non-zero if a write is lost or duplicated.
# Usage: Benchmarks/multi-instance.sh PATH/TO/kakehashi [SECONDS_PER_RUN] [CLIENTS]
#   CI runs a short form: Benchmarks/multi-instance.sh "$BIN" 8 8
set -euo pipefail
BIN=${1:?path to the kakehashi binary}
SECONDS_PER_RUN=${2:-30}
CLIENTS=${3:-16}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/kakehashi-multi.XXXXXX)
PG_DIR=$(mktemp -d /tmp/kakehashi-multi-pg.XXXXXX)  # its own: the postgres user must reach it
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port); PORT_A=$(free_port); PORT_B=$(free_port); PORT_LB=$(free_port)

command -v nginx >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq nginx >/dev/null; }
eval "$("$ROOT/scripts/postgres-test-server.sh" start "$PG_DIR" "$PG_PORT")"
DB_URL=$TEST_DATABASE_URL
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  "$ROOT/scripts/postgres-test-server.sh" stop "$PG_DIR" 2>/dev/null || true
  rm -rf "$WORK" "$PG_DIR"
}
trap cleanup EXIT

start_instance() {  # port, extra args; prints the pid
  "$BIN" serve --port "$1" --data-dir "$WORK/data" --database-url "$DB_URL" "${@:2}" >>"$WORK/serve-$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 240); do grep -q "listening on" "$WORK/serve-$1.log" 2>/dev/null && break; sleep 0.25; done
  grep -q "listening on" "$WORK/serve-$1.log" || { cat "$WORK/serve-$1.log"; exit 1; }
  echo $pid
}
: >"$WORK/serve-$PORT_A.log"; : >"$WORK/serve-$PORT_B.log"
PID_A=$(start_instance "$PORT_A" --demo); PIDS+=("$PID_A")
PID_B=$(start_instance "$PORT_B"); PIDS+=("$PID_B")

mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  client_max_body_size 50m;
  upstream kakehashi { server 127.0.0.1:$PORT_A max_fails=1 fail_timeout=2s; server 127.0.0.1:$PORT_B max_fails=1 fail_timeout=2s; keepalive 32; }
  server {
    listen 127.0.0.1:$PORT_LB;
    location / {
      proxy_pass http://kakehashi; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$remote_addr;
      # A write is never sent twice: only safe methods move to the other instance on failure.
      proxy_next_upstream error timeout;
    }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx"
for _ in $(seq 1 40); do [ -f "$WORK/nginx.pid" ] && break; sleep 0.1; done

TOKEN=$("$BIN" token create --login desk --data-dir "$WORK/data" --database-url "$DB_URL" | tail -1 | awk '{print $NF}')
echo "instances: $PORT_A, $PORT_B behind nginx :$PORT_LB; PostgreSQL :$PG_PORT; ${SECONDS_PER_RUN}s per run, $CLIENTS clients"

export WORK BIN DB_URL TOKEN PORT_A PORT_B PORT_LB PID_B SECONDS_PER_RUN CLIENTS
python3 "$ROOT/Benchmarks/multi_instance_load.py"
