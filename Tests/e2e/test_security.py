"""What an attacker tries through the browser: stored script in Japanese text, forms without
the CSRF token, a planted session id, redirects off-site after sign-in, paths out of the
attachment store, and uploads past the size limit. Each is refused or made harmless."""
import re

from conftest import Visitor

XSS_TITLE = "福祉<script>window.__pwned=1</script>手当"
XSS_SUMMARY = "概要<img src=x onerror=\"window.__pwned=1\"><a href=\"javascript:window.__pwned=1\">リンク</a>"


def test_script_in_japanese_text_is_shown_as_text(people):
    requester = people("requester")
    dialogs = []
    requester.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requester.visit("/desk/consultations/new", "xss-intake")
    requester.page.fill("#f-title", XSS_TITLE)
    requester.page.fill("#f-summary", XSS_SUMMARY)
    requester.page.select_option("#f-phase", "concept")
    requester.submit(label="xss-step2")
    case_id = re.search(r"/desk/consultations/([^/]+)/edit", requester.path()).group(1)
    requester.visit(f"/desk/consultations/{case_id}", "xss-review")
    html = requester.page.content()
    assert "&lt;script&gt;" in html and "<script>window.__pwned" not in html
    assert requester.page.locator("img[src='x']").count() == 0
    assert requester.page.locator("a[href^='javascript:']").count() == 0
    assert requester.page.evaluate("window.__pwned") is None
    assert not dialogs
    # The list shows the title as text too.
    requester.visit("/desk/consultations?state=draft", "xss-list")
    assert requester.page.evaluate("window.__pwned") is None


def test_a_form_without_the_csrf_token_is_refused(people):
    requester = people("requester")
    response = requester.page.request.post(requester.url("/desk/consultations/new"),
                                           form={"title": "CSRF", "summary": "x", "phase": "concept"}, max_redirects=0)
    assert response.status == 403
    wrong = requester.page.request.post(requester.url("/desk/consultations/new"),
                                        form={"_csrf": "not-the-token", "title": "CSRF", "summary": "x", "phase": "concept"}, max_redirects=0)
    assert wrong.status == 403


def test_a_planted_session_id_is_not_adopted(browser, server):
    v = Visitor(browser, server, "fixation")
    try:
        v.context.add_cookies([{"name": "kkh_session", "value": "attacker-chosen-value", "url": server.base}])
        v.sign_in("requester")
        cookie = next(c["value"] for c in v.context.cookies() if c["name"] == "kkh_session")
        assert cookie != "attacker-chosen-value"
        # The planted value signs nobody in.
        other = browser.new_context()
        other.add_cookies([{"name": "kkh_session", "value": "attacker-chosen-value", "url": server.base}])
        page = other.new_page()
        page.goto(server.base + "/home")
        assert page.url.startswith(server.base + "/signin")
        other.close()
    finally:
        v.close()


def test_sign_in_never_redirects_off_site(browser, server):
    for target in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]:
        v = Visitor(browser, server, "redirect")
        try:
            v.page.goto(server.base + "/signin?next=" + target)
            v.check("signin-with-next")
            v.page.fill("#login", "requester")
            with v.page.expect_navigation():
                v.page.click("#signin-next")
            v.page.fill("#password", "kakehashi-demo")
            with v.page.expect_navigation():
                v.page.click("#signin-submit")
            assert v.page.url.startswith(server.base + "/"), (target, v.page.url)
            assert v.path() == "/home", (target, v.page.url)
        finally:
            v.close()


def test_attachment_paths_do_not_leave_the_store(people):
    requester = people("requester")
    for path in ["/desk/attachments/..%2F..%2Fkakehashi.sqlite", "/desk/attachments/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                 "/desk/attachments/../../kakehashi.sqlite", "/desk/attachments/" + "a" * 300]:
        response = requester.page.request.get(requester.url(path), max_redirects=0)
        assert response.status in (400, 404), (path, response.status)
        assert b"SQLite format" not in response.body() and b"root:" not in response.body()


def test_oversize_uploads_are_refused_and_nothing_is_kept(people, tmp_path):
    requester = people("requester")
    requester.visit("/desk/consultations/new", "upload-intake")
    requester.page.fill("#f-title", "大きなファイルの確認")
    requester.page.fill("#f-summary", "上限を超えるファイル")
    requester.page.select_option("#f-phase", "concept")
    requester.submit(label="upload-step2")
    case_id = re.search(r"/desk/consultations/([^/]+)/edit", requester.path()).group(1)
    requester.visit(f"/desk/consultations/{case_id}", "upload-review")
    big = tmp_path / "大きすぎる資料.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.7\n")
        f.write(b"0" * (21 * 1024 * 1024))
    # Refused both when added alone and when sent with the submission; the draft stays a draft.
    for button, label in [("button[formaction$='/attachments']", "oversize-refused"),
                          ("form[action$='/submit'] button.primary", "oversize-refused-on-submit")]:
        requester.visit(f"/desk/consultations/{case_id}", f"{label}-before")
        requester.page.set_input_files("#f-file", str(big))
        with requester.page.expect_navigation():
            requester.page.click(button)
        requester.check(label)
        assert "大きすぎます" in requester.page.content()
    requester.visit(f"/desk/consultations/{case_id}", "upload-after")
    assert "大きすぎる資料.pdf" not in requester.page.content()
    assert requester.page.locator("form[action$='/submit']").count() == 1, "still a draft"


MARKDOWN_ATTACKS = "\n\n".join([
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "[リンク1](javascript:window.__pwned=1)",
    "[リンク2](JaVaScRiPt:window.__pwned=1)",
    "[リンク3](data:text/html,<script>window.__pwned=1</script>)",
    "![画像](javascript:window.__pwned=1)",
    "<a href=\"javascript:window.__pwned=1\">生のリンク</a>",
    "<javascript:window.__pwned=1>",
    "[リンク4](https://ok.example/\" onmouseover=\"window.__pwned=1)",
    "| <iframe src=javascript:window.__pwned=1> | b |\n|---|---|\n| c | d |",
])


def test_markdown_cannot_carry_script_or_dangerous_links(people):
    pm = people("pm")
    dialogs = []
    pm.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pm.visit("/knowledge/new", "md-xss-new")
    pm.page.fill("#f-title", "Markdownの安全性<script>window.__pwned=1</script>")
    pm.page.select_option("#f-kind", "guide")
    pm.page.select_option("#f-tier", "desk")
    pm.page.fill("#f-body", MARKDOWN_ATTACKS)
    pm.submit(label="md-xss-article")
    body = pm.page.locator(".markdown")
    assert body.locator("script, img, iframe").count() == 0
    hrefs = body.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(h and (h.startswith("https://") or h.startswith("/")) for h in hrefs), hrefs
    assert pm.page.locator("[onmouseover], [onerror]").count() == 0
    for link in body.locator("a").all():
        link.hover()
    assert pm.page.evaluate("window.__pwned") is None
    assert not dialogs
    assert "&lt;script&gt;" in pm.page.content()
