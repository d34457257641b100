import Foundation
@testable import KakehashiServer
import Testing

@Suite struct DirectoryPagesTests {
    @Test func adminAddsAPersonWhoCanThenSignIn() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/131016/admin/people/new")
            let created = try await admin.post("/t/131016/admin/people/new", [
                ("login", "yamada"), ("displayName", "山田 花子"), ("nameKana", "ヤマダ ハナコ"), ("email", "yamada@example.jp"),
                ("orgUnitId", f.chiyoda.dxUnit), ("title", "主事"), ("validFrom", "2026-04-01"), ("role", "specialist"), ("team", "uiux"),
                ("password", "a-strong-password"),
            ])
            #expect(created.status == .normal)
            let person = try await admin.get(created.location!)
            #expect(person.body.contains("職員を登録しました"))
            #expect(person.body.contains("専門人材（UI/UX）"))
            #expect(person.body.contains("デジタル推進課"))
            let newcomer = Browser(client)
            #expect(try await newcomer.signIn("yamada", password: "a-strong-password").location == "/home")
        }
    }

    /// A role granted at 01:30 in Tokyo on 1 April is stored as 31 March in UTC: the page shows the
    /// Tokyo day, the same day as a membership that starts then.
    @Test func aRoleAndAMembershipOfTheSameTokyoDayShowTheSameDay() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            try await env.execute("""
                UPDATE role_grants SET granted_at = '2026-03-31T16:30:00.000Z'
                WHERE person_id = \(bind: f.chiyoda.requester)
                """)
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            let page = try await admin.get("/t/131016/people/\(f.chiyoda.requester)")
            // Both read 2026年4月1日, written the same way; neither the UTC day nor ISO text appears.
            #expect(page.body.components(separatedBy: "2026年4月1日").count >= 2)
            #expect(!page.body.contains("2026年3月31日") && !page.body.contains("2026-04-01") && !page.body.contains("2026-03-31"))
        }
    }

    @Test func invalidInputReRendersTheFormWithEveryMessageAndKeepsWhatWasTyped() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/131016/admin/people/new")
            let long = String(repeating: "長", count: 101)
            let page = try await admin.post("/t/131016/admin/people/new", [
                ("login", "Bad Login!"), ("displayName", long), ("nameKana", "Yamada"), ("email", "not-an-email"),
                ("orgUnitId", f.chiyoda.dxUnit), ("validFrom", "2026-02-30"), ("role", "specialist"), ("team", ""), ("password", "short"),
            ])
            #expect(page.status == .unprocessableContent)
            for message in ["半角英小文字", "100文字以内", "カタカナまたはひらがな", "メールアドレスの形式", "実在する日付", "専門チームを選んで", "12文字以上"] {
                #expect(page.body.contains(message), "missing: \(message)")
            }
            // What the user typed is still there (except the password), and errors are linked to fields.
            #expect(page.body.contains("value=\"Bad Login!\""))
            #expect(page.body.contains("value=\"not-an-email\""))
            #expect(page.body.contains("aria-describedby=\"f-email-error\""))
            #expect(page.body.contains("href=\"#f-login\""))
            #expect(!page.body.contains("value=\"short\""))
            // A taken login is reported on its field.
            let taken = try await admin.post("/t/131016/admin/people/new", [("login", "chiyoda-user"), ("displayName", "重複"), ("orgUnitId", f.chiyoda.dxUnit)])
            #expect(taken.status == .unprocessableContent)
            #expect(taken.body.contains("このログインIDはすでに使われています"))
        }
    }

    @Test func aTransferKeepsTheHistoryAndTheTreeShowsEachDate() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/131016/people/\(f.chiyoda.requester)/transfer")
            let moved = try await admin.post("/t/131016/people/\(f.chiyoda.requester)/transfer",
                                             [("orgUnitId", f.chiyoda.newUnit), ("title", "主任"), ("effectiveFrom", "2026-04-01")])
            #expect(moved.status == .normal)
            let history = try await env.db { db in
                try await db.read { sql in try await DirectoryRepository().memberships(of: f.chiyoda.requester, in: .forSystemTask(f.chiyoda.id), on: sql) }
            }
            #expect(history.map(\.orgUnitName) == ["DX戦略課", "デジタル推進課"])
            #expect(history[1].validTo == "2026-03-31")
            // The person page names each unit with its department, so same-named sections are distinguishable.
            let person = try await admin.get("/t/131016/people/\(f.chiyoda.requester)")
            #expect(person.body.contains("政策経営部 DX戦略課"))
            // The unit page on a date before the transfer still lists the person in the old unit.
            let before = try await admin.get("/t/131016/units/\(f.chiyoda.dxUnit)?at=2026-03-31")
            #expect(before.body.contains("依頼 太郎"))
            let after = try await admin.get("/t/131016/units/\(f.chiyoda.dxUnit)?at=2026-04-01")
            #expect(!after.body.contains("依頼 太郎"))
            // The tree on a date shows only the units in force then.
            let old = try await admin.get("/t/131016/directory?at=2023-06-30")
            #expect(old.body.contains("情報政策課") && !old.body.contains("DX戦略課"))
            let new = try await admin.get("/t/131016/directory?at=2023-07-01")
            #expect(!new.body.contains("情報政策課") && new.body.contains("DX戦略課"))
            // A transfer dated before the current membership began is refused with a reason.
            let backwards = try await admin.post("/t/131016/people/\(f.chiyoda.requester)/transfer",
                                                 [("orgUnitId", f.chiyoda.dxUnit), ("effectiveFrom", "2025-01-01")])
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.body.contains("2026-04-01"))
            // A bad date in the query is a clear 400, not a 500.
            let bad = try await admin.get("/t/131016/directory?at=yesterday")
            #expect(bad.status == .badRequest)
        }
    }

    @Test func rolesAreGrantedAndRevokedButNeverTheLastAdministrator() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/131016/people/\(f.chiyoda.requester)")
            #expect(try await admin.post("/t/131016/people/\(f.chiyoda.requester)/roles", [("role", "deskOfficer")]).status == .normal)
            let again = try await admin.post("/t/131016/people/\(f.chiyoda.requester)/roles", [("role", "deskOfficer")])
            #expect(again.status == .unprocessableContent)
            #expect(again.body.contains("すでに付与されています"))
            let sysadmin = try await admin.post("/t/131016/people/\(f.chiyoda.requester)/roles", [("role", "systemAdmin")])
            #expect(sysadmin.status == .unprocessableContent)
            let last = try await admin.post("/t/131016/people/\(f.chiyoda.admin)/roles/g-chiyoda-admin-tenantAdmin/revoke", [])
            #expect(last.status == .conflict)
            #expect(last.body.contains("最後の管理者"))
            let revoke = try await admin.post("/t/131016/people/\(f.chiyoda.requester)/roles/g-chiyoda-user-requester/revoke", [])
            #expect(revoke.status == .normal)
        }
    }

    @Test func onlyAdministratorsAdministerAndOnlyAuditorsReadTheAudit() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let user = Browser(client)
            try await user.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await user.get("/t/131016/people").status == .ok)
            // Search ignores ASCII case on both engines.
            #expect(try await user.get("/t/131016/people?q=CHIYODA-AUDITOR").body.contains("監査 次郎"))
            #expect(try await user.get("/t/131016/admin/people/new").status == .forbidden)
            #expect(try await user.get("/t/131016/audit").status == .forbidden)
            #expect(try await user.post("/t/131016/people/\(f.chiyoda.requester)/roles", [("role", "tenantAdmin")]).status == .forbidden)
            let auditor = Browser(client)
            try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
            let audit = try await auditor.get("/t/131016/audit?action=session")
            #expect(audit.status == .ok)
            #expect(audit.body.contains("session.signed_in"))
            #expect(try await auditor.get("/t/131016/admin/people/new").status == .forbidden)
        }
    }

    @Test func hostileURLsAndBodiesNeverCauseA500() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            try await browser.signIn("chiyoda-admin", password: Fixture.password)
            let long = String(repeating: "長", count: 10_000)
            for uri in ["/t/131016/people?q=%FF%FE", "/t/131016/people?q=%00%27%22--", "/t/131016/people?offset=-5", "/t/131016/people?offset=abc",
                        "/t/131016/people?q=\(Browser.encode(long))", "/t/131016/directory?at=%FF", "/t/%FF/directory", "/t/131016/units/%2e%2e%2f",
                        "/static/..%2fTemplates%2flayout.mustache", "/t/131016/audit?from=abc", "/t/131016/audit?before=zz",
                        "/t/131016/audit?action=\(Browser.encode("' OR 1=1 --"))", "/api/v1/tenants/%FF", "/api/v1/calendar/holidays?year=%FF",
                        "/t/131016/people/" + String(repeating: "x", count: 3000), "/t/131016/people/%00", "/t/131016/units/%00x",
                        "/api/v1/tenants/131016/people?q=%00", "/api/v1/tenants/131016/people/%00", "/api/v1/tenants/131016/org-units/%00",
                        "/desk/consultations?year=abc&state=zz&due=x&phase=%FF&kind=%00&tenant=\(long)&q=%00%27", "/desk/consultations?offset=-5",
                        "/desk/consultations/%00", "/desk/consultations/x/edit?step=9", "/desk/engagements/%27%20OR%201=1", "/desk/engagements/x/rate",
                        "/desk/consultations/x/decision"] {
                let page = try await browser.get(uri)
                #expect(page.status.code < 500, "\(uri.prefix(80)): \(page.status)")
            }
            let anonymous = Browser(client)
            try await anonymous.get("/signin")
            let nul = try await anonymous.post("/signin", [("login", "a\u{0}b"), ("password", "x")])
            #expect(nul.status.code < 500, "NUL in a login: \(nul.status)")
            try await browser.get("/t/131016/admin/people/new")
            let page = try await browser.post("/t/131016/admin/people/new", [("login", "\u{0}\u{7}"), ("displayName", long), ("orgUnitId", "' OR 1=1 --")])
            #expect(page.status == .unprocessableContent)
        }
    }

    @Test func auditCSVOpensInJapaneseExcel() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let auditor = Browser(client)
            try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
            let response = try await client.execute(uri: "/t/131016/audit.csv", method: .get,
                                                    headers: [.cookie: "kkh_session=\(auditor.cookies["kkh_session"]!)"])
            let bytes = Array(response.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("\r\n"))
            #expect(text.contains("\"session.signed_in\""))
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
        }
    }

    @Test func everyPageRendersInBothLanguagesForEveryRole() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            for login in ["chiyoda-admin", "chiyoda-user", "chiyoda-auditor", "sysadmin"] {
                for lang in ["ja", "en"] {
                    let browser = Browser(client)
                    try await browser.signIn(login, password: Fixture.password)
                    try await browser.get("/home")
                    try await browser.post("/preferences/lang", [("lang", lang), ("next", "/home")])
                    for uri in ["/home", "/account", "/t/131016/directory", "/t/131016/units/\(f.chiyoda.dxUnit)", "/t/131016/people",
                                "/t/131016/people?q=依頼", "/t/131016/people/\(f.chiyoda.requester)", "/tenants", "/nope"] {
                        let page = try await browser.get(uri)
                        #expect([.ok, .notFound].contains(page.status), "\(login) \(lang) \(uri): \(page.status)")
                        #expect(page.body.contains("<html lang=\"\(lang)\">"), "\(uri)")
                        #expect(!page.body.contains("{{"), "unrendered template in \(uri)")
                    }
                }
            }
        }
    }
}
