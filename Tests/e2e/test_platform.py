"""クラウド基盤 in a real browser: a requester asks for an environment, the platform team approves
it and generates its landing package, a grant is requested and approved (the requester cannot
approve it), and an access review is opened, decided and exported. Every page is scanned by axe-core."""


def test_request_approval_package_grant_and_review(people, tmp_path):
    requester = people("requester")
    requester.visit("/platform/environments/new", "platform-request-form")
    requester.page.select_option("#f-systemId", index=1)
    requester.page.select_option("#f-stage", "production")
    requester.page.select_option("#f-cloud", "aws")
    requester.page.select_option("#f-region", "ap-northeast-3")
    requester.page.fill("#f-monthlyBudget", "400000")
    requester.page.check("input[name=services][value=logs]")
    requester.page.fill("#f-purpose", "E2E 本番環境")
    requester.submit("form[action='/platform/environments/new'] button[type=submit]", label="platform-draft")
    assert "下書き" in requester.page.content()
    environment = requester.path()
    requester.submit("form[action$='/act'] button[type=submit]", label="platform-submitted")
    assert "審査中" in requester.page.content()

    platform = people("platform")
    platform.visit(environment, "platform-to-decide")
    platform.submit("form[action$='/act'] button[value=approve]", label="platform-approved")
    assert "承認済み" in platform.page.content()
    platform.submit("form[action$='/packages'] button[type=submit]", label="platform-generated")
    assert "不適合0" in platform.page.content()
    platform.visit(f"{environment}/packages/1", "platform-package")
    assert "AWS::CloudTrail::Trail" in platform.page.content()

    requester.visit(environment, "platform-approved-requester")
    requester.page.click("summary:has-text('アクセス権を申請する')")
    requester.page.fill("#g-login", "pm")
    requester.page.select_option("#g-role", "readonly")
    requester.page.fill("#g-ends", "2099-01-01")
    requester.page.fill("#g-reason", "稼働状況の確認")
    requester.submit("form[action$='/grants'] button[type=submit]", label="platform-grant-too-long")
    assert "付与の期間は366日以内にしてください" in requester.page.content()
    requester.page.click("summary:has-text('アクセス権を申請する')")
    requester.page.fill("#g-login", "pm")
    requester.page.select_option("#g-role", "readonly")
    requester.page.fill("#g-reason", "稼働状況の確認")
    requester.page.evaluate("document.querySelector('#g-ends').value = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10)")
    requester.submit("form[action$='/grants'] button[type=submit]", label="platform-grant-requested")
    assert "アクセス権を申請しました" in requester.page.content()
    assert requester.page.locator("form[action$='/decide'] button").count() == 0, "the requester cannot approve"

    platform.visit(environment, "platform-grant-to-approve")
    platform.submit("form[action$='/decide'] button:has-text('承認')", label="platform-grant-approved")
    assert "有効" in platform.page.content()

    platform.visit("/platform/reviews", "platform-reviews")
    platform.page.fill("#r-title", "E2E 棚卸し")
    platform.submit("form[action='/platform/reviews'] button[type=submit]", label="platform-review-opened")
    assert "棚卸しを始めました" in platform.page.content()
    platform.submit("form[action*='/items/'] button[value=confirm]", label="platform-review-decided")
    assert "判断を記録しました" in platform.page.content()
    with platform.page.expect_download() as download:
        platform.page.click("a[href$='/evidence.csv']")
    saved = tmp_path / "evidence.csv"
    download.value.save_as(saved)
    assert "confirm" in saved.read_text(encoding="utf-8-sig")
