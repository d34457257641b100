"""調達支援 in a real browser: the demo engagement shows the sample specification's and
estimate's findings; a desk officer reviews a specification from another engagement, is refused
a broken spreadsheet with the reason, records verdicts, and the requester's bureau prints and
downloads the report. The desk revises the rules. Every page is scanned by axe-core."""
import re

from conftest import ROOT

SAMPLES = ROOT / "Sources/KakehashiServer/Resources/Procurement/Samples"


def engagements_of(visitor, query):
    """The engagement pages of the reader's cases matching `query`, newest first."""
    visitor.visit(f"/desk/consultations?state=&q={query}", "procurement-cases")
    cases = visitor.page.locator("table tbody tr a[href^='/desk/consultations/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    found = []
    for case in cases:
        visitor.page.goto(visitor.url(case))
        found += [href for href in visitor.page.locator("a[href^='/desk/engagements/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
                  if re.fullmatch(r"/desk/engagements/[^/?#]+", href)]
    return list(dict.fromkeys(found))


def test_the_demo_engagement_shows_the_sample_checks(people):
    requester = people("requester")
    shown = None
    # The demo puts the samples on the requester's 窓口予約 case when it is active on the day it loads,
    # else on another active engagement of theirs (the demo's dates follow today's).
    for engagement in engagements_of(requester, "窓口予約") + engagements_of(requester, ""):
        requester.page.goto(requester.url(engagement))
        if requester.page.locator("#procurement + p + table, #procurement ~ table").count() and "窓口予約システム再構築_仕様書" in requester.page.content():
            shown = engagement
            break
    assert shown, "no engagement shows the sample checks"
    requester.check("procurement-demo-engagement")
    content = requester.page.content()
    assert "仕様書チェック" in content and "見積書の妥当性確認" in content
    assert "数量×単価（10×850,000円＝8,500,000円）と金額（8,600,000円）が合いません。" in content
    with requester.page.expect_navigation():
        # The check's own link (the activity's row also links the file, as a download).
        requester.page.click("a:has-text('窓口予約システム再構築_仕様書'):not([download])")
    requester.check("procurement-demo-check")
    assert "特定の製品・事業者を指定しています" in requester.page.content()
    assert requester.page.locator("select[name^='verdict_']").count() == 0, "the bureau reads, the team judges"


def test_a_desk_officer_reviews_judges_and_the_bureau_downloads(people, tmp_path):
    desk = people("desk")
    engagement = None
    for candidate in engagements_of(desk, "ウェブページ") + engagements_of(desk, "仕様書"):
        desk.page.goto(desk.url(candidate))
        if desk.page.locator("a[href$='/procurement/new']").count():
            engagement = candidate
            break
    assert engagement, "no open engagement to work on"
    desk.visit(engagement, "procurement-engagement")
    desk.visit(f"{engagement}/procurement/new", "procurement-form")

    broken = tmp_path / "見積書.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    desk.page.select_option("#f-kind", "estimate")
    desk.page.set_input_files("#f-file", str(broken))
    desk.submit("form[action$='/procurement/new'] button[type=submit]", label="procurement-refused")
    assert "このファイルは確認できません：Officeファイルとして開けません" in desk.page.content()

    desk.page.select_option("#f-kind", "spec")
    desk.page.set_input_files("#f-file", str(SAMPLES / "spec-reservation.md"))
    desk.submit("form[action$='/procurement/new'] button[type=submit]", label="procurement-check")
    assert "確認しました" in desk.page.content()
    assert "「Oracle Databaseを使用すること」" in desk.page.content()
    desk.page.select_option("#v-0", "agree")
    desk.page.select_option("#v-1", "note")
    desk.submit("form[action$='/verdicts'] button[type=submit]", label="procurement-note-missing")
    assert "入力してください" in desk.page.content()
    desk.page.select_option("#v-1", "note")
    desk.page.fill("#n-1", "局と協議のうえ次期調達で対応")
    desk.submit("form[action$='/verdicts'] button[type=submit]", label="procurement-judged")
    assert "判断を保存しました" in desk.page.content()
    check = desk.path()

    desk.visit(f"{check}/report", "procurement-report")
    assert "局と協議のうえ次期調達で対応" in desk.page.content()
    with desk.page.expect_download() as download:
        desk.page.click("a[href$='/report.html']")
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "指摘のとおり" in html


def test_the_desk_revises_the_rules(people):
    desk = people("desk")
    desk.visit("/desk/procurement/rules", "procurement-rules")
    assert "出荷時のまま" in desk.page.content() or "第" in desk.page.content()
    desk.page.select_option("#r-kind", "estimate")
    desk.page.fill("#r-text", "tax_rate: [broken")
    desk.submit("form[action='/desk/procurement/rules'] button[type=submit]", label="procurement-rules-refused")
    assert "ルールに誤りがあるため保存していません" in desk.page.content()
