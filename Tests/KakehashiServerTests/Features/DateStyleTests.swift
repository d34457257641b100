import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing

/// Dates on the pages are written as a Tokyo office writes them, in 西暦 by default and in 和暦 for
/// a person who chooses it; machine outputs keep ISO whatever the choice.
@Suite struct DateStyleTests {
    @Test func theFormatterWritesDaysAndTimesAsAnOfficeDoes() {
        let day = LocalDate(year: 2026, month: 12, day: 2)!
        #expect(DateText.day(day, .ja) == "2026年12月2日")
        #expect(DateText.day(day, .en) == "2 Dec 2026")
        #expect(DateText.$era.withValue(true) { DateText.day(day, .ja) } == "令和8年12月2日")
        #expect(DateText.$era.withValue(true) { DateText.day(LocalDate(year: 2019, month: 5, day: 1)!,
            .ja) } == "令和元年5月1日")
        #expect(DateText.$era.withValue(true) { DateText.day(day, .en) } == "2 Dec 2026", "English has no 和暦")
        // 22:30 UTC on 1 December is 07:30 on 2 December in Tokyo.
        #expect(DateText.time("2026-12-01T22:30:00.000Z", .ja) == "2026年12月2日 07:30")
        #expect(DateText.day(at: "2026-12-01T22:30:00.000Z", .ja) == "2026年12月2日")
        #expect(DateText.day(iso: "not a date", .ja) == "not a date")
        let other = LocalDate(year: 2025, month: 12, day: 4)!
        #expect(DateText.$era.withValue(true) { DayLabel.format(other, today: day, l: try! Localizer.load(),
            lang: .ja) } == "令和7年12月4日（木）")
    }

    @Test func aPersonChoosesWarekiAndEveryPageFollows() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            try await env.execute("UPDATE role_grants SET granted_at = '2026-03-31T16:30:00.000Z' WHERE person_id = \(bind: f.chiyoda.requester)")
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            var page = try await admin.get("/t/131016/people/\(f.chiyoda.requester)")
            #expect(page.body.contains("2026年4月1日"))
            let account = try await admin.get("/account")
            #expect(account.body.contains("value=\"western\" checked"))
            #expect(account.body.contains("和暦（令和"))

            // A value that is not offered changes nothing and says why.
            let refused = try await admin.post("/account/dates", [("dateStyle", "klingon")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("選択肢から選んでください"))

            let chosen = try await admin.post("/account/dates", [("dateStyle", "era")])
            #expect(chosen.status == .found)
            page = try await admin.get("/t/131016/people/\(f.chiyoda.requester)")
            #expect(page.body.contains("令和8年4月1日"))
            #expect(!page.body.contains("2026年4月1日"))
            #expect(try await admin.get("/account?done=date_style").body.contains("日付の表示を変更しました"))

            // Another person's pages are untouched; the API keeps ISO.
            let auditor = Browser(client)
            try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
            #expect(try await auditor.get("/t/131016/people/\(f.chiyoda.requester)").body.contains("2026年4月1日"))
            let token = try await env.token(for: f.chiyoda.admin)
            let api = try await client.api("/api/v1/tenants/131016/people/\(f.chiyoda.requester)/memberships",
                token: token)
            #expect(api.body.range(of: #"\d{4}-\d\d-\d\d"#, options: .regularExpression) != nil)
            #expect(!api.body.contains("令和"))

            let recorded = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT after_json FROM audit_events WHERE action = 'person.date_style_changed'")
                        .all(decodingColumn: "after_json", as: String.self)
                }
            }
            #expect(recorded == [#"{"dateStyle":"era"}"#])
        }
    }
}
