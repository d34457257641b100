#!/usr/bin/env bash
# Fuzzes /api/v1 of a real `kakehashi serve --demo` with Schemathesis against our own
# openapi.yaml: every operation with a desk officer's bearer token, then the operations of each
# other role's work with that role's token (requester, specialist, platform engineer, tenant
# administrator, auditor, system administrator), following the spec's links from created records
# to their operations. No 5xx, only documented status codes, bodies and headers valid against the
# spec, 405 for undeclared methods.
# Usage: Tests/api/run-schemathesis.sh PATH/TO/kakehashi [DATABASE_URL] [MAX_EXAMPLES]
set -euo pipefail
BIN=${1:?path to the kakehashi binary}
DB_URL=${2:-}
EXAMPLES=${3:-25}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=demo-server.sh
source "$HERE/demo-server.sh"
start_demo_server "$BIN" "$DB_URL" fuzz
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
# Each other role on the operations of its own work, with fewer examples each.
ROLE_EXAMPLES=$(( EXAMPLES / 5 > 3 ? EXAMPLES / 5 : 3 ))
role() {
  local login=$1 seed=$2; shift 2
  local token
  token=$("$BIN" token create --login "$login" "${ARGS[@]}" | tail -1 | awk '{print $NF}')
  echo "--- as $login: $*"
  EXAMPLES=$ROLE_EXAMPLES fuzz -H "Authorization: Bearer $token" "$@" --workers 1 --seed "$seed"
}
role platform 20261123 --include-tag Portfolio --include-tag Baseline --include-tag Platform
role requester 20261124 --include-tag Desk --include-tag Knowledge --include-tag Directory
role pm 20261125 --include-tag Desk --include-tag Knowledge --include-tag Procurement
role chiyoda-admin 20261126 --include-tag Directory --include-tag Audit --include-tag Baseline
role auditor 20261127 --include-tag Audit --include-tag Reports --include-tag Directory
role admin 20261128 --include-tag Baseline --include-tag Reports --include-tag Platform
if grep -q "internal error" "$WORK/serve.log"; then
  echo "FUZZ FAIL: the server logged internal errors"; grep "internal error" "$WORK/serve.log" | head -20; exit 1
fi
