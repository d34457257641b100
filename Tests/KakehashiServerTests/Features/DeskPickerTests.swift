import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// Leads and specialists are chosen by name, with their current load, not typed as login ids;
/// someone at full capacity is marked.
@Suite struct DeskPickerTests {
    /// A consultation of welfare-user, submitted through the API.
    static func submittedCase(_ env: TestEnvironment, _ client: any TestClientProtocol, _ f: Fixture,
                              title: String = "窓口予約") async throws -> DeskAPITests.Created {
        let requester = try await env.token(for: f.desk.requester)
        let body = #"{"title":"\#(title)","phase":"requirements","summary":"窓口の予約をオンライン化したい","supportKinds":["uxDesign"]}"#
        let created = try await client.api("/api/v1/consultations", method: .post, token: requester, json: body)
        let draft = try JSONDecoder().decode(DeskAPITests.Created.self, from: Data(created.body.utf8))
        _ = try await client.api("/api/v1/consultations/\(draft.id)", method: .patch, token: requester,
                                 json: #"{"desiredStart":"2026-12-01","budgetRange":"under10m","version":\#(draft.version)}"#)
        #expect(try await client.api("/api/v1/consultations/\(draft.id)/submit", method: .post, token: requester, json: "{}").status == .ok)
        return draft
    }

    @Test func leadsAndSpecialistsAreChosenByNameWithTheirLoad() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let deskToken = try await env.token(for: f.desk.deskOfficer)
            let draft = try await Self.submittedCase(env, client, f)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let form = try await desk.get("/desk/consultations/\(draft.id)/decision")
            #expect(form.body.contains(#"<option value="spec-pm">岡田 悠人（PM/PdM）担当0件・稼働0%</option>"#))
            #expect(form.body.contains(#"<option value="" selected>自分が主担当になる</option>"#))
            #expect(!form.body.contains(#"value="welfare-user""#), "only the desk's people lead")

            let decided = try await client.api("/api/v1/consultations/\(draft.id)/decision", method: .post, token: deskToken,
                                               json: DeskAPITests.rubric("accept", #","scope":"UX","lead":"spec-pm""#))
            let engagement = try #require(try JSONDecoder().decode(DeskAPITests.DecisionBody.self, from: Data(decided.body.utf8)).engagementId)
            #expect(try await client.api("/api/v1/engagements/\(engagement)/members", method: .post, token: deskToken,
                                         json: #"{"login":"spec-ux","effortPercent":100}"#).status == .created)
            let members = try await desk.get("/desk/engagements/\(engagement)/members/new")
            #expect(members.body.contains("中村 あおい（UI/UX）担当1件・稼働100%・上限"))
            #expect(!members.body.contains(#"value="desk-officer""#), "the specialist picker offers specialists only")
            // A choice that is not a specialist is refused with the field kept.
            try await desk.get("/desk/engagements/\(engagement)/members/new")
            let refused = try await desk.post("/desk/engagements/\(engagement)/members/new", [("login", "welfare-user"), ("effortPercent", "10")])
            #expect(refused.status == .unprocessableContent)
        }
    }

    @Test func contactsAreColleaguesChosenByNameOrOthersByLogin() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let form = try await requester.get("/desk/consultations/new")
            #expect(form.body.contains(#"<input type="checkbox" name="contacts" value="welfare-colleague"> 小林 由美（テスト）</label>"#))
            #expect(!form.body.contains(#"value="welfare-user">"#), "the requester is not offered as their own contact")
            let created = try await requester.post("/desk/consultations/new", [
                ("title", "連絡先の確認"), ("summary", "概要"), ("phase", "concept"),
                ("contacts", "welfare-colleague"), ("contactsOther", "env-user"),
            ])
            #expect(created.status == .seeOther, "\(created.body.prefix(300))")
            let id = try #require(created.location?.split(separator: "/").dropFirst(2).first.map(String.init))
            let page = try await requester.get("/desk/consultations/\(id)")
            #expect(page.body.contains("小林 由美") && page.body.contains("加藤 誠"))
            let back = try await requester.get("/desk/consultations/\(id)/edit?step=1")
            #expect(back.body.contains(#"value="welfare-colleague" checked>"#) && back.body.contains(#"value="env-user""#))
            let unknown = try await requester.post("/desk/consultations/new", [
                ("title", "連絡先の誤り"), ("summary", "概要"), ("phase", "concept"), ("contactsOther", "nobody-here"),
            ])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("nobody-here"))
        }
    }
}
