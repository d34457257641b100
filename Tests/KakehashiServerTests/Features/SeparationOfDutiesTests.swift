import Foundation
@testable import KakehashiServer
import SQLKit
import Testing

/// Nobody decides, reviews or publishes their own work; read-only roles change nothing; what a
/// reader may not read of a record stays out of their audit log too.
@Suite struct SeparationOfDutiesTests {
    @Test func aDeskOfficerWhoRewroteAnArticlePublishesNeitherItNorHisText() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let hash = try await Passwords(cost: 4).hash(Fixture.password)
            _ = try await env.db { db in
                try await db.transaction { sql in
                    try await Fixture.person("desk-two", "二人目 担当", tenant: "tokyo", unit: "tokyo-desk", roles: [.deskOfficer], hash: hash, on: sql)
                }
            }
            let author = Browser(client), rewriter = Browser(client), reviewer = Browser(client)
            try await author.signIn("spec-pm", password: Fixture.password)
            try await rewriter.signIn("desk-two", password: Fixture.password)
            try await reviewer.signIn("desk-officer", password: Fixture.password)
            try await author.get("/knowledge/new")
            let created = try await author.post("/knowledge/new", [("title", "申請の手引き"), ("kind", "guide"), ("tier", "tokyo"),
                                                                   ("body", "## 手順\n初版の本文"), ("note", "初版")])
            let path = "/knowledge/\(try #require(KnowledgeTests.id(from: created.location)))"
            #expect(try await author.post("\(path)/submit", [("version", "1")]).status == .seeOther)
            try await reviewer.get(path)
            #expect(try await reviewer.post("\(path)/publish", [("version", "1"), ("note", "確認しました")]).status == .seeOther)

            // Another desk officer rewrites the published article and asks for review.
            try await rewriter.get("\(path)/edit")
            let rewritten = try await rewriter.post("\(path)/edit", [("version", DeskSteps.versionField(rewriter.lastBody)), ("title", "申請の手引き"),
                                                                    ("kind", "guide"), ("tier", "tokyo"), ("body", "## 手順\n書き換えた本文"),
                                                                    ("note", "改訂")])
            #expect(rewritten.status == .seeOther)
            #expect(try await rewriter.post("\(path)/submit", [("version", "2")]).status == .seeOther)
            // He reviews his own text: refused, and the readers keep the first version.
            try await rewriter.get(path)
            let own = try await rewriter.post("\(path)/publish", [("version", "2"), ("note", "自分で確認")])
            #expect(own.status == .forbidden && own.body.contains("ご自身で承認・確認・公開することはできません"))
            let published = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT published_version FROM articles").first(decodingColumn: "published_version", as: Int.self)
                }
            }
            #expect(published == 1)
            // Someone who wrote none of it publishes it.
            #expect(try await reviewer.post("\(path)/publish", [("version", "2"), ("note", "確認しました")]).status == .seeOther)
        }
    }

    @Test func auditorsPostNothingAndCreateNothing() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            // A case of 千代田区 that its auditor can read.
            let requester = Browser(client)
            try await requester.signIn("chiyoda-user", password: Fixture.password)
            let id = try await DeskSteps.draft(requester, title: "監査対象の相談")
            #expect(try await DeskSteps.submit(requester, id).status == .seeOther)
            let auditor = Browser(client)
            try await auditor.signIn("chiyoda-auditor", password: Fixture.password)
            #expect(try await auditor.get("/desk/consultations/\(id)").status == .ok, "the auditor reads the case")
            let before = try await DatabaseSnapshot.take(env)
            #expect(try await auditor.post("/desk/consultations/\(id)/messages", [("body", "監査からの書き込み")]).status == .forbidden)
            #expect(try await auditor.post("/desk/consultations/new", [("title", "監査の相談")]).status == .forbidden)
            let token = try await env.token(for: f.chiyoda.auditor)
            let api = try await client.api("/api/v1/consultations/\(id)/messages", method: .post, token: token, json: #"{"body":"監査"}"#)
            #expect(api.status == .forbidden && api.body.contains("forbidden"))
            #expect(try await DatabaseSnapshot.take(env).changed(since: before).isEmpty)
        }
    }

    @Test func aMunicipalitysAuditLogCarriesNoInternalNotes() {
        let internalNote = #"{"authorId":"p-desk","body":"内部の所感","consultationId":"c","id":"m","isInternal":true}"#
        let decision = #"{"impact":3,"impactReason":"影響が大きい","outcome":"accept","priority":9,"reason":"支援します"}"#
        #expect(AuditRedaction.visible(internalNote, readsInternal: false) == #"{"isInternal":true}"#)
        let shown = AuditRedaction.visible(decision, readsInternal: false) ?? ""
        #expect(shown.contains("支援します") && !shown.contains("影響が大きい") && !shown.contains("priority"))
        #expect(AuditRedaction.visible(decision, readsInternal: true) == decision)
    }
}
