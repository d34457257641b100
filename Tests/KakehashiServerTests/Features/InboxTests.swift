import Foundation
import HummingbirdTesting
import KakehashiAPI
import SQLKit
import Testing

@testable import KakehashiCore
@testable import KakehashiServer

/// やること: each person's inbox holds their own work and nothing they may not read, on the page,
/// on the home page, in the menu's count and in `GET /api/v1/me/tasks`.
@Suite struct InboxTests {
    struct Tasks: Decodable {
        struct Task: Decodable {
            let kind: String
            let module: String
            let title: String
            let href: String
            let summary: String
            let due: String?
            let businessDaysLeft: Int?
            let overdue: Bool
            let count: Int?
            let targetId: String
        }
        let total: Int
        let overdue: Int
        let tasks: [Task]
    }

    static func tasks(_ client: any TestClientProtocol, _ token: String, _ query: String = "") async throws -> Tasks {
        let answer = try await client.api("/api/v1/me/tasks\(query)", token: token)
        #expect(answer.status == .ok, "\(answer.body)")
        return try JSONDecoder().decode(Tasks.self, from: Data(answer.body.utf8))
    }

    /// In-app notices of messages the person has received.
    static func messageNotices(_ env: TestEnvironment, to personId: String) async throws -> Int {
        try await env.db { db in
            try await db.read { sql in
                try await sql.raw("""
                    SELECT COUNT(*) AS n FROM notifications WHERE person_id = \(bind: personId) AND kind = 'messagePosted'
                    """).first(decodingColumn: "n", as: Int.self) ?? 0
            }
        }
    }

    static func kinds(_ t: Tasks, about id: String) -> [String] { t.tasks.filter { $0.targetId == id }.map(\.kind) }

    @Test func requesterDeskAndSpecialistsEachSeeTheirOwnDeskWork() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let requester = try await env.token(for: f.desk.requester)
            let desk = try await env.token(for: f.desk.deskOfficer)
            let colleague = try await env.token(for: f.desk.colleague)
            let ux = try await env.token(for: f.desk.uxSpecialist)
            let municipal = try await env.token(for: f.chiyoda.requester)
            let created = try await client.api(
                "/api/v1/consultations", method: .post, token: requester,
                json: #"{"title":"受付システムの更改","phase":"requirements","summary":"概要","supportKinds":["uxDesign"]}"#)
            let draft = try JSONDecoder().decode(DeskAPITests.Created.self, from: Data(created.body.utf8))
            let id = draft.id
            #expect(
                try await client.api(
                    "/api/v1/consultations/\(id)", method: .patch, token: requester,
                    json: #"{"desiredStart":"2026-12-01","budgetRange":"under10m","version":\#(draft.version)}"#
                ).status == .ok)

            // A draft is its author's alone.
            #expect(Self.kinds(try await Self.tasks(client, requester), about: id) == ["draft"])
            for other in [desk, colleague, municipal] {
                #expect(Self.kinds(try await Self.tasks(client, other), about: id).isEmpty)
            }

            // Submitted: the desk owes a first reply by its service target; the draft task is gone.
            #expect(
                try await client.api("/api/v1/consultations/\(id)/submit", method: .post, token: requester, json: "{}")
                    .status == .ok)
            let queue = try await Self.tasks(client, desk)
            let first = try #require(queue.tasks.first { $0.targetId == id })
            #expect(first.kind == "firstReply" && first.due != nil && first.businessDaysLeft != nil && !first.overdue)
            #expect(Self.kinds(try await Self.tasks(client, requester), about: id).isEmpty)

            // An internal note is no reply; a message the requester can read is.
            let note = #"{"body":"内部メモ：担当を検討中","internal":true}"#
            #expect(
                try await client.api("/api/v1/consultations/\(id)/messages", method: .post, token: desk, json: note)
                    .status == .created)
            #expect(
                Self.kinds(try await Self.tasks(client, requester), about: id).isEmpty,
                "internal notes stay out of the inbox")
            #expect(try await Self.messageNotices(env, to: f.desk.requester) == 0, "nor does anyone hear of them")
            let reply = #"{"body":"ご相談ありがとうございます。来週お話を伺えますか。"}"#
            #expect(
                try await client.api("/api/v1/consultations/\(id)/messages", method: .post, token: desk, json: reply)
                    .status == .created)
            let mine = try await Self.tasks(client, requester)
            #expect(Self.kinds(mine, about: id) == ["deskReply"])
            #expect(try await Self.messageNotices(env, to: f.desk.requester) == 1, "the requester is told of the reply")
            #expect(mine.tasks.first { $0.targetId == id }?.summary.contains("森 さくらさんから返信があります") == true)
            #expect(
                Self.kinds(try await Self.tasks(client, colleague), about: id).isEmpty,
                "a colleague of the unit is not asked")
            #expect(
                Self.kinds(try await Self.tasks(client, desk), about: id) == ["decision"],
                "the reply was the first reply")

            // The requester answers: the desk sees an unanswered message, the requester nothing.
            #expect(
                try await client.api(
                    "/api/v1/consultations/\(id)/messages", method: .post, token: requester,
                    json: #"{"body":"はい、水曜日でお願いします。"}"#
                ).status == .created)
            #expect(Set(Self.kinds(try await Self.tasks(client, desk), about: id)) == ["decision", "unanswered"])
            #expect(Self.kinds(try await Self.tasks(client, requester), about: id).isEmpty)
            #expect(try await Self.messageNotices(env, to: f.desk.deskOfficer) == 1, "before an engagement, the desk officers hear")

            // Accepted with a lead and a member: the queue task ends; each specialist sees the engagement.
            let decided = try await client.api(
                "/api/v1/consultations/\(id)/decision", method: .post, token: desk,
                json: DeskAPITests.rubric("accept", #","scope":"UX設計の助言","lead":"spec-pm""#))
            #expect(decided.status == .created, "\(decided.body)")
            let engagement = try #require(
                try JSONDecoder().decode(DeskAPITests.DecisionBody.self, from: Data(decided.body.utf8)).engagementId)
            #expect(
                try await client.api(
                    "/api/v1/engagements/\(engagement)/members", method: .post, token: desk,
                    json: #"{"login":"spec-ux","effortPercent":30}"#
                ).status == .created)
            #expect(!Self.kinds(try await Self.tasks(client, desk), about: id).contains("decision"))
            let work = try await Self.tasks(client, ux)
            let mineToDo = try #require(work.tasks.first { $0.targetId == engagement })
            #expect(
                mineToDo.kind == "engagement" && mineToDo.summary.contains("稼働30%") && mineToDo.summary.contains("要件定義")
            )
            let lead = try await Self.tasks(client, try await env.token(for: f.desk.pmSpecialist))
            #expect(lead.tasks.first { $0.targetId == engagement }?.summary.contains("主担当") == true)
            for other in [colleague, municipal, requester] {
                #expect(try await Self.tasks(client, other).tasks.allSatisfy { $0.targetId != engagement })
            }

            // Filters: one area, and a clear refusal of an unknown one.
            #expect(try await Self.tasks(client, ux, "?module=desk").tasks.allSatisfy { $0.module == "desk" })
            #expect(try await Self.tasks(client, ux, "?module=platform").tasks.isEmpty)
            let bad = try await client.api("/api/v1/me/tasks?module=everything", token: ux)
            #expect(bad.status == .unprocessableContent && bad.body.contains("module"))
        }
    }

    @Test func pagesShowTheInboxAndItsCountAndNeverFailOnBadParameters() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let empty = try await requester.get("/me/tasks")
            #expect(empty.status == .ok && empty.body.contains("いま対応が必要なものはありません。"))
            #expect(empty.body.contains(#"<a href="/me/tasks" aria-current="page">やること</a>"#))
            let id = try await DeskSteps.draft(requester, title: "住民票の写しのオンライン交付")
            let home = try await requester.get("/home")
            #expect(home.body.contains("やること（1件）"), "the menu counts the person's tasks")
            #expect(try await requester.get("/desk/consultations").body.contains("やること（1件）"),
                    "other pages show the same count")
            #expect(home.body.contains(#"<a href="/desk/consultations/\#(id)">住民票の写しのオンライン交付</a>"#))
            #expect(home.body.contains("提出前の相談です。"))
            for query in ["?page=999", "?page=-3", "?page=abc", "?module=unknown", "?module=desk&page=2"] {
                let page = try await requester.get("/me/tasks\(query)")
                #expect(
                    page.status == .ok && page.body.contains("住民票の写しのオンライン交付"), "\(query) shows the nearest valid page")
            }
            #expect(try await requester.get("/me/tasks?module=platform").body.contains("この分野で対応が必要なものはありません。"))
        }
    }

    @Test func platformAdministratorsAndAuditorsSeeWhatAwaitsThemInTheirTenantsOnly() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (requesterBrowser, platformBrowser, a1, c3) = try await PlatformTests.setUp(env, client)
            let engineer = try await env.token(for: "p-tokyo-platform")
            let security = try await env.token(for: "p-spec-security")
            let requester = try await env.token(for: f.desk.requester)
            // Systems past their support (A-1's OS ended in 2023) reach the tenant's engineers.
            let support = try await Self.tasks(client, engineer, "?module=portfolio")
            #expect(support.tasks.map(\.kind) == ["supportEnding"] && support.tasks.first?.count == 1)
            #expect(support.tasks.first?.href == "/portfolio?tenant=tokyo&support=ended")
            #expect(
                try await Self.tasks(client, try await env.token(for: f.chiyoda.admin)).tasks.allSatisfy {
                    $0.kind != "supportEnding"
                })

            // A submitted request waits for the platform team (and security for C-3), never its requester.
            let path = try PlatformTests.path(try await PlatformTests.request(requesterBrowser, system: c3))
            #expect(try await requesterBrowser.post("\(path)/act", [("action", "submit")]).status == .seeOther)
            let envId = String(path.split(separator: "/").last!)
            #expect(Self.kinds(try await Self.tasks(client, engineer), about: envId) == ["environmentDecision"])
            #expect(Self.kinds(try await Self.tasks(client, security), about: envId) == ["securityReview"])
            #expect(Self.kinds(try await Self.tasks(client, requester), about: envId).isEmpty)
            #expect(
                Self.kinds(try await Self.tasks(client, try await env.token(for: f.chiyoda.admin)), about: envId)
                    .isEmpty)
            // The engineer's own request is not theirs to decide.
            let own = try PlatformTests.path(
                try await PlatformTests.request(platformBrowser, system: a1, stage: "development"))
            #expect(try await platformBrowser.post("\(own)/act", [("action", "submit")]).status == .seeOther)
            #expect(
                Self.kinds(try await Self.tasks(client, engineer), about: String(own.split(separator: "/").last!))
                    .isEmpty)

            // A person with no role waits for their own tenant's administrator only.
            try await env.db { db in
                try await db.transaction { sql in
                    _ = try await Fixture.person(
                        "chiyoda-newcomer", "新井 花子", tenant: Fixture.chiyoda, unit: f.chiyoda.dxUnit, roles: [],
                        hash: nil, on: sql)
                }
            }
            let chiyodaAdmin = try await Self.tasks(client, try await env.token(for: f.chiyoda.admin))
            #expect(chiyodaAdmin.tasks.filter { $0.kind == "peopleWithoutRole" }.map(\.count) == [1])
            #expect(
                try await Self.tasks(client, try await env.token(for: f.hachioji.admin)).tasks.allSatisfy {
                    $0.kind != "peopleWithoutRole"
                })
            #expect(
                try await Self.tasks(client, try await env.token(for: f.systemAdmin)).tasks.allSatisfy {
                    $0.kind != "peopleWithoutRole"
                },
                "a system administrator's reach is not their inbox")

            // Auditors see their tenant's recent changes, not another's.
            let auditor = try await Self.tasks(client, try await env.token(for: f.chiyoda.auditor))
            #expect(auditor.tasks.map(\.kind) == ["auditRecent"] && auditor.tasks.first?.targetId == Fixture.chiyoda)
        }
    }

    @Test func tasksAreOrderedOverdueFirstThenByDueDayThenNewest() {
        let today = LocalDate(iso: "2026-12-02")!
        func task(_ title: String, due: String?, since: String = "") -> InboxTask {
            InboxTask(
                kind: .draft, title: title, href: "/\(title)", due: due.flatMap(LocalDate.init(iso:)), since: since)
        }
        let sorted = InboxOrder.sorted([
            task("undated-old", due: nil, since: "2026-11-01"), task("later", due: "2026-12-20"),
            task("overdue", due: "2026-11-30"), task("undated-new", due: nil, since: "2026-12-01"),
            task("soon", due: "2026-12-03"),
        ])
        #expect(sorted.map(\.title) == ["overdue", "soon", "later", "undated-new", "undated-old"])
        #expect(sorted[0].isOverdue(today: today) && sorted[0].businessDaysLeft(today: today) == -2)
        #expect(Set(InboxTask.Kind.allCases.map(\.rawValue)).count == InboxTask.Kind.allCases.count)
        #expect(InboxTask.Kind.allCases.allSatisfy { Components.Schemas.InboxTask.KindPayload(rawValue: $0.rawValue) != nil },
                "the API's spec names every kind")
        #expect(Set(InboxTask.Kind.allCases.map(\.module)) == Set(InboxTask.Kind.modules), "every area is offered, and only those")
    }
}
