"""The main journeys, as people walk them in a real browser. Every page visited is scanned
by axe-core (see conftest.Visitor.check) and photographed."""
import datetime
import re

TODAY = datetime.date.today().isoformat()


def choose_by_name(page, selector, name):
    """Chooses a person in a picker by the name shown (the option's label), as a person would."""
    option = page.locator(f"{selector} option", has_text=name).first
    assert "稼働" in option.inner_text(), "the picker shows each person's load"
    page.select_option(selector, option.get_attribute("value"))


def test_sign_in_and_out(people):
    desk = people("desk")
    assert "判断待ち" in desk.page.content()
    with desk.page.expect_navigation():
        desk.page.click("form[action='/signout'] button")
    desk.check("signed-out")
    assert desk.path() == "/signin"
    # After signing out, a page needs signing in again.
    desk.page.goto(desk.url("/desk/consultations"))
    assert desk.path() == "/signin"


def test_from_draft_to_gate(people, tmp_path):
    requester = people("requester")
    # Step 1, then leave for another page.
    requester.visit("/desk/consultations/new", "intake-step1")
    requester.page.fill("#f-title", "介護保険窓口のオンライン予約")
    requester.page.fill("#f-summary", "窓口の混雑を減らすため、来庁予約をオンライン化したい。")
    requester.page.select_option("#f-phase", "requirements")
    requester.submit(label="intake-step2")
    draft_path = requester.path()
    case_id = re.search(r"/desk/consultations/([^/]+)/edit", draft_path).group(1)
    requester.visit("/home", "left-for-home")

    # Resume from the list: the draft is there, and its steps continue.
    requester.visit("/desk/consultations?state=draft", "my-drafts")
    with requester.page.expect_navigation():
        requester.page.click(f"a[href='/desk/consultations/{case_id}']")
    requester.check("draft-review")
    with requester.page.expect_navigation():
        requester.page.click(f"a[href='/desk/consultations/{case_id}/edit?step=2']")
    requester.check("resumed-step2")
    requester.page.check("input[name='supportKinds'][value='specReview']")
    requester.page.check("input[name='supportKinds'][value='uxDesign']")
    requester.page.fill("#f-desiredStart", TODAY)
    requester.submit(label="intake-step3")
    requester.page.select_option("#f-budgetRange", "from10mTo50m")
    requester.page.fill("#f-procurementStart", (datetime.date.today() + datetime.timedelta(days=90)).isoformat())
    requester.submit(label="review-before-submit")

    # Choose the current workflow and submit in one step: the file goes with the submission,
    # the form locks and the case gets its number.
    flow = tmp_path / "現行業務フロー.txt"
    flow.write_text("1. 電話で予約\n2. 窓口で受付\n", encoding="utf-8")
    requester.page.set_input_files("#f-file", str(flow))
    with requester.page.expect_navigation():
        requester.page.click("form[action$='/submit'] button.primary")
    requester.check("submitted")
    assert "相談を受け付けました" in requester.page.content()
    assert "現行業務フロー.txt" in requester.page.content()
    number = re.search(r"\d{4}-\d{4}", requester.page.inner_text("h1")).group(0)
    assert requester.page.locator("form[action$='/submit']").count() == 0

    # The desk finds it in the queue, records the rubric and accepts it.
    desk = people("desk")
    desk.visit("/desk/consultations", "queue")
    assert number in desk.page.content()
    desk.visit(f"/desk/consultations/{case_id}/decision", "decision-form")
    for criterion in ["impact", "urgency", "complexity", "readiness"]:
        desk.page.select_option(f"#f-score_{criterion}", "4")
        desk.page.fill(f"#f-reason_{criterion}", "来庁者の多い窓口で効果が大きい")
    desk.page.select_option("#f-outcome", "accept")
    desk.page.fill("#f-scope", "要件定義書のレビューと予約画面のUX助言")
    choose_by_name(desk.page, "#f-leadLogin", "森 さくら")
    desk.submit(label="engagement-opened")
    engagement = desk.path()
    assert engagement.startswith("/desk/engagements/")

    # Two specialists join.
    for login, name, effort in [("pm", "岡田 悠人", "30"), ("security", "前田 智子", "20")]:
        desk.visit(f"{engagement}/members/new", f"add-{login}")
        choose_by_name(desk.page, "#f-login", name)
        desk.page.fill("#f-effortPercent", effort)
        desk.submit(label=f"added-{login}")
    assert "岡田 悠人" in desk.page.content() and "前田 智子" in desk.page.content()

    # A specialist logs an activity with its minutes attached.
    pm = people("pm")
    pm.visit("/notifications", "pm-notifications")
    assert "担当になりました" in pm.page.content()
    pm.visit(f"{engagement}/activities/new", "activity-form")
    pm.page.select_option("#f-kind", "vendorMeeting")
    pm.page.fill("#f-minutes", "90")
    pm.page.fill("#f-participants", "局2名、事業者3名")
    pm.page.fill("#f-notes", "予約枠の設計について事業者と協議した。")
    minutes = tmp_path / "議事録.md"
    minutes.write_text("# 打合せ\n- 予約枠は30分単位\n", encoding="utf-8")
    pm.page.set_input_files("#f-file", str(minutes))
    pm.submit(label="activity-logged")
    assert "予約枠の設計について" in pm.page.content()

    # The gate of the requirements phase: proceed.
    desk.visit(f"{engagement}/gate", "gate-form")
    desk.page.select_option("#f-decision", "proceed")
    desk.page.fill("#f-reason", "要件定義書の指摘が解消されたため")
    desk.submit(label="gate-decided")
    assert "要件定義書の指摘が解消されたため" in desk.page.content()

    # The requester follows along: the decision, the team's documents.
    requester.visit(f"/desk/consultations/{case_id}", "requester-case-after")
    assert "議事録.md" in requester.page.content()


def test_the_fiscal_year_report_and_its_csv(people):
    desk = people("desk")
    desk.visit("/desk/reports", "report")
    assert "年度" in desk.page.content()
    href = desk.page.get_attribute("a[download][href*='.csv']", "href")
    response = desk.page.request.get(desk.url(href))
    assert response.status == 200
    body = response.body()
    assert body.startswith(b"\xef\xbb\xbf"), "CSV without BOM"
    assert b"\r\n" in body
    assert "合計（件数）".encode() in body
    workbook = desk.page.request.get(desk.url(desk.page.get_attribute("a[download][href*='.xlsx']", "href")))
    assert workbook.status == 200 and workbook.body().startswith(b"PK"), "the Excel download is a zip package"


def test_switching_to_english(people):
    requester = people("requester")
    with requester.page.expect_navigation():
        requester.page.click("form[action='/preferences/lang'] button")
    requester.check("english-home")
    assert requester.page.get_attribute("html", "lang") == "en"
    requester.visit("/desk/consultations", "english-list")
    assert "Consultations" in requester.page.content()
    # Back to Japanese for the other tests.
    with requester.page.expect_navigation():
        requester.page.click("form[action='/preferences/lang'] button")


def test_a_municipality_user_cannot_reach_another_tenants_records(people):
    desk = people("desk")
    desk.visit("/desk/consultations?state=accepted", "accepted-list")
    case = desk.page.get_attribute("table a[href^='/desk/consultations/']", "href")
    desk.visit(case, "a-tokyo-case")
    engagement = desk.page.get_attribute("a[href^='/desk/engagements/']", "href")
    chiyoda = people("chiyoda")
    for path in [case, engagement, f"{case}/decision", "/t/tokyo/directory", "/desk/workload", "/t/tokyo/audit"]:
        response = chiyoda.page.goto(chiyoda.url(path))
        assert response.status in (403, 404), (path, response.status)
        chiyoda.check(f"refused{path}")
        assert "見つかりません" in chiyoda.page.content() or "権限" in chiyoda.page.content()


def test_search_in_japanese(people):
    desk = people("desk")
    desk.visit("/search", "search-empty")
    # Half-width katakana finds the full-width text, and the match is marked.
    desk.page.fill("#f-q", "ｵﾝﾗｲﾝ")
    with desk.page.expect_navigation():
        desk.page.keyboard.press("Enter")
    desk.check("search-results")
    assert "件見つかりました" in desk.page.content()
    marks = desk.page.locator("ol.search-results mark")
    assert marks.count() > 0 and marks.first.inner_text() == "オンライン"
    # A one-character query works too; a municipality user finds fewer, and only what they may open.
    desk.visit("/search?q=%E5%B1%80", "search-one-char")
    assert desk.page.locator("ol.search-results li").count() > 0
    desk_total = int(re.search(r"(\d+)件(?:以上)?見つかりました", desk.page.content()).group(1))
    chiyoda = people("chiyoda")
    chiyoda.visit("/search?q=%E5%B1%80", "search-other-tenant")
    chiyoda_total = int(re.search(r"(\d+)件(?:以上)?見つかりました", chiyoda.page.content()).group(1))
    assert chiyoda_total < desk_total
    for href in chiyoda.page.locator("ol.search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert chiyoda.page.request.get(chiyoda.url(href)).status == 200, href


def test_knowledge_from_draft_to_public(people, anonymous):
    """A specialist writes an article, the desk publishes it to everyone, and a visitor who is
    not signed in reads it and finds it by search; every page passes axe."""
    pm = people("pm")
    pm.visit("/knowledge", "knowledge-list-editor")
    pm.visit("/knowledge/new", "knowledge-new")
    pm.page.fill("#f-title", "電子申請フォームの作り方")
    pm.page.select_option("#f-kind", "guide")
    pm.page.select_option("#f-tier", "public")
    pm.page.fill("#f-body", "## 手順\n1. 項目を洗い出す\n2. **必須項目**を絞る\n\n| 項目 | 例 |\n|---|---|\n| 氏名 | 東京 太郎 |")
    pm.page.fill("#f-tags", "電子申請、フォーム")
    pm.submit(label="knowledge-saved")
    article = pm.path()
    assert pm.page.locator(".markdown h2").inner_text() == "手順"
    assert pm.page.locator(".markdown table th").count() == 2
    pm.submit("form[action$='/submit'] button", label="knowledge-submitted")
    desk = people("desk")
    desk.visit(article, "knowledge-review")
    desk.submit("form[action$='/publish'] button", label="knowledge-published")
    assert "公開中" in desk.page.content()
    anonymous.visit("/knowledge", "knowledge-public-list")
    assert "電子申請フォームの作り方" in anonymous.page.content()
    assert "クラウド移行前のシステム棚卸し" not in anonymous.page.content()   # desk-only demo article
    anonymous.visit(article, "knowledge-public-article")
    assert anonymous.page.locator(".markdown strong").inner_text() == "必須項目"
    anonymous.visit("/search?q=%E9%9B%BB%E5%AD%90%E7%94%B3%E8%AB%8B%20%E3%81%B5%E3%81%89%E3%83%BC%E3%82%80", "knowledge-public-search")   # 電子申請 ふぉーむ (hiragana finds フォーム)
    assert anonymous.page.locator("ol.search-results a", has_text="電子申請フォームの作り方").count() == 1


def test_a_case_study_from_a_closed_engagement(people):
    desk = people("desk")
    desk.visit("/knowledge/demo-article-case-study", "knowledge-case-study")
    desk.visit("/knowledge/demo-article-2", "knowledge-guide-with-table")
    desk.visit("/knowledge?view=draft", "knowledge-drafts")
