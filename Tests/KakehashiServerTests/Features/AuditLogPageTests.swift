import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing
import ZIPFoundation

/// The audit log as an auditor reads it: actions, people and records named in Japanese, the change
/// field by field, filters chosen from lists, exports with Japanese headers in Japan time, and the
/// chain verified from the page with the result recorded.
@Suite struct AuditLogPageTests {
    /// Catalog keys, action codes and ids that must not reach a Japanese audit page.
    static let rawPatterns = [
        #"\b(audit|report|validation|filter|role|team)_[a-z0-9_]+\b"#,
        #"\b[a-z_]+\.[a-z_]+ed\b"#,                      // person.created, platform.grant_requested …
        #"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#,
        #"\d{4}-\d\d-\d\dT\d\d:"#,                        // ISO timestamps
        #"[{]"[a-zA-Z]+":"#,                             // JSON
    ]

    static func rawTokens(_ html: String) -> [String] {
        let text = html.replacingOccurrences(of: #"<(script|style)[^>]*>.*?</\1>"#, with: "", options: [.regularExpression])
            .replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
        return rawPatterns.flatMap { pattern -> [String] in
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
                .compactMap { Range($0.range, in: text).map { String(text[$0]) } }
        }
    }

    /// The chiyoda administrator adds two people; an auditor then reads the tenant's trail.
    private func twoPeopleAdded(_ client: any TestClientProtocol, _ f: Fixture) async throws -> Browser {
        let admin = Browser(client)
        try await admin.signIn("chiyoda-admin", password: Fixture.password)
        for (login, name) in [("audit-one", "記録 一郎"), ("audit-two", "=HYPERLINK(\"http://x\")")] {
            try await admin.get("/t/\(f.chiyoda.id)/admin/people/new")
            let made = try await admin.post("/t/\(f.chiyoda.id)/admin/people/new",
                                             [("login", login), ("displayName", name), ("orgUnitId", f.chiyoda.dxUnit)])
            #expect(made.status == .seeOther, "\(made.status) \(made.body.prefix(300))")
        }
        let auditor = Browser(client)
        try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
        return auditor
    }

    static func personId(_ env: TestEnvironment, login: String) async throws -> String {
        try await env.db { db in
            try await db.read { sql in
                try await sql.raw("SELECT id FROM people WHERE login = \(bind: login)").first(decodingColumn: "id",
                    as: String.self) ?? ""
            }
        }
    }

    /// The page's text without its markup (option values and links are not read by people).
    static func text(_ html: String) -> String {
        html.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
    }

    @Test func thePageNamesActionsPeopleAndRecordsInJapanese() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let auditor = try await twoPeopleAdded(client, f)
            let one = try await Self.personId(env, login: "audit-one")
            let page = try await auditor.get("/t/\(f.chiyoda.id)/audit")
            #expect(page.status == .ok)
            #expect(page.body.contains("職員のアカウントを作成"))
            #expect(page.body.contains("所属を登録"))
            #expect(page.body.contains(">管理 花子</a>"), "the actor is named and linked")
            #expect(page.body.contains("href=\"/t/\(f.chiyoda.id)/people/\(one)\">記録 一郎</a>"),
                "the target is named and linked")
            #expect(page.body.contains("<span class=\"field-name\">表示名</span>：記録 一郎"),
                "the change is shown by its label")
            #expect(page.body.contains("デジタル推進課"), "a unit id in the change is shown by its name")
            #expect(page.body.range(of: #"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d"#, options: .regularExpression) != nil)
            #expect(Self.rawTokens(page.body).isEmpty, "\(Self.rawTokens(page.body))")
            #expect(!Self.text(page.body).contains("person.created"))

            // The action filter is a list grouped by area of work; filtering keeps to what was chosen.
            #expect(page.body.contains("<optgroup label=\"組織・職員\">"))
            let only = try await auditor.get("/t/\(f.chiyoda.id)/audit?action=membership.started")
            #expect(only.body.contains("所属を登録"))
            #expect(!only.body.contains("<td data-label=\"操作\">職員のアカウントを作成</td>"))
            let adminRecords = try await Self.count(env,
                "tenant_id = '\(f.chiyoda.id)' AND actor_id = '\(f.chiyoda.admin)'")
            #expect(adminRecords >= 4)
            let byActor = try await auditor.get("/t/\(f.chiyoda.id)/audit?actor=p:\(f.chiyoda.admin)")
            #expect(byActor.body.contains("\(adminRecords)件中 1〜\(adminRecords)件を表示"))
            #expect(!byActor.body.contains("<td data-label=\"操作者\">監査 次郎"))
            let byTarget = try await auditor.get("/t/\(f.chiyoda.id)/audit?target=person:\(one)")
            #expect(byTarget.body.contains("職員：記録 一郎"))
            #expect(!byTarget.body.contains("=HYPERLINK"))

            // English reads English.
            try await auditor.post("/preferences/lang", [("lang", "en"), ("next", "/home")])
            let english = try await auditor.get("/t/\(f.chiyoda.id)/audit")
            #expect(english.body.contains("Account created"))
            #expect(!english.body.contains("職員のアカウントを作成"))
        }
    }

    @Test func aBadFilterIsNamedAndTheRestOfTheFilterStays() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let auditor = try await twoPeopleAdded(client, f)
            let page = try await auditor.get("/t/\(f.chiyoda.id)/audit?action=person.created&from=2026-13-45&to=2020-01-01")
            #expect(page.status == .ok)
            #expect(page.body.contains("日付を YYYY-MM-DD の形式で"))
            #expect(page.body.contains("value=\"person.created\" selected"), "the action chosen is kept")
            #expect(page.body.contains("value=\"2026-13-45\""), "the bad date is shown back to be corrected")
            #expect(page.body.contains("職員のアカウントを作成"), "the rest of the filter still applies")
            let unknown = try await auditor.get("/t/\(f.chiyoda.id)/audit?action=drop.tables&actor=nobody&target=rocket")
            #expect(unknown.status == .ok)
            #expect(unknown.body.contains("選択肢から選んでください"))
            let reversed = try await auditor.get("/t/\(f.chiyoda.id)/audit?from=2026-12-10&to=2026-12-01")
            #expect(reversed.body.contains("終了日は開始日以降"))
        }
    }

    @Test func exportsHaveJapaneseHeadersJapanTimeAndSafeCells() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let auditor = try await twoPeopleAdded(client, f)
            // An action at 07:30 in Tokyo is 22:30 UTC the day before.
            let one = try await Self.personId(env, login: "audit-one")
            try await env.execute("UPDATE audit_events SET at = '2026-12-01T22:30:00.000Z' WHERE target_id = \(bind: one) AND action = 'person.created'")
            let csv = try await auditor.get("/t/\(f.chiyoda.id)/audit.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let text = String(decoding: csv.bytes.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines[0].hasPrefix("\"通番\",\"日時（日本時間）\",\"操作者\",\"操作者のログインID\",\"操作\""))
            #expect(text.contains("\"2026-12-02 07:30:00\""))
            #expect(text.contains("\"'=HYPERLINK"), "a cell that would run as a formula is made text")
            #expect(!text.contains(",\"=HYPERLINK"))


            let xlsx = try await auditor.get("/t/\(f.chiyoda.id)/audit.xlsx")
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            var archive = try OfficeArchive(xlsx.bytes)
            let book = try Workbook.read(&archive)
            #expect(book.sheets.count == 1)
            #expect(book.sheets[0].rows[0].prefix(3) == ["通番", "日時（日本時間）", "操作者"])
            #expect(book.sheets[0].rows.count == lines.count)
            #expect(book.sheets[0].rows.contains { $0.contains("=HYPERLINK(\"http://x\")") },
                "text stays text, never a formula")

            // An empty range is still a valid file with its header.
            let empty = try await auditor.get("/t/\(f.chiyoda.id)/audit.csv?from=2001-01-01&to=2001-01-02")
            let emptyLines = String(decoding: empty.bytes.dropFirst(3),
                as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(emptyLines.count == 1)
            var emptyArchive = try OfficeArchive(try await auditor.get("/t/\(f.chiyoda.id)/audit.xlsx?from=2001-01-01&to=2001-01-02").bytes)
            #expect(try Workbook.read(&emptyArchive).sheets[0].rows.count == 1)
            // A bad filter on an export is a clear 400, not a file of the wrong records.
            #expect(try await auditor.get("/t/\(f.chiyoda.id)/audit.csv?from=2026-02-31").status == .unprocessableContent)

            try await auditor.post("/preferences/lang", [("lang", "en"), ("next", "/home")])
            let english = try await auditor.get("/t/\(f.chiyoda.id)/audit.csv")
            #expect(String(decoding: english.bytes.dropFirst(3), as: UTF8.self).hasPrefix("\"No.\",\"Time (JST)\""))
        }
    }

    @Test func auditorsVerifyTheChainFromThePageAndTheCheckIsRecorded() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let auditor = try await twoPeopleAdded(client, f)
            var page = try await auditor.get("/t/\(f.chiyoda.id)/audit")
            #expect(page.body.contains("まだ確認されていません"))
            let checked = try await auditor.post("/t/\(f.chiyoda.id)/audit/verify", [])
            #expect(checked.status == .seeOther)
            let records = try await Self.count(env, "1 = 1") - 1   // the check's own record comes after it
            page = try await auditor.get("/t/\(f.chiyoda.id)/audit")
            #expect(page.body.contains("改ざんはありません（記録 \(records) 件）"))
            #expect(page.body.contains("監査 次郎"), "who checked is named")
            #expect(page.body.contains("監査ログの改ざん確認"))

            // Someone with database access rewrites a record: the next check from the page says where.
            try await env.execute("UPDATE audit_events SET after_json = '{\"displayName\":\"偽装\"}' WHERE seq = 3")
            try await auditor.post("/t/\(f.chiyoda.id)/audit/verify", [])
            page = try await auditor.get("/t/\(f.chiyoda.id)/audit")
            #expect(page.body.contains("改ざんを検出しました：通番 3 — 記録の内容が書き換えられています"))
            #expect(page.body.contains("class=\"warn\""))
            let recorded = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT actor_id, after_json FROM audit_events WHERE action = 'audit.verified' ORDER BY seq")
                        .all(decoding: VerifiedRow.self, with: .snake)
                }
            }
            #expect(recorded.map(\.actorId) == [f.chiyoda.auditor, f.chiyoda.auditor])
            #expect(recorded.last?.afterJson.contains("\"brokenAt\":3") == true)

            // Another tenant's auditor may not verify from this tenant's page, nor read it.
            let other = Browser(client)
            try await other.signIn("hachioji-auditor", password: Fixture.password)
            try await other.get("/t/\(f.hachioji.id)/audit")
            #expect(try await other.post("/t/\(f.chiyoda.id)/audit/verify", []).status == .notFound)
            #expect(try await other.get("/t/\(f.chiyoda.id)/audit").status == .notFound)
            // A requester of the tenant may not either.
            let requester = Browser(client)
            try await requester.signIn("chiyoda-user", password: Fixture.password)
            try await requester.get("/account")
            #expect(try await requester.post("/t/\(f.chiyoda.id)/audit/verify", []).status == .forbidden)
        }
    }

    static func count(_ env: TestEnvironment, _ condition: String) async throws -> Int {
        try await env.db { db in
            try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE \(unsafeRaw: condition)").first(decodingColumn: "n", as: Int.self) ?? -1
            }
        }
    }

    struct VerifiedRow: Decodable { let actorId: String; let afterJson: String }

    @Test func numbersOfOtherTenantsRecordsAreExplained() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let first = Browser(client)
            try await first.signIn("chiyoda-admin", password: Fixture.password)
            try await first.get("/t/\(f.chiyoda.id)/admin/people/new")
            try await first.post("/t/\(f.chiyoda.id)/admin/people/new", [("login", "gap-a"), ("displayName", "間 一"),
                ("orgUnitId", f.chiyoda.dxUnit)])
            let second = Browser(client)
            try await second.signIn("hachioji-admin", password: Fixture.password)
            try await second.get("/t/\(f.hachioji.id)/admin/people/new")
            try await second.post("/t/\(f.hachioji.id)/admin/people/new", [("login", "gap-b"), ("displayName", "間 二"),
                ("orgUnitId", f.hachioji.dxUnit)])
            try await first.post("/t/\(f.chiyoda.id)/admin/people/new", [("login", "gap-c"), ("displayName", "間 三"),
                ("orgUnitId", f.chiyoda.dxUnit)])
            let auditor = Browser(client)
            try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
            let page = try await auditor.get("/t/\(f.chiyoda.id)/audit")
            let others = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT seq FROM audit_events WHERE tenant_id = \(bind: f.hachioji.id) ORDER BY seq")
                        .all(decodingColumn: "seq", as: Int.self)
                }
            }
            let (low, high) = (try #require(others.first), try #require(others.last))
            #expect(others == Array(low...high), "the other tenant's records are one run")
            #expect(page.body.contains("通番 \(low)〜\(high)（\(others.count)件）は他の団体の記録のため表示していません。"))
            #expect(!page.body.contains("間 二"))
        }
    }

    /// Every action the sources record is listed, and named in both catalogs.
    @Test func everyRecordedActionHasANameInBothLanguages() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        let literal = try NSRegularExpression(pattern: #"(?:AuditLog\.record\(|audit: )\s*"([a-z_]+\.[a-z_]+)""#)
        var found = Set<String>()
        for file in files {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            for match in literal.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(found.count > 60)
        #expect(found.subtracting(AuditActions.all).isEmpty,
            "not listed in AuditActions: \(found.subtracting(AuditActions.all).sorted())")
        let l = try Localizer.load()
        for action in AuditActions.all {
            #expect(l.catalog(.ja)[AuditActions.catalogKey(action)] != nil, "no Japanese name for \(action)")
            #expect(l.catalog(.en)[AuditActions.catalogKey(action)] != nil, "no English name for \(action)")
        }
        #expect(Set(AuditActions.all).count == AuditActions.all.count)
    }
}
