"""The restore drill: the demo, changes made through the API (with attachments), a backup taken
while writers keep writing, the instance wiped, the backup restored — and every table's rows and
every file's hash compared with the backup. Then the bad inputs: damaged, truncated and foreign
files and a target that is not empty are refused with exit 2."""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
import zipfile

from conftest import BIN, DATABASE_URL, Server, fresh_database_url


def api(server, token, path, method="GET", body=None, content_type="application/json"):
    request = urllib.request.Request(server.base + path, data=body, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = response.read()
        return response.status, data


def kakehashi(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600)


def target_args(data_dir, database_url):
    return ["--data-dir", data_dir] + (["--database-url", database_url] if database_url else [])


def manifest(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_backup_under_load_restores_every_row_and_file():
    work = tempfile.mkdtemp(prefix="kakehashi-drill-")
    source_url = fresh_database_url() if DATABASE_URL else ""
    server = Server(os.path.join(work, "data"), source_url).start()
    try:
        token = server.command("token", "create", "--login", "requester").stdout.strip().split()[-1]
        made = {}
        for n in range(5):
            body = json.dumps({"title": f"復元訓練の相談 {n}", "phase": "concept", "summary": "バックアップから戻す訓練",
                               "supportKinds": ["dxAdvice"]}).encode()
            status, answer = api(server, token, "/api/v1/consultations", "POST", body)
            assert status == 201
            case = json.loads(answer)["id"]
            content = f"復元訓練の添付 {n}\n".encode() * (200 + n)
            status, answer = api(server, token, f"/api/v1/consultations/{case}/attachments?filename=drill-{n}.txt",
                                 "POST", content, "application/octet-stream")
            assert status == 201
            made[case] = (json.loads(answer)["id"], hashlib.sha256(content).hexdigest())

        stop, written = threading.Event(), []

        def load():
            n = 0
            while not stop.is_set():
                n += 1
                body = json.dumps({"title": f"負荷中の相談 {n}", "phase": "concept", "summary": "バックアップ中の書き込み",
                                   "supportKinds": ["dxAdvice"]}).encode()
                try:
                    api(server, token, "/api/v1/consultations", "POST", body)
                    written.append(n)
                except OSError:
                    pass

        writers = [threading.Thread(target=load) for _ in range(2)]
        for t in writers:
            t.start()
        time.sleep(0.5)
        start = time.monotonic()
        created = server.command("backup", "create", "--to", os.path.join(work, "backups"))
        backup_seconds = time.monotonic() - start
        time.sleep(0.5)
        stop.set()
        for t in writers:
            t.join()
        assert created.returncode == 0, created.stderr
        backup = created.stdout.strip().splitlines()[0]
        assert os.path.basename(backup).startswith("kakehashi-backup-") and backup.endswith(".zip")
        assert len(written) > 5, "the writers did not write during the backup"
        server.kill()
        verified = kakehashi("backup", "verify", backup)
        assert verified.returncode == 0, verified.stderr
        taken = manifest(backup)

        # Wipe the instance and restore it where it was.
        shutil.rmtree(server.data_dir)
        target_url = ""
        if DATABASE_URL:
            subprocess.run(["psql", DATABASE_URL, "-qc", f"DROP DATABASE {source_url.rsplit('/', 1)[1]}"], check=True)
            target_url = fresh_database_url()
        start = time.monotonic()
        restored = kakehashi("restore", backup, *target_args(server.data_dir, target_url))
        restore_seconds = time.monotonic() - start
        assert restored.returncode == 0, restored.stderr

        # Every row: a backup of the restored instance holds the same table files, byte for byte.
        again = kakehashi("backup", "create", "--to", os.path.join(work, "again"),
                          *target_args(server.data_dir, target_url))
        assert again.returncode == 0, again.stderr
        second = manifest(again.stdout.strip().splitlines()[0])
        assert {t["name"]: (t["rows"], t["sha256"]) for t in second["tables"]} == \
            {t["name"]: (t["rows"], t["sha256"]) for t in taken["tables"]}
        assert second["auditHead"] == taken["auditHead"]
        # Every file: its bytes in the restored data directory hash as the manifest says.
        for entry in taken["files"]:
            with open(os.path.join(server.data_dir, entry["path"]), "rb") as f:
                assert hashlib.sha256(f.read()).hexdigest() == entry["sha256"], entry["path"]
        assert {sha for _, sha in made.values()} <= {entry["sha256"] for entry in taken["files"]}

        # The restored instance serves: the cases and their files are there, and the chain is whole.
        restored_server = Server(server.data_dir, target_url).start()
        try:
            for case, (attachment, sha) in made.items():
                assert api(restored_server, token, f"/api/v1/consultations/{case}")[0] == 200
                status, data = api(restored_server, token, f"/api/v1/attachments/{attachment}")
                assert status == 200 and hashlib.sha256(data).hexdigest() == sha
            verify = restored_server.command("audit", "verify")
            assert verify.returncode == 0, verify.stdout + verify.stderr
        finally:
            restored_server.kill()

        rows = sum(t["rows"] for t in taken["tables"])
        size = os.path.getsize(backup) / 1_048_576
        print(f"drill ({'postgres' if DATABASE_URL else 'sqlite'}): backup {backup_seconds:.1f} s under load, "
              f"{size:.1f} MB, {rows} rows, {len(taken['files'])} files; restore {restore_seconds:.1f} s")

        # Bad input: each refused with exit 2, the target left as it was.
        damaged = os.path.join(work, "damaged.zip")
        with zipfile.ZipFile(backup) as source, zipfile.ZipFile(damaged, "w") as copy:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "tables/consultations.jsonl":
                    data = data.replace("復元訓練".encode(), "改ざん訓練".encode(), 1)
                copy.writestr(item, data)
        truncated = os.path.join(work, "truncated.zip")
        with open(backup, "rb") as f, open(truncated, "wb") as out:
            out.write(f.read()[: os.path.getsize(backup) // 2])
        foreign = os.path.join(work, "foreign.zip")
        with zipfile.ZipFile(foreign, "w") as archive:
            archive.writestr("readme.txt", "not a backup")
        refusals = [(damaged, "damaged"), (truncated, "not a Kakehashi backup"), (foreign, "not a Kakehashi backup")]
        for bad, says in refusals:
            result = kakehashi("backup", "verify", bad)
            assert result.returncode == 2 and says in result.stderr, (bad, result.stderr)
            empty = os.path.join(work, "empty-" + os.path.basename(bad))
            result = kakehashi("restore", bad, "--data-dir", empty)
            assert result.returncode == 2 and says in result.stderr, (bad, result.stderr)
            assert not os.path.exists(os.path.join(empty, "attachments"))
        occupied = kakehashi("restore", backup, *target_args(server.data_dir, target_url))
        assert occupied.returncode == 2 and "not empty" in occupied.stderr, occupied.stderr

        if DATABASE_URL:
            # And across engines: the PostgreSQL backup into the embedded SQLite, row for row.
            embedded = os.path.join(work, "embedded")
            moved = kakehashi("restore", backup, "--data-dir", embedded)
            assert moved.returncode == 0, moved.stderr
            third = kakehashi("backup", "create", "--to", os.path.join(work, "third"), "--data-dir", embedded)
            assert third.returncode == 0, third.stderr
            assert {t["name"]: t["sha256"] for t in manifest(third.stdout.strip().splitlines()[0])["tables"]} == \
                {t["name"]: t["sha256"] for t in taken["tables"]}
    finally:
        server.kill()
        shutil.rmtree(work, ignore_errors=True)
