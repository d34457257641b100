import Foundation
@testable import KakehashiServer
import Testing

/// What the desk refuses, each with a clear message, and who may see which case.
@Suite struct DeskRulesTests {
    @Test func incompleteDraftsAndInvalidDecisionsAreRefusedWithReasons() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            // Step 1 needs a title and a valid phase; nothing is created without them.
            try await requester.get("/desk/consultations/new")
            let empty = try await requester.post("/desk/consultations/new", [("title", ""), ("phase", "someday"), ("contacts", "nobody-here")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("入力してください"))
            #expect(empty.body.contains("選択肢から選んでください"))
            // Contacts must be active staff of the same organisation; the message names the login.
            let strangers = try await requester.post("/desk/consultations/new", [("title", "連絡先の確認"), ("phase", "concept"),
                                                                                 ("contacts", "welfare-colleague"), ("contactsOther", "chiyoda-user")])
            #expect(strangers.status == .unprocessableContent)
            #expect(strangers.body.contains("ログインID「chiyoda-user」の職員が見つかりません"))
            #expect(strangers.body.contains(#"value="welfare-colleague" checked>"#) && strangers.body.contains(#"value="chiyoda-user""#),
                    "both the colleague ticked and the login typed are kept")

            // A procurement-related support kind needs the procurement date before submit.
            let id = try await DeskSteps.draft(requester, kinds: ["estimateCheck"], procurementStart: "")
            let refused = try await DeskSteps.submit(requester, id)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("調達の予定日が必要です"))
            #expect(refused.body.contains("aria-current=\"step\""))
            // Past procurement, the question is not asked at all.
            let later = try await DeskSteps.draft(requester, title: "運用改善の相談", phase: "operations", kinds: ["operationsReadiness"], procurementStart: "")
            let step3 = try await requester.get("/desk/consultations/\(later)/edit?step=3")
            #expect(!step3.body.contains("name=\"procurementStart\""))
            #expect(step3.body.contains("調達の予定は伺いません"))

            // Someone else saved meanwhile: the stale form is refused and says so.
            let step2 = try await requester.get("/desk/consultations/\(later)/edit?step=2")
            let stale = DeskSteps.versionField(step2.body)
            try await requester.post("/desk/consultations/\(later)/edit?step=2", [("version", stale), ("supportKinds", "dxAdvice"), ("desiredStart", "2026-12-01")])
            let conflict = try await requester.post("/desk/consultations/\(later)/edit?step=2", [("version", stale), ("supportKinds", "planning"),
                                                                                              ("desiredStart", "2026-12-01")])
            #expect(conflict.status == .conflict)
            #expect(conflict.body.contains("ほかの人がこの内容を先に更新しました"))
            #expect(conflict.body.contains("value=\"planning\" checked"))

            // Only desk officers decide; a decline needs a reason; scores must be 1–5.
            #expect(try await DeskSteps.submit(requester, later).status == .seeOther)
            #expect(try await requester.get("/desk/consultations/\(later)/decision").status == .forbidden)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let noReason = try await DeskSteps.decide(desk, later, [("outcome", "decline")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains("f-reason-error"))
            let badScore = try await desk.post("/desk/consultations/\(later)/decision", [("version", DeskSteps.versionField(desk.lastBody)),
                                                                                        ("outcome", "accept"), ("score_impact", "9")])
            #expect(badScore.status == .unprocessableContent)
            let declined = try await DeskSteps.decide(desk, later, [("outcome", "decline"), ("reason", "運用保守契約の範囲で対応できるため")])
            #expect(declined.status == .seeOther)
            // Decided cases cannot be decided again or withdrawn.
            #expect(try await desk.get("/desk/consultations/\(later)/decision").status == .conflict)
            let withdraw = try await requester.post("/desk/consultations/\(later)/withdraw", [("version", "")])
            #expect(withdraw.status == .conflict)
            #expect(try await requester.get("/desk/consultations/\(later)").body.contains("運用保守契約の範囲で対応できるため"))
        }
    }

    @Test func engagementsRefuseWhatTheirStateOrRolesDoNotAllow() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester, phase: "release", kinds: ["releaseAttendance"])
            try await DeskSteps.submit(requester, id)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let accepted = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "リリース立会い"), ("leadLogin", "welfare-colleague")])
            #expect(accepted.status == .unprocessableContent)
            #expect(accepted.body.contains("主担当には各局支援担当または専門人材"))
            let opened = try await DeskSteps.decide(desk, id, [("outcome", "accept"), ("scope", "リリース立会い")])
            let path = try #require(opened.location?.components(separatedBy: "?").first)

            // Only specialists join; effort is 1–100; nobody twice.
            try await desk.get("\(path)/members/new")
            let notSpecialist = try await desk.post("\(path)/members/new", [("login", "welfare-colleague"), ("effortPercent", "20")])
            #expect(notSpecialist.status == .unprocessableContent)
            #expect(notSpecialist.body.contains("専門人材の権限を持っていません"))
            let tooMuch = try await desk.post("\(path)/members/new", [("login", "spec-pm"), ("effortPercent", "150")])
            #expect(tooMuch.body.contains("1〜100の範囲"))
            try await desk.post("\(path)/members/new", [("login", "spec-pm"), ("effortPercent", "２０")])
            let twice = try await desk.post("\(path)/members/new", [("login", "spec-pm"), ("effortPercent", "20")])
            #expect(twice.body.contains("すでにチームにいます"))
            // Unknown team members and checklist items are "not found", and nothing changes.
            try await desk.get(path)
            #expect(try await desk.post("\(path)/members/nope/remove", []).status == .notFound)
            #expect(try await desk.post("\(path)/checklist/nope", [("done", "true")]).status == .notFound)
            #expect(try await requester.post("\(path)/checklist/nope", [("done", "true")]).status == .forbidden)

            // Requesters neither log activities nor decide gates; a gate needs a reason.
            #expect(try await requester.get("\(path)/activities/new").status == .forbidden)
            #expect(try await requester.get("\(path)/gate").status == .forbidden)
            try await desk.get("\(path)/gate")
            let noReason = try await desk.post("\(path)/gate", [("decision", "proceed"), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent)
            // The project is in release: proceeding leads to operations, the last phase, which only closes.
            try await desk.post("\(path)/gate", [("decision", "proceed"), ("reason", "リリース完了")])
            let last = try await desk.post("\(path)/gate", [("decision", "proceed"), ("reason", "次へ")])
            #expect(last.status == .conflict)
            #expect(last.body.contains("支援を完了してください"))
            // A future activity date is refused.
            try await desk.get("\(path)/activities/new")
            let future = try await desk.post("\(path)/activities/new", [("kind", "advice"), ("occurredOn", "2099-01-01"), ("minutes", "30"), ("notes", "x")])
            #expect(future.body.contains("未来の日付は記録できません"))

            // A stale close form is refused; then close, after which nothing changes.
            try await desk.get("\(path)/close")
            let version = DeskSteps.versionField(desk.lastBody)
            let stale = try await desk.post("\(path)/close", [("version", String((Int(version) ?? 0) - 1)), ("outcome", "completed"), ("lessons", "x")])
            #expect(stale.status == .conflict)
            try await desk.post("\(path)/close", [("version", version), ("outcome", "completed"), ("lessons", "立会いで障害を早期発見")])
            #expect(try await desk.get("\(path)/gate").status == .conflict)
            let closedGate = try await desk.post("\(path)/gate", [("decision", "rework"), ("reason", "やり直し")])
            #expect(closedGate.status == .conflict)
            #expect(closedGate.body.contains("完了した支援は変更できません"))
            #expect(try await desk.get("\(path)/rate").status == .forbidden)
        }
    }

    @Test func requestersSeeTheirUnitsCasesAndNoOneElses() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let draft = try await DeskSteps.draft(requester, title: "まだ下書きの相談")
            let submitted = try await DeskSteps.draft(requester, title: "提出済みの相談")
            try await DeskSteps.submit(requester, submitted)

            // A colleague of the same unit sees the submitted case, not the draft.
            let colleague = Browser(client)
            try await colleague.signIn("welfare-colleague", password: Fixture.password)
            #expect(try await colleague.get("/desk/consultations/\(submitted)").status == .ok)
            #expect(try await colleague.get("/desk/consultations/\(draft)").status == .notFound)
            let list = try await colleague.get("/desk/consultations")
            #expect(list.body.contains("提出済みの相談"))
            #expect(!list.body.contains("まだ下書きの相談"))

            // Another bureau, a municipality and a specialist not on the case see nothing.
            for login in ["env-user", "chiyoda-user", "spec-pm"] {
                let other = Browser(client)
                try await other.signIn(login, password: Fixture.password)
                #expect(try await other.get("/desk/consultations/\(submitted)").status == .notFound, "\(login)")
                #expect(try await other.post("/desk/consultations/\(submitted)/messages", [("body", "こんにちは")]).status == .notFound, "\(login)")
                #expect(!(try await other.get("/desk/consultations?state=")).body.contains("提出済みの相談"), "\(login)")
            }
            // The desk does not see drafts; a requester cannot post internal notes.
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            #expect(try await desk.get("/desk/consultations/\(draft)").status == .notFound)
            try await requester.get("/desk/consultations/\(submitted)")
            let note = try await requester.post("/desk/consultations/\(submitted)/messages", [("body", "内部のつもり"), ("internal", "true")])
            #expect(note.status == .unprocessableContent)

            // Once on the team, a specialist sees the case and its engagement.
            let opened = try await DeskSteps.decide(desk, submitted, [("outcome", "accept"), ("scope", "仕様書レビュー")])
            let path = try #require(opened.location?.components(separatedBy: "?").first)
            try await desk.get("\(path)/members/new")
            try await desk.post("\(path)/members/new", [("login", "spec-pm"), ("effortPercent", "10")])
            let specialist = Browser(client)
            try await specialist.signIn("spec-pm", password: Fixture.password)
            #expect(try await specialist.get(path).status == .ok)
            #expect(try await specialist.get("/desk/consultations/\(submitted)").status == .ok)
            let municipal = Browser(client)
            try await municipal.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await municipal.get(path).status == .notFound)
        }
    }
}
