"""Identity in a real browser: a leaver deactivated on the administrator's page loses their session,
their API token and their platform grant at once; a person sets up two-step verification from an
authenticator key shown on the page and signs in with password and code. New people only, so the
demo's accounts stay as the other tests expect them."""
import base64
import datetime
import hashlib
import hmac
import json
import re
import struct
import subprocess
import time
import urllib.error
import urllib.request

from conftest import BIN, PASSWORD, Visitor


def add_person(server, login, name):
    extra = ["--data-dir", server.data_dir] + (["--database-url", server.database_url] if server.database_url else [])
    done = subprocess.run([BIN, "user", "add", "--login", login, "--name", name, "--tenant", "tokyo",
                           "--role", "requester", "--password-stdin", *extra],
                          input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def token(server, login):
    done = server.command("token", "create", "--login", login)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def api(server, path, secret, body=None):
    request = urllib.request.Request(server.base + "/api/v1" + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def totp(key, step):
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    mac = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_a_leaver_loses_session_token_and_grant_at_once(people, server):
    person_id = add_person(server, "e2e-leaver", "退職 花子")
    leaver = people("e2e-leaver")
    secret = token(server, "e2e-leaver")
    assert api(server, "/me", secret)[0] == 200

    platform = token(server, "platform")
    status, listed = api(server, "/platform/environments", platform)
    assert status == 200
    environment = next(e for e in listed["items"] if e["status"] == "approved" and e["tenantId"] == "tokyo")
    today = datetime.date.today()
    status, grant = api(server, f"/platform/environments/{environment['id']}/grants", platform,
                        {"login": "e2e-leaver", "role": "readonly", "mfa": True, "reason": "E2E 退職の確認",
                         "startsOn": today.isoformat(), "endsOn": (today + datetime.timedelta(days=30)).isoformat()})
    assert status == 201, grant
    assert api(server, f"/platform/grants/{grant['id']}/decision", token(server, "admin"), {"action": "approve"})[0] == 200

    admin = people("admin")
    admin.visit(f"/t/tokyo/people/{person_id}/edit", "leaver-edit")
    assert "有効に戻しても元には戻りません" in admin.page.content()
    admin.page.select_option("#f-active", "false")
    admin.submit(label="leaver-deactivated")
    assert "基盤のアクセス権はすべて終了しています" in admin.page.content()

    leaver.page.goto(leaver.url("/home"))
    assert leaver.path() == "/signin", leaver.page.url
    assert api(server, "/me", secret)[0] == 401
    status, grants = api(server, f"/platform/environments/{environment['id']}/grants", platform)
    ended = next(g for g in grants["items"] if g["id"] == grant["id"])
    assert ended["status"] == "revoked" and ended["endReason"] == "deactivated"
    viewer = people("platform")
    viewer.visit(f"/platform/environments/{environment['id']}", "leaver-grant-ended")
    assert "終了（アカウント無効化）" in viewer.page.content()


def test_two_step_verification_is_set_up_and_asked_for(browser, server, people):
    add_person(server, "e2e-totp", "二段 認証")
    person = people("e2e-totp")
    person.visit("/account", "totp-account")
    person.page.click("a[href='/account/totp']")
    person.page.wait_for_load_state()
    person.check("totp-set-up")
    key = re.sub(r"\s", "", person.page.inner_text(".key code"))
    step = int(time.time()) // 30
    person.page.fill("#code", totp(key, step))
    person.submit(label="totp-enabled")
    assert "二段階認証を設定しました" in person.page.content()

    visitor = Visitor(browser, server, "totp-sign-in")
    try:
        visitor.visit("/signin", "totp-signin")
        visitor.page.fill("#login", "e2e-totp")
        visitor.submit("#signin-next", label="totp-password")
        visitor.page.fill("#password", PASSWORD)
        visitor.submit("#signin-submit", label="totp-code-page")
        assert "確認コードの入力" in visitor.page.content()
        visitor.page.fill("#code", "000000" if totp(key, step + 1) != "000000" else "111111")
        visitor.submit(label="totp-code-wrong")
        assert "確認コードが正しくありません" in visitor.page.content()
        visitor.page.fill("#code", totp(key, step + 1))
        visitor.submit(label="totp-signed-in")
        assert visitor.path() == "/home", visitor.page.url
    finally:
        visitor.close()
