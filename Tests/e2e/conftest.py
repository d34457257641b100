"""The real server for browser tests: `kakehashi serve --demo` on a fresh data directory,
on SQLite or (with E2E_DATABASE_URL) on a fresh PostgreSQL database, and Chromium from
Debian driven by Playwright. Every page a test visits through `visit` is scanned with
axe-core (WCAG 2.x A and AA) and photographed into ci-artifacts/e2e/<engine>/."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("KAKEHASHI_BIN", str(ROOT / ".build/debug/kakehashi"))
DATABASE_URL = os.environ.get("E2E_DATABASE_URL", "")
ENGINE = "postgres" if DATABASE_URL else "sqlite"
ARTIFACTS = ROOT / "ci-artifacts" / "e2e" / ENGINE
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "kakehashi-demo"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database_url():
    """A new database on the PostgreSQL server, so the demo loads from empty."""
    name = "e2e_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", DATABASE_URL, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + name


class Server:
    """One `kakehashi serve` process; `restart` keeps its data."""

    def __init__(self, data_dir, database_url, extra_env=None):
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, **(extra_env or {}))
        self.process = None

    def args(self):
        args = [BIN, "serve", "--demo", "--port", str(self.port), "--data-dir", self.data_dir]
        if self.database_url:
            args += ["--database-url", self.database_url]
        return args

    def start(self):
        self.log = open(Path(self.data_dir).parent / f"serve-{self.port}.log", "ab")
        self.process = subprocess.Popen(self.args(), stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.read_log()[-2000:]}")
            if "listening on" in self.read_log():
                return self
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def read_log(self):
        return (Path(self.data_dir).parent / f"serve-{self.port}.log").read_text(errors="replace")

    def kill(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def command(self, *args):
        """Runs another `kakehashi` command against the same data."""
        extra = ["--data-dir", self.data_dir] + (["--database-url", self.database_url] if self.database_url else [])
        return subprocess.run([BIN, *args, *extra], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def server():
    work = tempfile.mkdtemp(prefix="kakehashi-e2e-")
    s = Server(os.path.join(work, "data"), fresh_database_url() if DATABASE_URL else "").start()
    yield s
    s.kill()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Visitor:
    """A person in a browser: signs in, visits pages (each scanned by axe and photographed)."""
    axe = Axe()

    def __init__(self, browser, server, name):
        self.context = browser.new_context(locale="ja-JP", accept_downloads=True)
        self.page = self.context.new_page()
        self.server = server
        self.name = name
        self.shots = 0

    def url(self, path):
        return self.server.base + path

    def check(self, label, full_page=True):
        """axe-core on the current page: zero WCAG A/AA violations, and a screenshot (of the window
        only, when `full_page` is off: a crawl of every page keeps the first screen of each)."""
        result = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": WCAG}})
        violations = result.response["violations"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{self.name}-{self.shots:02d}-{label}")[:120]
        self.page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=full_page)
        details = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
        assert not violations, f"axe on {self.page.url} ({label}): {details}"

    def visit(self, path, label=None):
        response = self.page.goto(self.url(path))
        self.check(label or path)
        return response

    def submit(self, selector="button.primary", label=None):
        """Clicks a submit button and checks the page it leads to."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check(label or self.path())

    def path(self):
        return urllib.parse.urlsplit(self.page.url).path

    def sign_in(self, login, password=PASSWORD):
        self.visit("/signin", "signin")
        self.page.fill("#login", login)
        self.submit("#signin-next", label="signin-password")
        self.page.fill("#password", password)
        self.submit("#signin-submit", label="after-signin")
        assert self.path() == "/home", self.page.url

    def close(self):
        self.context.close()


@pytest.fixture
def people(browser, server):
    opened = []

    def open_as(login, name=None):
        v = Visitor(browser, server, name or login)
        v.sign_in(login)
        opened.append(v)
        return v
    yield open_as
    for v in opened:
        v.close()


@pytest.fixture
def anonymous(browser, server):
    v = Visitor(browser, server, "anonymous")
    yield v
    v.close()
