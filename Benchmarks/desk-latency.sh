#!/usr/bin/env bash
# The desk's pages on ten fiscal years of generated history (about 3,000 consultations and
# 50,000 activities): latency of the triage queue, case and engagement pages, the triage form
# and the annual report,
# one request at a time as a desk officer sees them. Prints p50/p95/p99; asserts nothing.
# Usage: Benchmarks/desk-latency.sh [PATH/TO/kakehashi] [DATABASE_URL]
#   e.g. swift build -c release && Benchmarks/desk-latency.sh .build/release/kakehashi
set -euo pipefail
BIN=${1:-.build/release/kakehashi}
DB_URL=${2:-}
WORK=$(mktemp -d /tmp/kakehashi-desk-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ARGS=(--data-dir "$WORK/data")
[ -n "$DB_URL" ] && ARGS+=(--database-url "$DB_URL")

START=$(date +%s)
"$BIN" serve --demo --demo-years 10 --port "$PORT" "${ARGS[@]}" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do grep -q "listening on" "$WORK/serve.log" && break; kill -0 $PID || { cat "$WORK/serve.log"; exit 1; }; sleep 0.5; done
echo "engine: $([ -n "$DB_URL" ] && echo postgres || echo sqlite)   binary: $BIN"
echo "ten years generated and served after (s): $(( $(date +%s) - START ))"
echo "RSS (MiB): $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$PID/status)"

python3 - "$PORT" <<'PY'
import http.client, re, sys, time, urllib.parse, datetime
port = int(sys.argv[1])
conn = http.client.HTTPConnection("127.0.0.1", port)
cookies = {}
def request(method, path, body=None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read().decode()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            k, v = value.split(";")[0].split("=", 1)
            cookies[k] = v
    return response.status, data
_, page = request("GET", "/signin")
csrf = re.search(r'name="_csrf" value="([^"]*)"', page).group(1)
request("POST", "/signin", {"_csrf": csrf, "login": "desk", "password": "kakehashi-demo"})
# Old engagements carry the longest activity logs.
engagements = [f"/desk/engagements/demo-e-{k}" for k in range(2999, 1500, -1)]
engagements = [p for p in engagements[:400] if request("GET", p)[0] == 200][:20]
today = datetime.date.today()
last_fy = (today.year - 1) if today.month >= 4 else (today.year - 2)
def measure(name, paths, n):
    times = []
    for i in range(n):
        start = time.perf_counter()
        status, _ = request("GET", paths[i % len(paths)])
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, (paths[i % len(paths)], status)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{name:44s} n={n:4d}  p50 {pick(0.5):7.1f} ms  p95 {pick(0.95):7.1f} ms  p99 {pick(0.99):7.1f} ms")
measure("GET /desk/consultations (the queue)", ["/desk/consultations"], 200)
measure("GET /desk/consultations?state= (all, page 1)", ["/desk/consultations?state="], 200)
measure("GET /desk/consultations?q=オンライン&state=", ["/desk/consultations?q=%E3%82%AA%E3%83%B3%E3%83%A9%E3%82%A4%E3%83%B3&state="], 100)
measure("GET /desk/engagements/{id} (20 long ones)", engagements, 200)
# The case page compares the case with the 400 most recent ones (similar cases); so does triage.
cases = [f"/desk/consultations/demo-c-{k}" for k in range(10, 30)]
measure("GET /desk/consultations/{id} (with similar)", cases, 200)
queued = [p for p in (f"/desk/consultations/demo-c-{k}/decision" for k in range(6, 60)) if request("GET", p)[0] == 200][:10]
measure("GET .../decision (triage form, similar)", queued, 100)
measure(f"GET /desk/reports?year={last_fy} (annual report)", [f"/desk/reports?year={last_fy}"], 50)
measure(f"GET /desk/reports.csv?year={last_fy}", [f"/desk/reports.csv?year={last_fy}"], 50)
PY
echo "RSS after (MiB): $(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$PID/status)"
