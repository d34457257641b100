"""Load client for Benchmarks/multi-instance.sh (reads its settings from the environment).
Each client signs in once, then loops over a mix: the triage queue, a text search of the
list, a case page, an API list, and an API write (a new consultation with a unique title)."""
import atexit
import http.client
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import urllib.parse

WORK, BIN, DB_URL, TOKEN = os.environ["WORK"], os.environ["BIN"], os.environ["DB_URL"], os.environ["TOKEN"]
PORT_A, PORT_B, PORT_LB = (int(os.environ[k]) for k in ("PORT_A", "PORT_B", "PORT_LB"))
SECONDS, CLIENTS = int(os.environ["SECONDS_PER_RUN"]), int(os.environ["CLIENTS"])
SEARCHES = ["オンライン", "申請", "システム", "窓口", "DX", "局"]


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connect()

    def connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.connect()
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                k, v = value.split(";")[0].split("=", 1)
                self.cookies[k] = v
        return response.status, data

    def sign_in(self, login="desk"):
        _, page = self.request("GET", "/signin")
        csrf = re.search(rb'name="_csrf" value="([^"]*)"', page).group(1).decode()
        body = urllib.parse.urlencode({"_csrf": csrf, "login": login, "password": "kakehashi-demo"})
        status, _ = self.request("POST", "/signin", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status in (302, 303), status


def run(name, port, seconds, fault=None):
    latencies, statuses, acked, errors, writes = [], {}, [], [0], [0]
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker(w):
        client = Client(port)
        for attempt in range(20):
            try:
                client.sign_in()
                break
            except Exception:
                time.sleep(0.25)
        rng = random.Random(w)
        n = 0
        while time.time() < stop:
            n += 1
            r = rng.random()
            title = None
            try:
                start = time.perf_counter()
                if r < 0.40:
                    status, _ = client.request("GET", "/desk/consultations")
                elif r < 0.55:
                    q = urllib.parse.quote(rng.choice(SEARCHES))
                    status, _ = client.request("GET", f"/desk/consultations?state=&q={q}")
                elif r < 0.70:
                    status, _ = client.request("GET", f"/desk/consultations/demo-c-{rng.randrange(6, 255)}")
                elif r < 0.80:
                    status, _ = client.request("GET", "/api/v1/consultations?limit=20", headers={"Authorization": f"Bearer {TOKEN}"})
                else:
                    title = f"負荷試験 {name} {w}-{n}"
                    with lock:
                        writes[0] += 1
                    body = json.dumps({"title": title, "phase": "concept", "summary": "複数インスタンスの負荷試験", "supportKinds": ["dxAdvice"]})
                    status, data = client.request("POST", "/api/v1/consultations", body,
                                                  {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
                elapsed = (time.perf_counter() - start) * 1000
            except Exception:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if title and 200 <= status < 300:
                    acked.append((json.loads(data)["id"], title))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(CLIENTS)]
    began = time.time()
    for t in threads:
        t.start()
    if fault:
        fault(began)
    for t in threads:
        t.join()
    took = time.time() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0
    print(f"{name:28s} {len(latencies) / took:8.1f} req/s  p50 {pick(0.5):6.1f} ms  p95 {pick(0.95):6.1f} ms  p99 {pick(0.99):6.1f} ms"
          f"  writes acked {len(acked):5d} of {writes[0]:5d}  statuses {dict(sorted(statuses.items()))}  connection errors {errors[0]}")
    return acked, statuses, writes[0]


def kill_and_restart(began):
    """SIGKILL instance B a third of the way in; start it again two seconds later."""
    time.sleep(max(0, began + SECONDS / 3 - time.time()))
    os.kill(int(os.environ["PID_B"]), signal.SIGKILL)
    print(f"  killed instance :{PORT_B} at {time.time() - began:.1f}s")
    time.sleep(2)
    log = open(f"{WORK}/serve-{PORT_B}.log", "ab")
    process = subprocess.Popen([BIN, "serve", "--port", str(PORT_B), "--data-dir", f"{WORK}/data", "--database-url", DB_URL],
                               stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        if b"listening on" in open(f"{WORK}/serve-{PORT_B}.log", "rb").read().split(b"killed")[-1][-4000:]:
            break
        time.sleep(0.1)
    print(f"  restarted instance :{PORT_B} at {time.time() - began:.1f}s (pid {process.pid})")
    os.environ["PID_B"] = str(process.pid)
    # The shell's cleanup knows only the pids it started: this one is stopped here.
    atexit.register(stop, process)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def psql(query):
    return subprocess.run(["psql", DB_URL, "-Atc", query], capture_output=True, text=True, check=True).stdout.split()


print("run                          throughput       latency (all requests)")
acked, attempted = [], 0
for label, port, fault in [("one instance (direct)", PORT_A, None), ("two instances (nginx)", PORT_LB, None),
                           ("two, one killed (nginx)", PORT_LB, kill_and_restart)]:
    run_acked, _, run_writes = run(label, port, SECONDS, fault=fault)
    acked += run_acked
    attempted += run_writes

found = set(psql("SELECT id FROM consultations WHERE title LIKE '負荷試験 %'"))
duplicates = psql("SELECT title FROM consultations WHERE title LIKE '負荷試験 %' GROUP BY title HAVING COUNT(*) > 1")
missing = [i for i, _ in acked if i not in found]
rate = len(acked) / attempted if attempted else 0
print(f"writes acknowledged: {len(acked)} of {attempted} ({rate:.1%}); found in the database: {len([i for i, _ in acked if i in found])}; "
      f"rows written in all: {len(found)}; missing: {len(missing)}; duplicated titles: {len(duplicates)}")
# Losing nothing is not enough: a server that acknowledges few writes has failed its users too.
if rate < 0.95:
    print(f"MULTI-INSTANCE FAIL: only {rate:.1%} of the writes were acknowledged (at least 95% must be)")

# A session started on one instance works on the other, and signing out ends it on both.
a, b = Client(PORT_A), Client(PORT_B)
a.sign_in("requester")
b.cookies = dict(a.cookies)
status, page = b.request("GET", "/home")
shared = status == 200 and "村上 健太" in page.decode()
csrf = re.search(rb'action="/signout"><input type="hidden" name="_csrf" value="([^"]*)"', page).group(1).decode()
b.request("POST", "/signout", urllib.parse.urlencode({"_csrf": csrf}), {"Content-Type": "application/x-www-form-urlencoded"})
status_after, _ = a.request("GET", "/home")
ended = status_after in (302, 303)
print(f"session from :{PORT_A} used on :{PORT_B}: {'ok' if shared else 'FAILED'}; signed out on :{PORT_B}, refused on :{PORT_A}: {'ok' if ended else 'FAILED'}")

if missing or duplicates or not shared or not ended or rate < 0.95:
    raise SystemExit("MULTI-INSTANCE FAIL")
