import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import KakehashiServer
import SQLKit
import Testing

/// 移行評価: a system assessed with the shipped questionnaire (answers the catalog implies chosen
/// in advance), its risk and recommended strategy with reasons on its page, decisions recorded
/// with history, and questionnaires imported in our format and Konveyor's.
@Suite struct AssessmentTests {
    /// A-1 (Windows Server 2012 R2, past support; two interfaces) and B-1 in 東京都's catalog; A-1's id.
    static func catalog(_ env: TestEnvironment, _ client: any TestClientProtocol) async throws -> (Browser, String) {
        try await PortfolioTests.addPlatformEngineers(env)
        let platform = try await PortfolioTests.engineer("tokyo-platform", client)
        let systems = PortfolioTests.systemsHeader + "\nA-1,窓口システム,福祉局,,2,1,1,,,オンプレミス,,,B-1\nB-1,基幹システム,福祉局,,2,1,1,,,オンプレミス,,,\n"
        #expect(try await PortfolioTests.commit(platform, tenant: "tokyo", systems) == .seeOther)
        let parts = "システムID,種別,製品名,バージョン,サポート終了日\nA-1,OS,Windows Server,2012 R2,2023-10-10\n"
        #expect(try await PortfolioTests.commit(platform, tenant: "tokyo", parts) == .seeOther)
        let id = try await env.db { db in
            try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'A-1'").first(decodingColumn: "id", as: String.self) }
        }
        return (platform, try #require(id))
    }

    @Test func aSystemIsAssessedAndDecidedWithReasonsAndHistory() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await Self.catalog(env, client)
            let form = try await platform.get("/portfolio/systems/\(id)/assess")
            #expect(form.status == .ok)
            #expect(form.body.contains("移行方式評価（標準）") && form.body.contains("次の場合に回答します"))
            // The OS is past its support: that answer is chosen in advance.
            #expect(form.body.contains("<option value=\"ended\" selected>"))

            // An answer the question does not have: nothing stored, the form comes back with the message.
            let bad = try await platform.post("/portfolio/systems/\(id)/assess", [
                ("questionnaire", "kkh-migration-standard"), ("version", "1"), ("answer.app_type", "mainframe"), ("answer.os_support", "nonsense")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("この質問にない回答（nonsense）"))
            #expect(try await PortfolioTests.count(env, "system_assessments") == 0)

            let answers: [(String, String)] = [
                ("answer.business_future", "continues"), ("answer.usage_trend", "stable"), ("answer.app_type", "custom"),
                ("answer.source_code", "complete"), ("answer.os_support", "ended"), ("answer.virtualization", "physical"),
                ("answer.licence", "portable"), ("answer.data_volume", "large"), ("answer.characters", "none"),
                ("answer.coupling", "loose"), ("answer.downtime", "day"), ("answer.contract_end", "soon"), ("answer.team_skills", "experienced"),
                // Hidden for a custom system (only for packages): kept out of the score.
                ("answer.package_cloud", "offered")]
            let saved = try await platform.post("/portfolio/systems/\(id)/assess", [("questionnaire", "kkh-migration-standard"), ("version", "1")] + answers)
            #expect(saved.status == .seeOther)
            let page = try await platform.get("/portfolio/systems/\(id)")
            // replatform 1+1+2+3+1+1+1 = 10 against refactor 1+1+2+2−1+1+2 = 8: the winner, how sure, and why.
            #expect(page.body.contains("リプラットフォーム（基盤を替えて移す）　確度：中"))
            #expect(page.body.contains("「OS・ミドルウェア・データベースのサポート期限は。」に「すでに終わっている」（+3）"))
            #expect(page.body.contains("リスクのある回答と対応策") && page.body.contains("移行前に版数を上げるか"))
            #expect(page.body.contains("risk-red"), "two red answers of 13 shown questions are over the 10 % threshold")
            #expect(page.body.contains("赤2・黄1・不明0（対象13問、回答13問）"))
            #expect(!page.body.contains("クラウド版（SaaS・ガバメントクラウド対応版）"), "the hidden package question is not among the reasons")
            let stored = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT recommended, risk FROM system_assessments").first() }
            }
            #expect(try stored?.decode(column: "recommended", as: String.self) == "replatform")
            #expect(try stored?.decode(column: "risk", as: String.self) == "red")

            // The decision: a bad effort is refused with the fields kept; a good one is recorded, twice, with history.
            let review = try await platform.get("/portfolio/systems/\(id)/review")
            #expect(review.status == .ok && review.body.contains("評価の推奨はリプラットフォーム"))
            let wrong = try await platform.post("/portfolio/systems/\(id)/review", [("strategy", "replatform"), ("effort", "-3"), ("target_cloud", "aws"),
                                                                                    ("status", "preparing"), ("comment", "OS更新と同時に移行")])
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("0〜10000の範囲") && wrong.body.contains("OS更新と同時に移行"))
            let choices = try await platform.post("/portfolio/systems/\(id)/review", [("strategy", "rewrite"), ("effort", "3"), ("target_cloud", "mars"), ("status", "someday")])
            #expect(choices.status == .unprocessableContent && choices.body.contains("選択肢から選んでください") && choices.body.contains("入力してください"))
            #expect(try await platform.post("/portfolio/systems/\(id)/review", [("strategy", "replatform"), ("effort", "１２.５"), ("target_cloud", "aws"),
                                                                                ("status", "preparing"), ("comment", "OS更新と同時に移行")]).status == .seeOther)
            #expect(try await platform.post("/portfolio/systems/\(id)/review", [("strategy", "replatform"), ("effort", "14"), ("target_cloud", "aws"),
                                                                                ("status", "migrating"), ("comment", "")]).status == .seeOther)
            let decided = try await platform.get("/portfolio/systems/\(id)")
            #expect(decided.body.contains("14人月") && decided.body.contains("移行中"))
            #expect(decided.body.contains("12.5人月・準備中"), "the earlier decision stays in the history")
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action IN ('system.assessed', 'system.reviewed')") == 3)

            // Readers see the result but may not assess or decide.
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let read = try await desk.get("/portfolio/systems/\(id)")
            #expect(read.status == .ok && read.body.contains("リプラットフォーム") && !read.body.contains("/assess\""))
            #expect(try await desk.get("/portfolio/systems/\(id)/assess").status == .forbidden)
            #expect(try await desk.post("/portfolio/systems/\(id)/review", [("strategy", "retire"), ("effort", "1"), ("target_cloud", ""), ("status", "done")]).status == .forbidden)
            let outsider = Browser(client)
            try await outsider.signIn("chiyoda-platform", password: Fixture.password)
            #expect(try await outsider.get("/portfolio/systems/\(id)/assess").status == .notFound)
        }
    }

    static let konveyor = """
    name: Legacy readiness
    description: from Konveyor
    thresholds: {red: 5, yellow: 25, unknown: 15}
    sections:
      - order: 1
        name: Platform
        questions:
          - order: 1
            text: Which OS?
            answers:
              - {order: 1, text: Windows, risk: yellow, applyTags: [{category: OS, tag: Windows}], weights: {replatform: 2}}
              - {order: 2, text: Linux, risk: green, weights: {rehost: 2}}
          - order: 2
            text: Which Windows version?
            includeFor: [{category: OS, tag: Windows}]
            answers:
              - {order: 1, text: 2012 or older, risk: red, autoAnswerFor: [{category: Support, tag: ended}]}
              - {order: 2, text: Newer, risk: green}
    """

    @Test func questionnairesImportInBothFormatsWithEveryProblemNamed() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await Self.catalog(env, client)
            let list = try await platform.get("/portfolio/questionnaires")
            #expect(list.status == .ok && list.body.contains("移行方式評価（標準）") && list.body.contains("製品に同梱"))

            let imported = try await platform.upload("/portfolio/questionnaires", [("yaml", Self.konveyor)], files: [])
            #expect(imported.status == .seeOther)
            let again = try await platform.upload("/portfolio/questionnaires", [("yaml", Self.konveyor)], files: [])
            #expect(again.status == .ok && again.body.contains("同じ内容のため"))
            let changed = try await platform.upload("/portfolio/questionnaires", [("yaml", Self.konveyor.replacingOccurrences(of: "Newer", with: "2016 or newer"))], files: [])
            #expect(changed.status == .seeOther)
            #expect(try await PortfolioTests.count(env, "questionnaires", where: "id = 'konveyor-legacy-readiness'") == 2)
            // Another tenant's engineer does not publish a new version of 東京都's questionnaire (it is everyone's default).
            let ward = try await PortfolioTests.engineer("chiyoda-platform", client)
            let takeover = try await ward.upload("/portfolio/questionnaires", [("yaml", Self.konveyor.replacingOccurrences(of: "Newer", with: "Any"))], files: [])
            #expect(takeover.status == .unprocessableContent && takeover.body.contains("ほかの団体が取り込んだ質問票です"))
            #expect(try await PortfolioTests.count(env, "questionnaires", where: "id = 'konveyor-legacy-readiness'") == 2)

            let broken = try await platform.upload("/portfolio/questionnaires", [("yaml", "id: x\ntitle: t\nsections:\n  - id: s\n    title: t\n    questions:\n      - id: q\n        text: t\n        answers: [{id: a, text: a, risk: blue}]\n")], files: [])
            #expect(broken.status == .unprocessableContent)
            #expect(broken.body.contains("sections[1].questions[1].answers[1].risk：リスク「blue」は使えません"))
            #expect(broken.body.contains("id: x"), "the pasted text is kept")
            let older = try await platform.upload("/portfolio/questionnaires", [("yaml", "id: kkh-migration-standard\nversion: 1\ntitle: 別物\nsections: [{id: s, title: t, questions: [{id: q, text: t, answers: [{id: a, text: a, risk: green}]}]}]\n")], files: [])
            #expect(older.status == .unprocessableContent && older.body.contains("version を上げてください"))
            #expect(try await platform.upload("/portfolio/questionnaires", [("yaml", "")], files: []).status == .unprocessableContent)
            let newer = try await platform.upload("/portfolio/questionnaires", [("yaml", "id: kkh-migration-standard\nversion: 9\ntitle: 別物\nsections: [{id: s, title: t, questions: [{id: q, text: t, answers: [{id: a, text: a, risk: green}]}]}]\n")], files: [])
            #expect(newer.status == .unprocessableContent && newer.body.contains("改訂できるのはシステム管理者だけです"), "the shared questionnaire is not one tenant's to revise")
            let huge = try await platform.upload("/portfolio/questionnaires", files: [.init(field: "file", name: "q.yaml", type: "application/yaml",
                                                                                              data: Data(repeating: 0x20, count: QuestionnaireService.maxBytes + 1))])
            #expect(huge.status == .unprocessableContent && huge.body.contains("ファイルが大きすぎます"))
            let latin1 = try await platform.upload("/portfolio/questionnaires", files: [.init(field: "file", name: "q.yaml", type: "application/yaml",
                                                                                                data: Data([0x69, 0x64, 0x3A, 0x20, 0xE9, 0xFF]))])
            #expect(latin1.status == .unprocessableContent && latin1.body.contains("UTF-8のテキストとして読めません"))

            // Assessing with the imported questionnaire: the Windows question follows the Windows answer,
            // its old-version answer chosen in advance because A-1's OS is past support.
            let form = try await platform.get("/portfolio/systems/\(id)/assess?questionnaire=konveyor-legacy-readiness")
            #expect(form.status == .ok && form.body.contains("第2版") && form.body.contains("<option value=\"a1\" selected>2012 or older"))
            #expect(try await platform.post("/portfolio/systems/\(id)/assess", [("questionnaire", "konveyor-legacy-readiness"), ("version", "2"),
                                                                                ("answer.s1q1", "a1"), ("answer.s1q2", "a1")]).status == .seeOther)
            let page = try await platform.get("/portfolio/systems/\(id)")
            #expect(page.body.contains("Legacy readiness v2") && page.body.contains("risk-red"))

            let source = try await platform.get("/portfolio/questionnaires/konveyor-legacy-readiness/source?version=1")
            #expect(source.status == .ok && source.body.contains("text: Newer"))
            #expect(try await platform.get("/portfolio/questionnaires/nope/source").status == .notFound)
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            #expect(try await requester.get("/portfolio/questionnaires").status == .notFound)
        }
    }

    @Test func theAPIAssessesDecidesAndListsPlansWithThePagesRules() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (platform, id) = try await Self.catalog(env, client)
            let token = try await env.token(for: "p-tokyo-platform")
            let ward = try await env.token(for: f.chiyoda.admin)
            func call(_ uri: String, _ method: HTTPRequest.Method = .get, token: String, json: String? = nil) async throws -> (status: HTTPResponse.Status, body: String) {
                let r = try await client.api(uri, method: method, token: token, json: json)
                return (r.status, PortfolioTests.compact(r.body))
            }
            let made = try await call("/api/v1/systems/\(id)/assessments", .post, token: token,
                                      json: #"{"questionnaire":"kkh-migration-standard","answers":{"app_type":"mainframe","source_code":"none","os_support":"ended"}}"#)
            #expect(made.status == .created)
            #expect(made.body.contains("\"risk\":\"red\"") && made.body.contains("\"recommended\":\"repurchase\"") && made.body.contains("\"questionnaireVersion\":1"))
            let wrong = try await call("/api/v1/systems/\(id)/assessments", .post, token: token, json: #"{"questionnaire":"kkh-migration-standard","answers":{"app_type":"cobol"}}"#)
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("unknown_answer"))
            let unknown = try await call("/api/v1/systems/\(id)/assessments", .post, token: token, json: #"{"questionnaire":"nope","answers":{}}"#)
            #expect(unknown.status == .unprocessableContent)
            let decided = try await call("/api/v1/systems/\(id)/reviews", .post, token: token,
                                         json: #"{"strategy":"repurchase","effort":8.5,"targetCloud":"azure","status":"preparing","comment":"標準準拠へ"}"#)
            #expect(decided.status == .created && decided.body.contains("\"effort\":8.5") && decided.body.contains("\"assessment\":\""))
            let history = try await call("/api/v1/systems/\(id)/assessments", token: token)
            #expect(history.status == .ok && history.body.contains("\"strategy\":\"repurchase\"") && history.body.contains("\"shown\":["))
            // Another tenant's administrator neither reads nor writes them.
            #expect(try await call("/api/v1/systems/\(id)/assessments", token: ward).status == .notFound)
            #expect(try await call("/api/v1/systems/\(id)/reviews", .post, token: ward, json: #"{"strategy":"retire","effort":1}"#).status == .notFound)

            // Plans made on the page are listed and read through the API; another tenant's list is empty.
            #expect(try await WavePlanTests.plan(platform, [("seconds", "1")]).status == .seeOther)
            let list = try await call("/api/v1/wave-plans", token: token)
            #expect(list.status == .ok && list.body.contains("\"name\":\"標準案\"") && list.body.contains("\"status\":\"draft\""))
            let planId = try #require(list.body.range(of: #""id":""#).map { String(list.body[$0.upperBound...].prefix { $0 != "\"" }) })
            let plan = try await call("/api/v1/wave-plans/\(planId)", token: token)
            #expect(plan.status == .ok && plan.body.contains("\"assignment\":{") && plan.body.contains("\"platformCapacity\":20"))
            let hidden = try await call("/api/v1/wave-plans?tenant=tokyo", token: ward)
            #expect(hidden.status == .ok && hidden.body.contains("\"plans\"") && !hidden.body.contains("\"id\""))
            #expect(try await call("/api/v1/wave-plans/\(planId)", token: ward).status == .notFound)
        }
    }
}
