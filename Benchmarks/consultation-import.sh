#!/usr/bin/env bash
# The consultation import at size: a generated Shift_JIS ledger (ROWS rows, default 100,000; units,
# people and vocabulary of the demo, former staff, mixed date styles) sent to a real `serve --demo`
# through POST /api/v1/consultations/import — a dry run, a commit, and the same file again (which
# must update every case and add none). Prints rows/s for each and the server's peak resident
# memory; fails loudly on any error or a wrong count.
# Usage: Benchmarks/consultation-import.sh PATH/TO/kakehashi [DATABASE_URL] [ROWS]
set -euo pipefail
BIN=${1:?path to the kakehashi binary}
DB_URL=${2:-}
ROWS=${3:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../Tests/api/demo-server.sh
source "$HERE/../Tests/api/demo-server.sh"
start_demo_server "$BIN" "$DB_URL" importbench
TOKEN=$("$BIN" token create --login desk "${ARGS[@]}" | tail -1 | awk '{print $NF}')
python3 - "$WORK/ledger.csv" "$ROWS" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
units = ["政策企画局", "デジタルサービス局", "総務局", "生活文化局", "都市整備局", "千代田区"]
people = ["相談 花子", "退職 一郎", "異動 花子", "旧職員 三郎"]
phases = ["構想・計画", "要件定義", "調達", "設計・開発", "テスト", "運用"]
states = ["受付", "支援見送り", "取り下げ", "他窓口へ案内"]
with open(path, "w", encoding="cp932", newline="") as out:
    out.write("管理番号,受付日,件名,相談者,所属,工程,支援内容,状態,判断日,概要\r\n")
    for n in range(1, rows + 1):
        y, m, d = 2016 + n % 10, 1 + n % 12, 1 + n % 27
        era = f"令和{max(y - 2018, 1)}年{m}月{d}日" if y >= 2019 else f"平成{y - 1988}年{m}月{d}日"
        date = [f"{y}/{m}/{d}", era, f"{y:04d}-{m:02d}-{d:02d}"][n % 3]
        state = states[n % 4]
        decided = "" if state == "受付" else f"{y:04d}-{m:02d}-{min(d + 1, 28):02d}"
        out.write(f"B-{n},{date},業務システム更改の相談①（{n}）,{people[n % 4]},{units[n % 6]},{phases[n % 6]},"
                  f"\"仕様書チェック、ユーザーテスト支援\",{state},{decided},\"㈱サンプルとの契約、{n % 97}件目の確認\"\r\n")
PY
SIZE=$(stat -c %s "$WORK/ledger.csv")
run() {
  local dry=$1 out="$WORK/answer.json" start end code
  start=$(date +%s.%N)
  code=$(curl -s -o "$out" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" \
    --data-binary @"$WORK/ledger.csv" \
    "http://127.0.0.1:$PORT/api/v1/consultations/import?source=ledger&dryRun=$dry")
  end=$(date +%s.%N)
  [ "$code" = 200 ] || { echo "IMPORT FAIL: HTTP $code"; head -c 2000 "$out"; exit 1; }
  python3 - "$out" "$ROWS" "$dry" "$start" "$end" "$2" <<'PY'
import json, sys
answer, rows, dry = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
start, end, expect = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
if answer["issues"]:
    print("IMPORT FAIL:", answer["issues"][:5]); sys.exit(1)
created, updated = answer["created"], answer["updated"]
want = {"new": (rows, 0), "again": (0, rows)}[expect]
if (created, updated) != want or answer["cases"] != rows:
    print(f"IMPORT FAIL: {answer['cases']} cases, {created} new, {updated} updated; expected {want}")
    sys.exit(1)
seconds = end - start
step = "dry run" if dry == "true" else "commit"
print(f"{step:8} {rows:>7} rows  {seconds:7.2f} s  {rows / seconds:8.0f} rows/s  ({created} new, {updated} updated)")
PY
}
ENGINE=$([ -n "$DB_URL" ] && echo postgres || echo sqlite)
echo "consultation import: $ROWS rows, $(( SIZE / 1024 )) KiB of Shift_JIS, $ENGINE"
run true new
run false new
run false again
PEAK=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
echo "server peak resident memory: $(( PEAK / 1024 )) MiB"
COUNT=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/desk/reports/2020" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "FY2020 report total after the import: $COUNT"
