#!/usr/bin/env bash
# Measures a running `kakehashi serve --demo`: idle memory, then requests/s and latency of
# /healthz and of a signed-in page (the people list, 130 rows of the demo) with wrk on loopback.
# Bounded: each run lasts DURATION seconds (default 10). Prints numbers; asserts nothing.
# Usage: Benchmarks/http-load.sh [PATH/TO/kakehashi] [DATABASE_URL]
#   e.g. swift build -c release && Benchmarks/http-load.sh .build/release/kakehashi
set -euo pipefail
BIN=${1:-.build/release/kakehashi}
DB_URL=${2:-}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

WORK=$(mktemp -d /tmp/kakehashi-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ARGS=(--data-dir "$WORK/data")
[ -n "$DB_URL" ] && ARGS+=(--database-url "$DB_URL")

"$BIN" serve --demo --port "$PORT" "${ARGS[@]}" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 240); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.5; done
sleep 3
echo "engine: $([ -n "$DB_URL" ] && echo postgres || echo sqlite)   binary: $BIN"
echo "idle RSS after start (MiB): $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$PID/status)"

JAR="$WORK/jar"
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$BASE/signin" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "_csrf=$CSRF" --data-urlencode login=desk --data-urlencode password=kakehashi-demo "$BASE/signin"
SESSION=$(awk '$6 == "kkh_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "sign-in failed"; exit 1; }

run() {
  local name=$1; shift
  local out
  out=$(wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  printf '%-36s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
run "GET /healthz" "$BASE/healthz"
run "GET /t/tokyo/people (signed in)" -H "Cookie: kkh_session=$SESSION" "$BASE/t/tokyo/people"
run "GET /desk/consultations (queue)" -H "Cookie: kkh_session=$SESSION" "$BASE/desk/consultations"
run "GET /desk/engagements/demo-e-100" -H "Cookie: kkh_session=$SESSION" "$BASE/desk/engagements/demo-e-100"
run "GET /api/v1/calendar/holidays" "$BASE/api/v1/calendar/holidays?year=2026"
echo "RSS after load (MiB): $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$PID/status)"
