#!/usr/bin/env bash
# Fuzzes /api/v1 of a real `kakehashi serve --demo` with Schemathesis against our own
# openapi.yaml, with a desk officer's bearer token (and the Portfolio operations again with a platform
# engineer's): every operation, no 5xx, only documented
# status codes, bodies and headers valid against the spec, 405 for undeclared methods.
# Usage: Tests/api/run-schemathesis.sh PATH/TO/kakehashi [DATABASE_URL] [MAX_EXAMPLES]
set -euo pipefail
BIN=${1:?path to the kakehashi binary}
DB_URL=${2:-}
EXAMPLES=${3:-25}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/kakehashi-fuzz.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ARGS=(--data-dir "$WORK/data")
if [ -n "$DB_URL" ]; then
  DB_NAME="fuzz_$(date +%s)_$$"
  psql "$DB_URL" -qc "CREATE DATABASE $DB_NAME" >/dev/null
  ARGS+=(--database-url "${DB_URL%/*}/$DB_NAME")
fi
"$BIN" serve --demo --port "$PORT" "${ARGS[@]}" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do grep -q "listening on" "$WORK/serve.log" && break; kill -0 $PID || { cat "$WORK/serve.log"; exit 1; }; sleep 0.5; done
TOKEN=$("$BIN" token create --login desk "${ARGS[@]}" | tail -1 | awk '{print $NF}')
cd "$WORK"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method
# One Schemathesis run; run again once when it stopped only on its own internal error ("Runtime
# Error", a CPython AST bug met in its coverage phase) and found no failure. One worker: the bug is a
# race between threads compiling at once (it came back on retry with two workers).
fuzz() {
  local out="$WORK/fuzz.out" status=0
  schemathesis --config-file "$HERE/schemathesis.toml" run "http://127.0.0.1:$PORT/api/openapi.yaml" "$@" \
    --checks "$CHECKS" --max-examples "$EXAMPLES" --no-color >"$out" 2>&1 || status=$?
  cat "$out"
  if [ "$status" != 0 ] && grep -q "Runtime Error" "$out" && ! grep -qE "FAILURES|❌" "$out"; then
    echo "Schemathesis stopped on its own runtime error; running it once more"
    schemathesis --config-file "$HERE/schemathesis.toml" run "http://127.0.0.1:$PORT/api/openapi.yaml" "$@" \
      --checks "$CHECKS" --max-examples "$EXAMPLES" --no-color
    return
  fi
  return "$status"
}
fuzz -H "Authorization: Bearer $TOKEN" --workers 1 --seed 20261122
# The catalog's writes belong to platform engineers: the Portfolio operations again with one's token.
PLATFORM=$("$BIN" token create --login platform "${ARGS[@]}" | tail -1 | awk '{print $NF}')
fuzz -H "Authorization: Bearer $PLATFORM" --include-tag Portfolio --workers 1 --seed 20261123
if grep -q "internal error" "$WORK/serve.log"; then
  echo "FUZZ FAIL: the server logged internal errors"; grep "internal error" "$WORK/serve.log" | head -20; exit 1
fi
