"""Single sign-on against a real OpenID Connect provider: two municipalities, each with its own
nanoidp on loopback, in one Kakehashi. A person types their work e-mail, signs in at their
municipality's provider and lands at home; a group change at the provider changes their role at
the next sign-in; a rotated signing key is fetched; signing out ends the session at the provider.
New tenants only, so the demo's accounts stay as the other tests expect them."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import Visitor, free_port

PROVIDERS = {"a": "e2e-sso-a", "b": "e2e-sso-b"}


class Provider:
    """One nanoidp on loopback, configured for one tenant's Kakehashi client."""

    def __init__(self, key, callback):
        self.key = key
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id, self.secret = f"kakehashi-{key}", f"secret-{key}-{os.getpid()}"
        self.dir = Path(tempfile.mkdtemp(prefix=f"nanoidp-{key}-"))
        (self.dir / "keys").mkdir()
        (self.dir / "settings.yaml").write_text(json.dumps({
            "config_version": 1,
            "server": {"host": "127.0.0.1", "port": self.port},
            "oauth": {"issuer": self.issuer, "audience": "kakehashi", "token_expiry_minutes": 10,
                      "clients": [{"client_id": self.client_id, "client_secret": self.secret,
                                   "redirect_uris": [callback]}]},
        }))
        (self.dir / "users.yaml").write_text(json.dumps({"config_version": 1, "users": {}}))
        self.log = open(self.dir / "nanoidp.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "nanoidp", "--port", str(self.port)],
                                        env=dict(os.environ, NANOIDP_CONFIG_DIR=str(self.dir)), cwd=self.dir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.issuer + "/.well-known/openid-configuration", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("nanoidp did not start: " + (self.dir / "nanoidp.log").read_text()[-2000:])

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.issuer + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def person(self, username, email, groups):
        """A user at the provider (replaced if present): its groups are what Kakehashi maps."""
        try:
            self.call("DELETE", f"/api/runtime/users/{username}")
        except urllib.error.HTTPError:
            pass
        self.call("POST", "/api/runtime/users", {"username": username, "password": "pass-" + username,
                                                  "email": email, "groups": groups})

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def providers(server):
    callback = server.base + "/signin/oidc/callback"
    started = {key: Provider(key, callback) for key in PROVIDERS}
    for key, tenant in PROVIDERS.items():
        provider = started[key]
        done = server.command("tenant", "add", "--id", tenant, "--name", f"テスト市{key.upper()}", "--kind", "city")
        assert done.returncode == 0, done.stderr
        extra = ["--data-dir", server.data_dir] + (["--database-url", server.database_url] if server.database_url else [])
        done = subprocess.run(
            [os.environ.get("KAKEHASHI_BIN"), "idp", "add", "--tenant", tenant, "--issuer", provider.issuer,
             "--client-id", provider.client_id, "--client-secret-stdin", "--email-domain", f"{key}.example",
             "--create-accounts", "--no-passwords", *extra],
            input=provider.secret + "\n", capture_output=True, text=True, timeout=120,
            env=dict(os.environ, KAKEHASHI_PUBLIC_URL=server.base))
        assert done.returncode == 0, done.stderr
        assert callback in done.stdout
        for group, role in [("kakehashi-users", "requester"), ("kakehashi-audit", "auditor")]:
            done = server.command("idp", "map", "--tenant", tenant, "--group", group, "--role", role)
            assert done.returncode == 0, done.stderr
    refused = server.command("idp", "map", "--tenant", PROVIDERS["a"], "--group", "root", "--role", "systemAdmin")
    assert refused.returncode == 2 and "mapping_system_admin" in refused.stderr
    yield started
    for provider in started.values():
        provider.stop()


def sign_in(visitor, email, username):
    """The whole round trip in the browser; returns its wall-clock seconds."""
    visitor.visit("/signin", "signin")
    visitor.page.fill("#login", email)
    began = time.monotonic()
    visitor.page.click("#signin-next")
    # Kakehashi's page moves on by itself to the provider, whose login asks for the user name.
    visitor.page.wait_for_selector("#username", timeout=30000)
    # nanoidp's login: the user name, then (on a second step, where it asks) the password.
    visitor.page.fill("#username", username)
    if visitor.page.locator("#password").count():
        visitor.page.fill("#password", "pass-" + username)
    visitor.page.locator("button[type=submit]").first.click()
    if visitor.page.locator("#password").count() and visitor.server.base not in visitor.page.url:
        visitor.page.fill("#password", "pass-" + username)
        visitor.page.locator("button[type=submit]").first.click()
    try:
        visitor.page.wait_for_url(visitor.server.base + "/home", timeout=30000)
    except Exception as error:
        where = visitor.page.url
        raise AssertionError(f"stopped at {where}: {visitor.page.locator('body').inner_text()[:800]}") from error
    return time.monotonic() - began


def test_two_municipalities_sign_in_at_their_own_providers(browser, server, providers):
    a, b = providers["a"], providers["b"]
    a.person("aoki", "aoki@a.example", ["kakehashi-users"])
    b.person("baba", "baba@b.example", ["kakehashi-audit"])
    timings = []
    for provider, email, username in [(a, "aoki@a.example", "aoki"), (b, "baba@b.example", "baba")]:
        visitor = Visitor(browser, server, f"sso-{provider.key}")
        try:
            timings.append(sign_in(visitor, email, username))
            visitor.check("sso-home")
            # They are in their own municipality's directory, and not in the other's.
            own, other = PROVIDERS[provider.key], PROVIDERS["b" if provider.key == "a" else "a"]
            visitor.visit(f"/t/{own}/people", "sso-directory")
            assert username in visitor.page.content()
            assert visitor.page.goto(server.base + f"/t/{other}/people").status in (403, 404)
        finally:
            visitor.close()
    print(f"sso round trip: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")

    # A password is not asked of these municipalities' people.
    visitor = Visitor(browser, server, "sso-password-refused")
    try:
        visitor.visit("/signin", "signin")
        visitor.page.fill("#login", "aoki@a.example")
        visitor.page.click("#signin-next")
        visitor.page.wait_for_url(a.issuer + "/authorize**", timeout=30000)
        assert visitor.page.locator("#password").count() == 0 or a.issuer in visitor.page.url
    finally:
        visitor.close()


def test_a_group_change_at_the_provider_changes_the_role_at_the_next_sign_in(browser, server, providers):
    a = providers["a"]
    a.person("ueda", "ueda@a.example", ["kakehashi-users"])
    visitor = Visitor(browser, server, "sso-groups")
    try:
        sign_in(visitor, "ueda@a.example", "ueda")
        # A requester (kakehashi-users): the audit log is not theirs.
        assert visitor.page.goto(server.base + f"/t/{PROVIDERS['a']}/audit").status in (403, 404)
    finally:
        visitor.close()
    a.person("ueda", "ueda@a.example", ["kakehashi-audit"])
    # The signing key rotates at the provider between the two sign-ins.
    assert a.call("POST", "/api/keys/rotate") == 200
    visitor = Visitor(browser, server, "sso-groups-after")
    try:
        sign_in(visitor, "ueda@a.example", "ueda")
        # Now an auditor (kakehashi-audit): the audit log opens, and shows the role moving.
        assert visitor.page.goto(server.base + f"/t/{PROVIDERS['a']}/audit").status == 200
        visitor.check("sso-auditor-audit")
        visitor.visit("/home", "sso-auditor-home")
        # Signing out ends the session at the provider too, and comes back to the sign-in page.
        with visitor.page.expect_navigation():
            visitor.page.click("form[action='/signout'] button")
        visitor.page.wait_for_url(server.base + "/signin?done=signed_out", timeout=15000)
        visitor.visit("/home", "after-sso-signout")
        assert visitor.path() == "/signin"
    finally:
        visitor.close()
