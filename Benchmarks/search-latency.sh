#!/usr/bin/env bash
# Search on a large generated corpus: index build time, then p50/p95 of /api/v1/search for
# 1-, 2-, 3- and 6-character queries and multi-term queries (as a desk officer, who reads
# everything), beside a Redmine-style `LIKE '%q%'` scan over the same documents.
# Usage: Benchmarks/search-latency.sh PATH/TO/kakehashi [DATABASE_URL] [DOCUMENTS]
set -euo pipefail
BIN=${1:-.build/release/kakehashi}
DB_URL=${2:-}
DOCS=${3:-300000}
WORK=$(mktemp -d /tmp/kakehashi-search-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ARGS=(--data-dir "$WORK/data")
[ -n "$DB_URL" ] && ARGS+=(--database-url "$DB_URL")
serve() {
  "$BIN" serve --port "$PORT" "${ARGS[@]}" "$@" >>"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.5; done
}
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
serve --demo; kill $PID; wait $PID 2>/dev/null || true; : >"$WORK/serve.log"
START=$(date +%s.%N)
"$BIN" search demo-corpus --documents "$DOCS" "${ARGS[@]}"
echo "engine: $([ -n "$DB_URL" ] && echo postgres || echo sqlite); index build for $DOCS documents (s): $(python3 -c "print(round($(date +%s.%N) - $START, 1))")"
serve
TOKEN=$("$BIN" token create --login desk "${ARGS[@]}" | tail -1 | awk '{print $NF}')
python3 - "$PORT" "$TOKEN" "$WORK/data/kakehashi.sqlite" "$DB_URL" <<'PY'
import http.client, json, sqlite3, subprocess, sys, time, urllib.parse
port, token, sqlite_path, db_url = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)
classes = {
    "1 character": ["局", "課", "書"], "2 characters": ["伴走", "仕様", "窓口"], "3 characters": ["見積書", "予約制", "成果物"],
    "6 characters": ["クラウド利用", "利用者テスト", "セキュリティ"], "several terms": ["仕様書 事業者", "窓口 予約 導入", "AWS 請求"],
}
def pct(values, q): return sorted(values)[min(len(values) - 1, int(q * len(values)))]
def like_time(q):
    words = q.split()
    if db_url:
        where = " AND ".join("(d.title LIKE '%%%s%%' OR d.body LIKE '%%%s%%')" % (w, w) for w in words)
        sql = f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT d.id FROM search_documents d WHERE {where} ORDER BY d.updated_at DESC LIMIT 20"
        out = subprocess.run(["psql", db_url, "-Atc", sql], capture_output=True, text=True, check=True).stdout
        count = f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT COUNT(*) FROM search_documents d WHERE {where}"
        out2 = subprocess.run(["psql", db_url, "-Atc", count], capture_output=True, text=True, check=True).stdout
        return json.loads(out)[0]["Execution Time"] + json.loads(out2)[0]["Execution Time"]
    db = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    where = " AND ".join("(title LIKE ? OR body LIKE ?)" for _ in words)
    binds = [x for w in words for x in (f"%{w}%", f"%{w}%")]
    start = time.perf_counter()
    db.execute(f"SELECT id FROM search_documents WHERE {where} ORDER BY updated_at DESC LIMIT 20", binds).fetchall()
    db.execute(f"SELECT COUNT(*) FROM search_documents WHERE {where}", binds).fetchone()
    return (time.perf_counter() - start) * 1000
print(f"{'query class':16s} {'search p50':>11s} {'p95':>8s} {'LIKE p50':>10s} {'p95':>8s}  hits (total) per query")
for name, queries in classes.items():
    times, likes, totals = [], [], []
    for q in queries:
        path = "/api/v1/search?limit=20&q=" + urllib.parse.quote(q)
        for i in range(40):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            body = conn.getresponse().read()
            times.append((time.perf_counter() - start) * 1000)
        totals.append(json.loads(body)["total"])
        for i in range(3):
            likes.append(like_time(q))
    print(f"{name:16s} {pct(times, .5):8.1f} ms {pct(times, .95):5.1f} ms {pct(likes, .5):7.1f} ms {pct(likes, .95):5.1f} ms  {totals}")
PY
