"""システム台帳 in a real browser: a platform engineer filters the catalog, opens a system with
its dependency neighbourhood, and imports a spreadsheet saved by Excel in Shift_JIS — first with
mistakes that the report names by line, then corrected and committed. A municipality sees only
its own catalog. Every page is scanned by axe-core."""

import re

HEADER = "システムID,システム名,所管組織,機密性,完全性,可用性,マイナンバー,現行基盤,依存先"


def write_sjis(path, rows):
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    return str(path)


def test_the_catalog_and_a_spreadsheet_import(people, tmp_path):
    platform = people("platform")
    platform.visit("/portfolio", "portfolio-list")
    # The catalog pages: 50 systems on the first page of more than 200.
    assert platform.page.locator("table tbody tr").count() == 50
    assert int(re.search(r"(\d+)件中", platform.page.content()).group(1)) > 200
    platform.page.select_option("#f-hosting", "saas")
    platform.submit("form.filters button", label="portfolio-filtered")
    saas = platform.page.locator("table tbody tr").count()
    assert 0 < saas < 100
    platform.visit("/portfolio/systems/demo-sys-tokyo-cmn-001", "portfolio-system")
    assert platform.page.locator("figure.graph-figure svg a").count() > 0
    assert "財務会計システム" in platform.page.locator("h1").inner_text()
    assert platform.page.locator("#costs-title").count() == 1
    platform.visit("/portfolio/costs?years=7", "portfolio-costs")
    assert platform.page.locator("table tbody tr").count() >= 20

    platform.visit("/portfolio/import", "portfolio-import")
    bad = write_sjis(tmp_path / "bad.csv", [HEADER,
                                            "E2E-001,窓口予約システム①,福祉局,2,1,1,なし,オンプレミス,",
                                            "E2E-002,予約連携,ない局,2,1,1,なし,オンプレミス,E2E-001",
                                            "E2E-003,日付,福祉局,4,1,1,たぶん,オンプレミス,NOPE"])
    platform.page.set_input_files("#i-file", bad)
    platform.submit("form.stack button", label="portfolio-import-mistakes")
    report = platform.page.content()
    assert "4件の誤りがあります" in report
    assert "「ない局」という組織がありません" in report and "システムID「NOPE」" in report
    lines = platform.page.locator("table tbody tr td:first-child").all_inner_texts()
    assert lines == ["3", "4", "4", "4"]

    good = write_sjis(tmp_path / "good.csv", [HEADER,
                                              "E2E-001,窓口予約システム①,福祉局,2,1,1,なし,オンプレミス,",
                                              "E2E-002,予約連携システム,福祉局,2,1,1,なし,データセンター,E2E-001"])
    platform.page.set_input_files("#i-file", good)
    platform.submit("form.stack button", label="portfolio-import-clean")
    assert "2行に誤りはありません" in platform.page.content()
    platform.submit("button.primary", label="portfolio-imported")
    assert "台帳に取り込みました" in platform.page.content()
    platform.visit("/portfolio?q=e2e", "portfolio-imported-list")
    assert platform.page.locator("table tbody tr").count() == 2
    with platform.page.expect_navigation():
        platform.page.click("a:has-text('予約連携システム')")
    platform.check("portfolio-imported-system")
    assert platform.page.locator("figure.graph-figure svg").count() == 1

    ward = people("chiyoda-admin")
    ward.visit("/portfolio", "portfolio-ward")
    content = ward.page.content()
    assert "住民記録システム" in content and "119番通報受付システム" not in content
    assert ward.page.request.get(ward.url("/portfolio/systems/demo-sys-tokyo-cmn-001")).status == 404


def test_assessment_decision_and_wave_plans(people):
    """A platform engineer assesses a system with the standard questionnaire, records the decision,
    makes a wave plan scenario, compares it with the approved plan and reads the progress."""
    platform = people("platform")
    platform.visit("/portfolio/systems/demo-sys-tokyo-cmn-009/assess", "assessment-form")
    assert platform.page.locator("select").count() >= 10
    platform.page.select_option("#f-answer\\.app_type", "mainframe")
    platform.page.select_option("#f-answer\\.source_code", "none")
    platform.submit("#form button[type=submit]", label="assessment-saved")
    assert "評価を保存しました" in platform.page.content()
    assert platform.page.locator("#assessment-title").count() == 1
    assert platform.page.locator(".risk").count() == 1

    platform.visit("/portfolio/systems/demo-sys-tokyo-cmn-009/review", "review-form")
    platform.page.fill("#f-effort", "-1")
    platform.submit("#form button[type=submit]", label="review-invalid")
    assert "0〜10000の範囲" in platform.page.content()
    platform.page.fill("#f-effort", "9.5")
    platform.submit("#form button[type=submit]", label="review-saved")
    assert "判断を記録しました" in platform.page.content() and "9.5人月" in platform.page.content()

    platform.visit("/portfolio/questionnaires", "questionnaires")
    assert "移行方式評価（標準）" in platform.page.content()

    platform.visit("/portfolio/waves", "wave-plans")
    assert "承認済み" in platform.page.content()
    platform.visit("/portfolio/waves/demo-plan-1", "wave-plan")
    for width in (1366, 390):
        platform.page.set_viewport_size({"width": width, "height": 800})
        wide = platform.page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the wave plan is {wide} px wide at {width} px"
    platform.page.set_viewport_size({"width": 1280, "height": 720})
    assert platform.page.locator("svg.timeline").count() == 1
    platform.visit("/portfolio/waves/new?tenant=tokyo&based_on=demo-plan-1", "wave-replan-form")
    platform.page.fill("#f-seconds", "1")
    platform.submit("#form button[type=submit]", label="wave-replanned")
    assert "計画を作りました" in platform.page.content()
    assert "元の計画から移したシステム" in platform.page.content()
    with platform.page.expect_navigation():
        platform.page.click("a:has-text('承認済みの計画と比べる')")
    platform.check("wave-compare")
    assert "ウェーブが異なるシステム" in platform.page.content()

    platform.visit("/portfolio/progress", "portfolio-progress")
    assert platform.page.locator("table").count() >= 3


def test_security_baseline_of_a_system(people):
    """A platform engineer uploads a design record and a template for a system, checks them against
    the baseline and reads the findings; a broken file is refused with its reason."""
    import pathlib
    fixtures = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "baseline"
    platform = people("platform")
    platform.visit("/portfolio/systems/demo-sys-tokyo-cmn-009/baseline", "baseline-empty")
    for name in ["web-app.yaml", "design.yaml"]:
        platform.page.set_input_files("#b-file", str(fixtures / name))
        platform.submit("form.stack button[type=submit]", label="baseline-uploaded")
    platform.page.set_input_files("#b-file", str(fixtures / "broken.json"))
    platform.submit("form.stack button[type=submit]", label="baseline-broken")
    assert "ファイルを読めません" in platform.page.content()
    platform.submit("button.primary", label="baseline-checked")
    content = platform.page.content()
    assert "セキュリティ基準で確認しました" in content and "AWS::EC2::SecurityGroup.WebSg" in content
    platform.visit("/portfolio/compliance", "compliance")
    assert "KKH-NET-01" in platform.page.content()
