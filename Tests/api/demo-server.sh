# Sourced by the API checks: `start_demo_server BIN DB_URL NAME` runs `kakehashi serve --demo` on a
# free port (on PostgreSQL, in a database of its own), waits until it listens and stops it on exit.
# Sets WORK (its scratch directory), PORT, ARGS (the data options other commands take) and PID.
start_demo_server() {
  local bin=$1 db_url=$2 name=$3
  WORK=$(mktemp -d "/tmp/kakehashi-$name.XXXXXX")
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ARGS=(--data-dir "$WORK/data")
  if [ -n "$db_url" ]; then
    local db_name="${name}_$(date +%s)_$$"
    psql "$db_url" -qc "CREATE DATABASE $db_name" >/dev/null
    ARGS+=(--database-url "${db_url%/*}/$db_name")
  fi
  "$bin" serve --demo --port "$PORT" "${ARGS[@]}" >"$WORK/serve.log" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
  for _ in $(seq 1 120); do
    grep -q "listening on" "$WORK/serve.log" && return 0
    kill -0 "$PID" || { cat "$WORK/serve.log"; exit 1; }
    sleep 0.5
  done
  echo "the demo server did not start"; cat "$WORK/serve.log"; exit 1
}
