#!/usr/bin/env bash
# The SCIM conformance suite (scim2-tester through scim2-cli) against a real `kakehashi serve
# --demo`, on a fresh demo tenant (八王子市, 132012) with a token of its own: every check must pass.
# Usage: Tests/api/run-scim-conformance.sh PATH/TO/kakehashi [DATABASE_URL]
set -euo pipefail
BIN=${1:?path to the kakehashi binary}
DB_URL=${2:-}
# shellcheck source=demo-server.sh
source "$(cd "$(dirname "$0")" && pwd)/demo-server.sh"
start_demo_server "$BIN" "$DB_URL" scim
TOKEN=$("$BIN" scim-token create --tenant 132012 --name conformance "${ARGS[@]}" | tail -1)
START=$(date +%s%N)
set +e
SCIM_CLI_HEADERS="Authorization: Bearer $TOKEN" scim2 --url "http://127.0.0.1:$PORT/scim/v2/132012" test >"$WORK/scim.out" 2>&1
STATUS=$?
set -e
cat "$WORK/scim.out"
echo "scim conformance: exit $STATUS in $(( ($(date +%s%N) - START) / 1000000 )) ms"
# Its exit code, and the result lines too: no check other than SUCCESS, and some checks at all.
PASSED=$(grep -c "^SUCCESS" "$WORK/scim.out" || true)
OTHER=$(grep -cE "^(ERROR|CRITICAL|WARNING|FAIL)" "$WORK/scim.out" || true)
echo "scim conformance: $PASSED checks passed, $OTHER did not"
[ "$STATUS" = 0 ] && [ "$OTHER" = 0 ] && [ "$PASSED" -gt 0 ] || { echo "scim conformance failed"; exit 1; }
