"""Surviving PostgreSQL: its postmaster killed with SIGKILL under four writers, on a server that
keeps fsync on. While it is away `/readyz` answers 503 within a second and requests fail fast
with a 503 problem; when it is back the pool reconnects by itself; no acknowledged write is lost
and none is duplicated; and SIGTERM with the database away still drains and exits in time."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import DATABASE_URL, ROOT, Server, free_port

pytestmark = pytest.mark.skipif(not DATABASE_URL, reason="a PostgreSQL server of its own (the PostgreSQL pass)")
SCRIPT = str(ROOT / "scripts" / "postgres-test-server.sh")
TITLE = "障害試験の相談"


class Postgres:
    """A durable PostgreSQL of this test's own, to kill and start again."""

    def __init__(self, directory):
        self.directory, self.port = directory, free_port()

    def run(self, command):
        out = subprocess.run(["bash", SCRIPT, command, self.directory, str(self.port)], capture_output=True,
                             text=True, env=dict(os.environ, PG_DURABLE="1"), timeout=180)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().split("=", 1)[-1]

    def kill(self):
        pid = int(Path(self.directory, "data", "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        os.kill(pid, signal.SIGKILL)
        # Its backends notice the postmaster gone and exit; the cluster starts again only then.
        deadline = time.time() + 30
        while time.time() < deadline and any(alive(child) for child in children):
            time.sleep(0.1)


def alive(pid):
    """Running, not a zombie left for an init that does not reap."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def timed(url, method="GET", body=None, token=None, timeout=30):
    """(status, seconds, body) of one request; status 0 when the connection failed."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, time.monotonic() - start, response.read()
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - start, error.read()
    except (urllib.error.URLError, ConnectionError, OSError):
        return 0, time.monotonic() - start, b""


def test_postmaster_killed_under_load_loses_and_duplicates_nothing():
    work = tempfile.mkdtemp(prefix="kakehashi-pgcrash-")
    os.chmod(work, 0o755)   # the server runs as `postgres` when the test runs as root
    postgres = Postgres(os.path.join(work, "pg"))
    url = postgres.run("start")
    server = Server(os.path.join(work, "data"), url).start()
    try:
        token = server.command("token", "create", "--login", "requester").stdout.strip().split()[-1]
        acknowledged, failures, every, unexpected = {}, [], [], []
        lock, stop = threading.Lock(), threading.Event()
        outage = threading.Event()

        def writer(worker):
            n = 0
            while not stop.is_set():
                n += 1
                title = f"{TITLE} {worker}-{n}"
                body = json.dumps({"title": title, "phase": "concept", "summary": "データベースを強制終了する試験",
                                   "supportKinds": ["dxAdvice"]}).encode()
                status, seconds, answer = timed(server.base + "/api/v1/consultations", "POST", body, token)
                with lock:
                    every.append((status, seconds))
                    if status not in (201, 503):
                        unexpected.append((status, answer[:300]))
                    if status == 201:
                        acknowledged[title] = json.loads(answer)["id"]
                    elif outage.is_set():
                        failures.append((status, seconds, answer))
                if status != 201:
                    time.sleep(0.05)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(3)
        postgres.kill()
        outage.set()
        probes = []
        for _ in range(6):
            status, seconds, _ = timed(server.base + "/readyz", timeout=10)
            probes.append((status, seconds))
            time.sleep(0.5)
        outage.clear()
        postgres.run("resume")
        back = time.monotonic()
        while timed(server.base + "/readyz", timeout=5)[0] != 200:
            assert time.monotonic() - back < 30, "the pool did not reconnect within 30 s"
            time.sleep(0.2)
        reconnect = time.monotonic() - back
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join()

        assert all(status == 503 and seconds < 1.0 for status, seconds in probes), probes
        assert failures, "no request was tried while the database was away"
        slowest = max(seconds for _, seconds, _ in failures)
        assert all(status == 503 for status, _, _ in failures), {status for status, _, _ in failures}
        assert all(b"database_unavailable" in answer for _, _, answer in failures)
        assert slowest < 5.0, f"a request waited {slowest:.1f} s for the database"
        # Nor did any request in flight when the server died hang, or fail with anything but 503.
        assert not unexpected, unexpected[:3]
        assert max(seconds for _, seconds in every) < 10, max(seconds for _, seconds in every)

        query = f"SELECT title, id FROM consultations WHERE title LIKE '{TITLE} %'"
        rows = subprocess.run(["psql", url, "-Atc", query], capture_output=True, text=True, check=True).stdout.splitlines()
        found = [line.split("|", 1) for line in rows if line]
        titles = [title for title, _ in found]
        lost = [title for title in acknowledged if title not in titles]
        duplicated = len(titles) - len(set(titles))
        print(f"acknowledged {len(acknowledged)}, found {len(found)}, lost {len(lost)}, duplicated {duplicated}; "
              f"failed fast while away: {len(failures)} (slowest {slowest:.2f} s); "
              f"readyz {max(s for _, s in probes):.2f} s; "
              f"reconnected {reconnect:.1f} s after restart")
        assert len(acknowledged) > 50, "too few writes to prove anything"
        assert not lost, f"{len(lost)} acknowledged writes lost"
        assert duplicated == 0, f"{duplicated} writes stored twice"
        verify = server.command("audit", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr

        # SIGTERM while the database is away again: the server drains and exits all the same.
        postgres.kill()
        busy = [threading.Thread(target=timed, args=(server.base + "/api/v1/consultations", "POST", b"{}", token))
                for _ in range(4)]
        for t in busy:
            t.start()
        time.sleep(0.3)
        start = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lines = [line for line in server.read_log().splitlines() if "ServiceLifecycle" in line or "error" in line]
            pytest.fail("SIGTERM with the database away: still running after 30 s\n" + "\n".join(lines)[-8000:])
        drained = time.monotonic() - start
        print(f"SIGTERM with the database away: exited in {drained:.1f} s")
        assert drained < 15, f"exit took {drained:.1f} s"
        for t in busy:
            t.join()
    finally:
        server.kill(signal.SIGKILL)
        subprocess.run(["bash", SCRIPT, "stop", postgres.directory], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
