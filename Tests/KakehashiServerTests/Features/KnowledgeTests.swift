import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// ナレッジ: articles written by the desk, reviewed by a second person, read by their tier
/// (public ones without signing in), found by search; case studies from closed engagements
/// with the names of the people involved taken out.
@Suite struct KnowledgeTests {
    static func id(from location: String?) -> String? {
        location?.components(separatedBy: "?").first?.split(separator: "/").last.map(String.init)
    }

    static func searchTotal(_ client: any TestClientProtocol, _ q: String, token: String) async throws -> Int? {
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return SearchTests.total(try await client.api("/api/v1/search?q=\(encoded)&type=article", token: token).body)
    }

    @Test func anArticleIsReviewedPublishedToItsTierAndRevisedWithoutLosingTheLiveVersion() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let author = Browser(client)
            try await author.signIn("spec-pm", password: Fixture.password)
            #expect(try await author.get("/knowledge/new").status == .ok)
            let body = """
                ## 申請の流れ
                1. 利用申請を出す
                2. **アカウント**が発行される

                <script>alert(1)</script> [危ないリンク](javascript:alert(1)) [手引き](https://www.digital.go.jp/)
                """
            let created = try await author.post("/knowledge/new", [("title", "ガバメントクラウドの使い方 Q&A"), ("kind", "faq"), ("tier", "tenants"),
                                                                   ("body", body), ("tags", "ガバメントクラウド, ＦＡＱ"), ("related", ""), ("note", "初版")])
            #expect(created.status == .seeOther, "\(created.body.prefix(400))")
            let id = try #require(Self.id(from: created.location))
            let path = "/knowledge/\(id)"

            // A draft is the desk's only.
            let municipal = Browser(client)
            try await municipal.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await municipal.get(path).status == .notFound)
            #expect(try await Browser(client).get(path).status == .notFound)

            // The author asks for review but may not publish their own article.
            try await author.get(path)
            #expect(try await author.post("\(path)/submit", [("version", DeskSteps.versionField(author.lastBody))]).status == .seeOther)
            #expect(try await author.post("\(path)/publish", [("version", "1")]).status == .forbidden)
            let reviewer = Browser(client)
            try await reviewer.signIn("desk-officer", password: Fixture.password)
            try await reviewer.get(path)
            // Sending back needs a reason.
            let silent = try await reviewer.post("\(path)/return", [("version", "1"), ("note", "")])
            #expect(silent.status == .unprocessableContent)
            #expect(silent.body.contains("入力してください"))
            #expect(try await reviewer.post("\(path)/publish", [("version", "1"), ("note", "確認しました")]).status == .seeOther)

            // Readers of every tenant see it, rendered safely; visitors do not (tier: all tenants).
            let read = try await municipal.get(path)
            #expect(read.status == .ok)
            #expect(read.body.contains("<h2>申請の流れ</h2>"))
            #expect(read.body.contains("<strong>アカウント</strong>"))
            #expect(read.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!read.body.contains("<script>alert"))
            #expect(!read.body.contains("href=\"javascript"))
            #expect(read.body.contains("href=\"https://www.digital.go.jp/\" rel=\"noopener noreferrer nofollow\""))
            #expect(!read.body.contains("article-action"), "readers get no workflow forms")
            #expect(try await Browser(client).get(path).status == .notFound)
            let municipalToken = try await env.token(for: f.chiyoda.requester)
            #expect(try await Self.searchTotal(client, "ガバメント", token: municipalToken) == 1)
            let anonymousSearch = try await Browser(client).get("/search?q=%E3%82%AC%E3%83%90%E3%83%A1%E3%83%B3%E3%83%88")
            #expect(anonymousSearch.status == .ok)
            #expect(anonymousSearch.body.contains("0件"))
            // The tag list and filter use the normalised tag.
            let tagged = try await municipal.get("/knowledge?tag=faq")
            #expect(tagged.body.contains("ガバメントクラウドの使い方 Q&amp;A"))
            #expect(!(try await municipal.get("/knowledge?tag=%E7%AA%93%E5%8F%A3")).body.contains("ガバメントクラウドの使い方"))

            // A revision waits for review; readers keep the published version meanwhile.
            #expect(try await author.get("\(path)/edit").status == .ok)
            let revised = try await author.post("\(path)/edit", [("version", DeskSteps.versionField(author.lastBody)), ("title", "ガバメントクラウド利用の手引き"),
                                                                  ("kind", "guide"), ("tier", "public"), ("body", "## 手順\n改訂した本文"), ("tags", "ガバメントクラウド"),
                                                                  ("note", "一般公開に向けて改訂")])
            #expect(revised.status == .seeOther, "\(revised.body.prefix(400))")
            #expect(try await municipal.get(path).body.contains("ガバメントクラウドの使い方 Q&amp;A"))
            let editorView = try await author.get(path)
            #expect(editorView.body.contains("ガバメントクラウド利用の手引き"))
            #expect(editorView.body.contains("読者には第1版を"))
            // Someone saving from an old form is told, not overwritten.
            let stale = try await author.post("\(path)/edit", [("version", "1"), ("title", "古い"), ("kind", "faq"), ("tier", "desk"), ("body", "古い本文")])
            #expect(stale.status == .conflict)
            #expect(try await author.post("\(path)/submit", [("version", "2")]).status == .seeOther)
            #expect(try await reviewer.post("\(path)/publish", [("version", "2")]).status == .seeOther)
            let visitor = try await Browser(client).get(path)
            #expect(visitor.status == .ok)
            #expect(visitor.body.contains("改訂した本文"))
            #expect(try await Browser(client).get("/search?q=%E6%94%B9%E8%A8%82").body.contains("ガバメントクラウド利用の手引き"))   // 改訂
            #expect(try await Browser(client).get("/knowledge").body.contains("ガバメントクラウド利用の手引き"))

            // The history keeps every version, for the desk only.
            let v1 = try await author.get("\(path)/versions/1")
            #expect(v1.body.contains("ガバメントクラウドの使い方 Q&amp;A"))
            #expect(v1.body.contains("これは第1版です"))
            #expect(try await municipal.get("\(path)/versions/1").status == .notFound)

            // Archived: gone from readers and from search.
            #expect(try await reviewer.post("\(path)/archive", [("version", "2")]).status == .seeOther)
            #expect(try await Browser(client).get(path).status == .notFound)
            #expect(try await Self.searchTotal(client, "手引き", token: municipalToken) == 0)
            #expect(try await author.post("\(path)/edit", [("version", "2"), ("title", "x"), ("kind", "faq"), ("tier", "desk"), ("body", "y")]).status == .conflict)
            // Requesters do not write articles.
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            #expect(try await requester.get("/knowledge/new").status == .forbidden)
        }
    }

    @Test func badArticleInputIsExplainedAndKeepsWhatWasTyped() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let author = Browser(client)
            try await author.signIn("desk-officer", password: Fixture.password)
            try await author.get("/knowledge/new")
            let tags = (1...11).map { "タグ\($0)" }.joined(separator: "、")
            let bad = try await author.post("/knowledge/new", [("title", ""), ("kind", "novel"), ("tier", "everyone"), ("body", "本文は残る"),
                                                               ("tags", tags), ("related", "2026-9999")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("本文は残る"))
            #expect(bad.body.contains("タグは10個までです"))
            #expect(bad.body.contains("href=\"#f-title\""))
            let unknownCase = try await author.post("/knowledge/new", [("title", "題"), ("kind", "guide"), ("tier", "desk"), ("body", "本文"), ("related", "2026-9999")])
            #expect(unknownCase.status == .unprocessableContent)
            #expect(unknownCase.body.contains("相談番号「2026-9999」は見つからないか、閲覧できません"))
            #expect(try await author.get("/knowledge/no-such-article").status == .notFound)
            #expect(try await author.get("/knowledge/no-such-article/versions/abc").status == .notFound)
            #expect(try await author.post("/knowledge/no-such-article/publish", [("version", "1")]).status == .notFound)
        }
    }

    @Test func aClosedEngagementBecomesACaseStudyWithoutTheNamesOfThePeopleInvolved() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let caseId = try await DeskSteps.draft(requester, title: "介護認定申請のオンライン化")
            #expect(try await DeskSteps.submit(requester, caseId).status == .seeOther)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let accepted = try await DeskSteps.decide(desk, caseId, [("outcome", "accept"), ("scope", "要件定義と仕様書の確認"), ("leadLogin", "desk-officer")])
            let engagement = try #require(accepted.location?.components(separatedBy: "?").first)
            #expect(try await desk.get("\(engagement)/case-study").status == .conflict)
            try await desk.get("\(engagement)/close")
            #expect(try await desk.post("\(engagement)/close", [("version", DeskSteps.versionField(desk.lastBody)), ("outcome", "completed"),
                                                               ("lessons", "村上 健太さんと早めに業務フローを確認したのが良かった。")]).status == .seeOther)
            #expect(try await desk.get(engagement).body.contains("この支援を事例にする"))

            let form = try await desk.get("\(engagement)/case-study")
            #expect(form.status == .ok)
            #expect(form.body.contains("事例：介護認定申請のオンライン化"))
            #expect(form.body.contains("村上 健太 →「依頼者」に置き換える"))
            #expect(form.body.contains("## 教訓"))
            let fields: [(String, String)] = [("title", "事例：介護認定申請のオンライン化"), ("kind", "case_study"), ("tier", "tokyo"),
                                              ("body", "## 教訓\n村上 健太さんと早めに業務フローを確認した。村上さんの判断が早かった。"), ("tags", "仕様書チェック")]
            // With the names ticked, they are replaced by roles.
            let redacted = try await desk.post("\(engagement)/case-study", fields + [("redact", "村上 健太"), ("redact", "森 さくら")])
            #expect(redacted.status == .seeOther, "\(redacted.body.prefix(400))")
            let page = try await desk.get(try #require(redacted.location))
            #expect(page.body.contains("依頼者さんと早めに業務フローを確認した。依頼者さんの判断が早かった。"))
            #expect(!page.body.contains("村上"))
            // Left in, the names stop the case study from going beyond the desk.
            let named = try await desk.post("\(engagement)/case-study", fields)
            let namedPath = try #require(named.location?.components(separatedBy: "?").first)
            let refused = try await desk.post("\(namedPath)/submit", [("version", "1")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("関係者の氏名が残っています（村上 健太）"))
            let editForm = try await desk.get("\(namedPath)/edit")
            #expect(editForm.status == .ok)
            #expect(try await desk.post("\(namedPath)/edit", [("version", "1")] + fields.map { $0.0 == "tier" ? ("tier", "desk") : $0 }).status == .seeOther)
            #expect(try await desk.post("\(namedPath)/submit", [("version", "2")]).status == .seeOther)
            // Specialists write too, but not from an engagement they may not read.
            let other = Browser(client)
            try await other.signIn("spec-ux", password: Fixture.password)
            #expect(try await other.get("\(engagement)/case-study").status == .notFound)
        }
    }

    @Test func aCasePageShowsLinkedAndSimilarArticlesTheReaderMayRead() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let caseId = try await DeskSteps.draft(requester, title: "窓口予約システムの導入", summary: "窓口の予約をオンライン化して待ち時間を減らしたい。")
            #expect(try await DeskSteps.submit(requester, caseId).status == .seeOther)
            let number = try #require(try await env.db { db in
                try await db.read { sql in
                    try await sql.select().column("number").from("consultations").where("id", .equal, caseId).first(decodingColumn: "number", as: String?.self)
                }
            } ?? nil)
            let author = Browser(client)
            try await author.signIn("spec-pm", password: Fixture.password)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            try await desk.get("/knowledge")
            let admin = Browser(client)
            try await admin.signIn("sysadmin", password: Fixture.password)
            try await admin.get("/knowledge")
            // A specialist cannot link a case they may not read; the desk officer can.
            func publish(_ title: String, tier: String, related: String = "") async throws {
                let (author, desk) = related.isEmpty ? (author, desk) : (desk, admin)
                let created = try await author.post("/knowledge/new", [("title", title), ("kind", "good_practice"), ("tier", tier), ("body", "\(title)の本文"),
                                                                       ("related", related)])
                let path = try #require(created.location?.components(separatedBy: "?").first, "\(created.status) \(created.body.prefix(3000))")
                #expect(try await author.post("\(path)/submit", [("version", "1")]).status == .seeOther)
                #expect(try await desk.post("\(path)/publish", [("version", "1")]).status == .seeOther)
            }
            try await author.get("/knowledge/new")
            try await publish("予約受付の好事例", tier: "tokyo", related: number)
            try await publish("窓口予約オンライン化の進め方", tier: "tokyo")
            try await publish("窓口予約の内部メモ", tier: "desk")
            try await publish("庁内ネットワーク更改の手引き", tier: "tokyo")
            let page = try await requester.get("/desk/consultations/\(caseId)").body
            #expect(page.contains("関連するナレッジ"))
            #expect(page.contains("予約受付の好事例"))
            #expect(page.contains("窓口予約オンライン化の進め方"))
            #expect(!page.contains("窓口予約の内部メモ"), "a desk-only article is not shown to a requester")
            #expect(!page.contains("庁内ネットワーク更改の手引き"))
            #expect(try await desk.get("/desk/consultations/\(caseId)").body.contains("窓口予約の内部メモ"))
            // The article names the case it is about, for those who may read the case.
            let linked = try await requester.get("/knowledge?kind=good_practice")
            #expect(linked.body.contains("予約受付の好事例"))
        }
    }

    @Test func searchFiltersByTenantBureauAndTagAndRefusesUnknownOnes() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            _ = try await SearchTests.seed(env, f)   // six cases of 福祉局 (tokyo-welfare)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let q = "q=%E6%89%8B%E9%A0%86"   // 手順
            #expect(try await desk.get("/search?\(q)&bureau=tokyo-welfare").body.contains("1件見つかりました"))
            #expect(try await desk.get("/search?\(q)&bureau=tokyo-env").body.contains("0件"))
            #expect(try await desk.get("/search?\(q)&tenant=tokyo").body.contains("1件見つかりました"))
            #expect(try await desk.get("/search?\(q)&tenant=\(Fixture.chiyoda)").body.contains("0件"))
            #expect(try await desk.get("/search?\(q)&tag=%E3%81%AA%E3%81%84").body.contains("0件"))
            let unknown = try await desk.get("/search?\(q)&bureau=tokyo-nowhere")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("指定された局は見つかりません"))
            let token = try await env.token(for: f.desk.deskOfficer)
            #expect(SearchTests.total(try await client.api("/api/v1/search?\(q)&bureau=tokyo-welfare", token: token).body) == 1)
            #expect(try await client.api("/api/v1/search?\(q)&bureau=tokyo-nowhere", token: token).status == .unprocessableContent)
            #expect(SearchTests.total(try await client.api("/api/v1/search?\(q)&year=2025", token: token).body) == 0)
        }
    }
}
