import Foundation
@testable import KakehashiServer
import Testing

/// 成果物レビュー: recorded by the team with a verdict per point, read by the requester,
/// refused when the verdicts disagree or points lack words.
@Suite struct DeliverableReviewTests {
    @Test func theTeamRecordsAReviewPointByPointAndTheRequesterReadsIt() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let accepted = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "成果物の確認"), ("leadLogin", "desk-officer")])
            let engagement = try #require(accepted.location?.components(separatedBy: "?").first)

            let form = try await desk.get("\(engagement)/reviews/new")
            #expect(form.body.contains("指摘1：該当箇所"))
            let base: [(String, String)] = [("deliverable", "要件定義書"), ("versionLabel", "第1.2版"), ("reviewedOn", TokyoDate.today().iso),
                                            ("summary", "全体として整理されているが、非機能要件に不足がある。"),
                                            ("item_reference_1", "2.1 業務フロー"), ("item_verdict_1", "ok"),
                                            ("item_reference_2", "4.3 可用性"), ("item_verdict_2", "mustFix"), ("item_comment_2", "稼働率の目標値がない。"),
                                            ("item_reference_4", "付録A 用語集"), ("item_verdict_4", "comment"), ("item_comment_4", "略語の定義を追加してほしい。")]
            // "Approved" with a point to fix is refused, and so is a point to fix without words.
            let approved = try await desk.post("\(engagement)/reviews/new", base + [("verdict", "approved")])
            #expect(approved.status == .unprocessableContent)
            #expect(approved.body.contains("意見や要修正の指摘があるときは「承認」にできません"))
            #expect(approved.body.contains("value=\"4.3 可用性\""))
            let silent = try await desk.post("\(engagement)/reviews/new", [("deliverable", "設計書"), ("reviewedOn", TokyoDate.today().iso), ("verdict", "rework"),
                                                                          ("item_reference_1", "3章"), ("item_verdict_1", "mustFix")])
            #expect(silent.status == .unprocessableContent)
            #expect(silent.body.contains("href=\"#f-item_comment_1\""))
            let empty = try await desk.post("\(engagement)/reviews/new", [("deliverable", "設計書"), ("reviewedOn", TokyoDate.today().iso), ("verdict", "approved")])
            #expect(empty.body.contains("指摘事項を1件以上入力してください"))

            let recorded = try await desk.post("\(engagement)/reviews/new", base + [("verdict", "rework")])
            #expect(recorded.status == .seeOther)
            // The requester reads the points, numbered in order, blank rows left out.
            let page = try await requester.get(engagement)
            #expect(page.body.contains("要件定義書（第1.2版）"))
            #expect(page.body.contains("再提出"))
            #expect(page.body.contains("（要修正 1）"))
            #expect(page.body.contains("<td class=\"num\">3</td><td>付録A 用語集</td>"))
            // Only the team records reviews.
            #expect(try await requester.get("\(engagement)/reviews/new").status == .forbidden)

            // The API records and lists the same, with the same rules.
            let token = try await env.token(for: f.desk.deskOfficer)
            let engagementId = String(engagement.split(separator: "/").last!)
            let bad = try await client.api("/api/v1/engagements/\(engagementId)/reviews", method: .post, token: token, json: """
                {"deliverable":"テスト計画書","reviewedOn":"\(TokyoDate.today().iso)","verdict":"rework","items":[{"reference":"1章","verdict":"ok"}]}
                """)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("review_verdict_rework_inconsistent"))
            let good = try await client.api("/api/v1/engagements/\(engagementId)/reviews", method: .post, token: token, json: """
                {"deliverable":"テスト計画書","reviewedOn":"\(TokyoDate.today().iso)","verdict":"approved","items":[{"reference":"1章","verdict":"ok"}]}
                """)
            #expect(good.status == .created, "\(good.body)")
            let list = try await client.api("/api/v1/engagements/\(engagementId)/reviews", token: token)
            #expect(list.body.contains("テスト計画書"))
            #expect(list.body.contains("稼働率の目標値がない。"))
            let outsider = try await env.token(for: f.chiyoda.requester)
            #expect(try await client.api("/api/v1/engagements/\(engagementId)/reviews", token: outsider).status == .notFound)

            // A closed engagement takes no more reviews.
            try await desk.get("\(engagement)/close")
            #expect(try await desk.post("\(engagement)/close", [("version", DeskSteps.versionField(desk.lastBody)), ("outcome", "completed"),
                                                               ("lessons", "非機能要件は早めに確認する")]).status == .seeOther)
            #expect(try await desk.post("\(engagement)/reviews/new", base + [("verdict", "rework")]).status == .conflict)
        }
    }
}
