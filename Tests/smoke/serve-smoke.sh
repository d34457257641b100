#!/usr/bin/env bash
# Runs `kakehashi serve --demo` for real (a socket, a data directory, signals) and checks
# what a newcomer and an operator would: health, sign-in, a page, the API, `user add` while
# the server runs, `audit verify`, and that SIGTERM exits 0.
# Usage: Tests/smoke/serve-smoke.sh PATH/TO/kakehashi [DATABASE_URL]
set -euo pipefail
BIN=${1:?path to the kakehashi binary}
DB_URL=${2:-}
WORK=$(mktemp -d /tmp/kakehashi-smoke.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ARGS=(--data-dir "$WORK/data")
if [ -n "$DB_URL" ]; then
  # A fresh database on the test server, so the demo loads from empty.
  DB_NAME="smoke_$(date +%s)_$$"
  psql "$DB_URL" -qc "CREATE DATABASE $DB_NAME" >/dev/null
  ARGS+=(--database-url "${DB_URL%/*}/$DB_NAME")
fi
fail() { echo "SMOKE FAIL: $*"; cat "$WORK/serve.log" || true; kill "$PID" 2>/dev/null || true; exit 1; }

"$BIN" serve --demo --port "$PORT" "${ARGS[@]}" >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  grep -q "listening on" "$WORK/serve.log" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || fail "server exited early"
  sleep 0.5
done
grep -q "listening on http://127.0.0.1:$PORT" "$WORK/serve.log" || fail "no URL printed"
grep -q "admin" "$WORK/serve.log" || fail "demo accounts not printed"

[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] || fail "/healthz"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz")" = 200 ] || fail "/readyz"

JAR="$WORK/jar"
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$BASE/signin" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
[ -n "$CSRF" ] || fail "no CSRF token on the sign-in page"
LOC=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' --data-urlencode "_csrf=$CSRF" \
  --data-urlencode "login=admin" --data-urlencode "password=kakehashi-demo" "$BASE/signin")
case "$LOC" in */home) ;; *) fail "sign-in redirected to '$LOC'";; esac
# Whole bodies first: `curl | grep -q` fails under pipefail when grep stops reading early.
contains() { grep -qF "$2" <<<"$1"; }
contains "$(curl -s -b "$JAR" "$BASE/t/tokyo/directory")" "デジタルサービス局" || fail "directory page"
contains "$(curl -s -b "$JAR" "$BASE/tenants?page=2")" "小笠原村" || fail "tenant list lacks the 62 municipalities"

# Operator commands against the running server's database.
echo "another-long-password" | "$BIN" user add --login smoke-user --name "煙 試験" --tenant 131016 --role requester --password-stdin "${ARGS[@]}" >/dev/null \
  || fail "user add while serving"
TOKEN=$("$BIN" token create --login smoke-user "${ARGS[@]}")
contains "$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me")" "smoke-user" || fail "API with a created token"
contains "$("$BIN" user deactivate --login smoke-user "${ARGS[@]}")" "deactivated smoke-user" || fail "user deactivate"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me")" = 401 ] \
  || fail "a deactivated person's token still works"
contains "$("$BIN" audit verify "${ARGS[@]}")" "intact" || fail "audit verify"
contains "$(curl -s -b "$JAR" "$BASE/portfolio")" "財務会計システム" || fail "system catalog"

# The wave planner: a plan for the example, exit 2 for an input no plan can repair.
HERE_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
contains "$("$BIN" plan-waves --input "$HERE_ROOT/Tests/fixtures/plan.json" --seconds 1)" '"feasible":true' || fail "plan-waves"
echo '{"waves": 2, "resources": {}, "systems": [{"id": "A", "fixedWave": 5}], "interfaces": []}' >"$WORK/bad-plan.json"
"$BIN" plan-waves --input "$WORK/bad-plan.json" >/dev/null 2>&1 && PLAN=0 || PLAN=$?
[ "$PLAN" = 2 ] || fail "plan-waves on a broken input exited $PLAN, not 2"

# The baseline check: exit 1 with failures, 0 on a clean file, 2 on a usage error; broken files
# reported and the run going on; every format the same twice; SARIF and JUnit well formed.
FIX="$HERE_ROOT/Tests/fixtures/baseline"
"$BIN" check "$FIX" --today 2026-11-23 --exceptions "$FIX/exceptions.yaml" >"$WORK/check1.json" && CHECK=0 || CHECK=$?
[ "$CHECK" = 1 ] || fail "check on the fixtures exited $CHECK, not 1"
contains "$(cat "$WORK/check1.json")" '"status":"excepted"' || fail "check: the exception"
contains "$(cat "$WORK/check1.json")" '"file":"'"$FIX"'/broken.json"' || fail "check: the broken file reported"
"$BIN" check "$FIX" --today 2026-11-23 --exceptions "$FIX/exceptions.yaml" >"$WORK/check2.json" || true
cmp -s "$WORK/check1.json" "$WORK/check2.json" || fail "check: the same input gave different output"
"$BIN" check "$FIX" --format sarif --lang en >"$WORK/check.sarif" || true
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['version']=='2.1.0' and d['runs'][0]['results']" "$WORK/check.sarif" || fail "check: SARIF"
"$BIN" check "$FIX" --format junit >"$WORK/check.xml" || true
python3 -c "import sys, xml.etree.ElementTree as E; assert E.parse(sys.argv[1]).getroot().tag == 'testsuites'" "$WORK/check.xml" || fail "check: JUnit"
"$BIN" check "$FIX/design.yaml" >/dev/null && CLEAN=0 || CLEAN=$?
[ "$CLEAN" = 0 ] || fail "check on a clean design record exited $CLEAN"
"$BIN" check "$WORK/no-such-file.yaml" >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "check on a missing path exited $USAGE, not 2"
"$BIN" check "$FIX" --baseline no-such-baseline >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "check with an unknown baseline exited $USAGE, not 2"
printf 'exceptions:\n  - {id: x, control: C, reason: r, approver: a, expires: 2027-02-30}\n' >"$WORK/bad-exceptions.yaml"
"$BIN" check "$FIX" --exceptions "$WORK/bad-exceptions.yaml" >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "check with a broken exceptions file exited $USAGE, not 2"
"$BIN" check "$FIX" --no-such-option >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "check with an unknown option exited $USAGE, not 2"
"$BIN" user add --login x >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "user add without its required options exited $USAGE, not 2"
"$BIN" check --help >/dev/null 2>&1 || fail "check --help did not exit 0"

# From a pipeline: --upload sends the files to the running server (exit still 1 for the findings, the run
# stored as the system's newest); 3 when the server refuses; 2 when --system or the token is missing.
PLATFORM_TOKEN=$("$BIN" token create --login platform "${ARGS[@]}")
SYSTEM=demo-sys-tokyo-cmn-001
KAKEHASHI_TOKEN=$PLATFORM_TOKEN "$BIN" check "$FIX/web-app.yaml" --upload "$BASE" --system "$SYSTEM" >/dev/null 2>"$WORK/upload.err" \
  && UPLOAD=0 || UPLOAD=$?
[ "$UPLOAD" = 1 ] || { cat "$WORK/upload.err"; fail "check --upload exited $UPLOAD, not 1"; }
contains "$(cat "$WORK/upload.err")" "uploaded 1 files" || fail "check --upload did not say what it sent"
FILES=$(curl -s -H "Authorization: Bearer $PLATFORM_TOKEN" "$BASE/api/v1/systems/$SYSTEM/baseline/files")
contains "$FILES" "web-app.yaml" || fail "the uploaded file is not the system's"
KAKEHASHI_TOKEN=not-a-token "$BIN" check "$FIX/web-app.yaml" --upload "$BASE" --system "$SYSTEM" >/dev/null 2>&1 && UPLOAD=0 || UPLOAD=$?
[ "$UPLOAD" = 3 ] || fail "check --upload with a bad token exited $UPLOAD, not 3"
KAKEHASHI_TOKEN=$PLATFORM_TOKEN "$BIN" check "$FIX/web-app.yaml" --upload "$BASE" >/dev/null 2>&1 && UPLOAD=0 || UPLOAD=$?
[ "$UPLOAD" = 2 ] || fail "check --upload without --system exited $UPLOAD, not 2"
env -u KAKEHASHI_TOKEN "$BIN" check "$FIX/web-app.yaml" --upload "$BASE" --system "$SYSTEM" >/dev/null 2>&1 && UPLOAD=0 || UPLOAD=$?
[ "$UPLOAD" = 2 ] || fail "check --upload without KAKEHASHI_TOKEN exited $UPLOAD, not 2"
KAKEHASHI_TOKEN=$PLATFORM_TOKEN "$BIN" check "$FIX/web-app.yaml" --upload "ftp://$SYSTEM" --system "$SYSTEM" >/dev/null 2>&1 \
  && UPLOAD=0 || UPLOAD=$?
[ "$UPLOAD" = 2 ] || fail "check --upload to an address that is not http(s) exited $UPLOAD, not 2"

# The procurement commands: exit 1 with high findings, 2 on an unreadable file; the same bytes twice.
SAMPLES="$HERE_ROOT/Sources/KakehashiServer/Resources/Procurement/Samples"
"$BIN" review-spec "$SAMPLES/spec-reservation.md" --format json >"$WORK/spec1.json" && SPEC=0 || SPEC=$?
[ "$SPEC" = 1 ] || fail "review-spec on the sample exited $SPEC, not 1"
contains "$(cat "$WORK/spec1.json")" '"rule" : "spec.competition.brand"' || fail "review-spec: the named product"
"$BIN" review-spec "$SAMPLES/spec-reservation.md" --format json >"$WORK/spec2.json" || true
cmp -s "$WORK/spec1.json" "$WORK/spec2.json" || fail "review-spec: the same input gave different output"
contains "$("$BIN" check-estimate "$SAMPLES/estimate-reservation.csv" --lang en || true)" "To ask the vendor" || fail "check-estimate: questions"
printf 'not a zip' >"$WORK/broken.xlsx"
"$BIN" check-estimate "$WORK/broken.xlsx" >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "check-estimate on a broken file exited $USAGE, not 2"
"$BIN" review-spec "$WORK/no-such-spec.docx" >/dev/null 2>&1 && USAGE=0 || USAGE=$?
[ "$USAGE" = 2 ] || fail "review-spec on a missing file exited $USAGE, not 2"

kill -TERM "$PID"
wait "$PID" && STATUS=0 || STATUS=$?
[ "$STATUS" = 0 ] || fail "SIGTERM exit status $STATUS"
echo "smoke passed ($([ -n "$DB_URL" ] && echo postgres || echo sqlite))"
rm -rf "$WORK"
