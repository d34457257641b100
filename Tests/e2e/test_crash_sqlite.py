"""Crash safety on SQLite: SIGKILL in the middle of a stream of writes loses nothing that was
acknowledged, leaves a database that passes `PRAGMA integrity_check`, and an audit trail
that `kakehashi audit verify` accepts."""
import json
import os
import shutil
import signal
import sqlite3
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import DATABASE_URL, Server

pytestmark = pytest.mark.skipif(bool(DATABASE_URL), reason="crash safety of the embedded SQLite file")


def create(base, token, n):
    body = json.dumps({"title": f"障害試験の相談 {n}", "phase": "concept", "summary": "書き込みの途中で強制終了する試験",
                       "supportKinds": ["dxAdvice"]}).encode()
    request = urllib.request.Request(base + "/api/v1/consultations", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())["id"]


def test_sigkill_during_writes_loses_no_acknowledged_write():
    work = tempfile.mkdtemp(prefix="kakehashi-crash-")
    server = Server(os.path.join(work, "data"), "").start()
    token = server.command("token", "create", "--login", "requester").stdout.strip().split()[-1]
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()

    def writer(worker):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                made = create(server.base, token, f"{worker}-{n}")
            except (urllib.error.URLError, ConnectionError, OSError, AssertionError):
                continue
            with lock:
                acknowledged.append(made)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    server.kill(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) > 20, "too few writes before the kill to prove anything"

    database = os.path.join(server.data_dir, "kakehashi.sqlite")
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    server.start()
    try:
        with sqlite3.connect(database) as db:
            found = {row[0] for row in db.execute("SELECT id FROM consultations WHERE title LIKE '障害試験の相談 %'")}
        missing = [i for i in acknowledged if i not in found]
        assert not missing, f"{len(missing)} acknowledged writes lost"
        # Every write also left its audit record, and the chain is whole.
        verify = server.command("audit", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr
        print(f"acknowledged {len(acknowledged)}, found {len(found)} after SIGKILL")
    finally:
        server.kill()
        shutil.rmtree(work, ignore_errors=True)
