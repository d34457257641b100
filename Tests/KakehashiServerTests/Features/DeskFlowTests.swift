import Foundation
import KakehashiCore
@testable import KakehashiServer
import Testing

/// The desk's whole path in the browser: draft, submit, triage, engagement with two
/// specialists, activities, a gate, close-out and the requester's rating.
@Suite struct DeskFlowTests {
    @Test func aConsultationGoesFromDraftToAClosedEngagement() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester)
            let review = try await requester.get("/desk/consultations/\(id)")
            #expect(review.body.contains("下書き"))
            #expect(review.body.contains("この内容で提出する"))
            let submitted = try await DeskSteps.submit(requester, id)
            #expect(submitted.location == "/desk/consultations/\(id)?done=consultation_submitted")
            let page = try await requester.get(submitted.location!)
            #expect(page.body.contains("相談を受け付けました"))
            let year = FiscalYear(containing: TokyoDate.today()).startYear
            #expect(page.body.contains("\(year)-0001"))
            // Submit locks the form.
            #expect(try await requester.get("/desk/consultations/\(id)/edit?step=1").status == .conflict)

            // The desk sees it in its queue, answers, and decides.
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let queue = try await desk.get("/desk/consultations")
            #expect(queue.body.contains("福祉手当のオンライン申請"))
            #expect(queue.body.contains("受付中の相談"))
            #expect(try await desk.get("/home").body.contains("判断待ち 1件（期限超過 0件"))
            try await desk.get("/desk/consultations/\(id)")
            let note = try await desk.post("/desk/consultations/\(id)/messages", [("body", "内部：仕様書の版を確認する"), ("internal", "true")])
            #expect(note.status == .seeOther || note.status == .found)
            try await desk.post("/desk/consultations/\(id)/messages", [("body", "ご相談ありがとうございます。来週打合せをお願いします。")])
            let accepted = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "要件定義書と仕様書のレビュー、UX設計の助言"),
                                                                   ("leadLogin", "desk-officer")])
            let engagementPath = try #require(accepted.location?.components(separatedBy: "?").first)
            #expect(engagementPath.hasPrefix("/desk/engagements/"))
            // The case left the queue, with a recorded decision.
            #expect(!(try await desk.get("/desk/consultations")).body.contains("福祉手当のオンライン申請"))

            // The requester sees the decision and the public message, not the desk's rubric or note.
            let decided = try await requester.get("/desk/consultations/\(id)")
            #expect(decided.body.contains("支援する"))
            #expect(decided.body.contains("来週打合せ"))
            #expect(!decided.body.contains("内部：仕様書の版"))
            #expect(!decided.body.contains("判断の理由"))

            // Two specialists join; one logs an activity.
            try await desk.get("\(engagementPath)/members/new")
            for (login, effort) in [("spec-pm", "30"), ("spec-ux", "20")] {
                let added = try await desk.post("\(engagementPath)/members/new", [("login", login), ("effortPercent", effort)])
                #expect(added.status == .seeOther || added.status == .found, "\(login): \(added.status)")
            }
            // The workload view shows who carries what; requesters do not see it.
            let load = try await desk.get("/desk/workload")
            #expect(load.body.contains(#"<th scope="row">岡田 悠人</th><td data-label="専門チーム">PM/PdM</td>"#
                + #"<td class="num" data-label="伴走中の案件">1</td><td class="num" data-label="想定工数">30%</td>"#))
            #expect(load.body.contains(#"<th scope="row">森 さくら</th><td data-label="専門チーム">各局支援担当</td>"#
                + #"<td class="num" data-label="伴走中の案件">1</td>"#))
            // Sorted by name, the load view says so in its header; a bad sort is the default order.
            let byName = try await desk.get("/desk/workload?sort=name&dir=asc")
            #expect(byName.body.contains(
                #"aria-sort="ascending"><a class="sort" href="/desk/workload?sort=name&amp;dir=desc">"#))
            #expect(try await desk.get("/desk/workload?sort=password&page=-1").status == .ok)
            #expect(try await requester.get("/desk/workload").status == .forbidden)
            let specialist = Browser(client)
            try await specialist.signIn("spec-ux", password: Fixture.password)
            try await specialist.get("\(engagementPath)/activities/new")
            let logged = try await specialist.post("\(engagementPath)/activities/new", [
                ("kind", "vendorMeeting"), ("occurredOn", TokyoDate.today().iso), ("minutes", "90"), ("participants", "局2名、事業者3名"),
                ("notes", "画面案についてUXの観点から助言した。")])
            #expect(logged.status == .seeOther || logged.status == .found)
            let engagement = try await desk.get(engagementPath)
            #expect(engagement.body.contains("岡田 悠人"))
            #expect(engagement.body.contains("中村 あおい"))
            #expect(engagement.body.contains("50%"))
            #expect(engagement.body.contains("画面案についてUXの観点から助言した。"))

            // A checklist item, then the gate: requirements → procurement.
            let item = try #require(engagement.body.range(of: "/checklist/").map { String(engagement.body[$0.upperBound...].prefix { $0 != "\"" }) })
            try await desk.post("\(engagementPath)/checklist/\(item)", [("done", "true")])
            try await desk.get("\(engagementPath)/gate")
            let gate = try await desk.post("\(engagementPath)/gate", [("version", DeskSteps.versionField(desk.lastBody)), ("decision", "proceed"),
                                                                       ("reason", "要件定義書が承認された"), ("nextGateDue", "2027-02-28")])
            #expect(gate.status == .seeOther || gate.status == .found, "\(gate.body.prefix(400))")
            let after = try await desk.get(engagementPath)
            #expect(after.body.contains("要件定義書が承認された"))
            #expect(after.body.contains("ゲート予定 2027年2月28日"))

            // Close-out, then the requester's rating.
            try await desk.get("\(engagementPath)/close")
            let closed = try await desk.post("\(engagementPath)/close", [("version", DeskSteps.versionField(desk.lastBody)), ("outcome", "completed"),
                                                                        ("lessons", "早い段階でUXの専門人材を入れると手戻りが減る。")])
            #expect(closed.status == .seeOther || closed.status == .found)
            try await requester.get("\(engagementPath)/rate")
            let rated = try await requester.post("\(engagementPath)/rate", [("satisfaction", "5"), ("satisfactionComment", "大変助かりました。")])
            #expect(rated.status == .seeOther || rated.status == .found)
            let final = try await requester.get(engagementPath)
            #expect(final.body.contains("5 とても満足"))
            #expect(final.body.contains("早い段階でUXの専門人材を入れると手戻りが減る。"))

            // Every change is in the audit trail, and the chain is intact.
            let report = try await env.db { db in try await db.read { sql in try await AuditRepository().verify(on: sql) } }
            guard case .intact = report else { Issue.record("audit chain broken: \(report)"); return }
            let actions = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT action FROM audit_events WHERE target_id = \(bind: id)").all(decodingColumn: "action", as: String.self) }
            }
            #expect(Set(actions).isSuperset(of: ["consultation.draft_created", "consultation.submitted", "consultation.decided", "consultation.message_posted"]))
        }
    }
}
