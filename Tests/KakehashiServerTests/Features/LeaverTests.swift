import Foundation
import HTTPTypes
import HummingbirdTesting
import KakehashiCore
import SQLKit
import Testing

@testable import KakehashiServer

/// 退職・無効化: a deactivated person keeps nothing — not a session, a token, a grant or a request —
/// and nobody is left waiting on them.
@Suite struct LeaverTests {
    /// An approved environment for system A-1, with welfare-colleague's read-only grant approved by
    /// tokyo-platform and an admin grant still waiting; the system administrator signed in.
    static func setUp(
        _ env: TestEnvironment, _ client: any TestClientProtocol
    )
        async throws -> (platform: Browser, sysadmin: Browser, path: String, readonly: String, waiting: String)
    {
        let (requester, platform, a1, _) = try await PlatformTests.setUp(env, client)
        let path = try await PlatformTests.approved(requester, platform, system: a1)
        #expect(try await PlatformTests.grant(requester, path, [("login", "welfare-colleague")]).status == .seeOther)
        let readonly = try await PlatformTests.grantId(env, login: "welfare-colleague", role: "readonly")
        #expect(
            try await platform.post("/platform/grants/\(readonly)/decide", [("action", "approve")]).status == .seeOther)
        #expect(
            try await PlatformTests.grant(requester, path, [("login", "welfare-colleague"), ("role", "admin")]).status
                == .seeOther)
        let waiting = try await PlatformTests.grantId(env, login: "welfare-colleague", role: "admin")
        let sysadmin = Browser(client)
        try await sysadmin.signIn("sysadmin", password: Fixture.password)
        return (platform, sysadmin, path, readonly, waiting)
    }

    static func deactivate(_ admin: Browser, _ personId: String, name: String) async throws -> Browser.Page {
        try await admin.get("/t/tokyo/people/\(personId)/edit")
        return try await admin.post("/t/tokyo/people/\(personId)/edit", [("displayName", name), ("active", "false")])
    }

    static func grantRow(_ env: TestEnvironment, _ id: String) async throws -> AccessGrant {
        try #require(
            try await env.db { db in try await db.read { sql in try await PlatformRepository().grant(id, on: sql) } })
    }

    static func count(_ env: TestEnvironment, _ query: SQLQueryString) async throws -> Int {
        try await env.db { db in try await db.read { sql in try await sql.raw(query).all().count } }
    }

    @Test func aLeaversSessionTokenGrantsAndRequestsEndInTheSameRequest() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, sysadmin, path, readonly, waiting) = try await Self.setUp(env, client)
            let opened = try await platform.post(
                "/platform/reviews",
                [
                    ("tenant", "tokyo"), ("environment", ""), ("title", "下期の棚卸し"),
                    ("dueOn", TokyoDate.today().adding(days: 7).iso),
                ])
            let review = try PlatformTests.path(opened)
            let leaver = Browser(client)
            try await leaver.signIn("welfare-colleague", password: Fixture.password)
            #expect(try await leaver.get("/home").status == .ok)
            let token = try await env.token(for: "p-welfare-colleague")
            #expect(try await client.api("/api/v1/me", token: token).status == .ok)

            let done = try await Self.deactivate(sysadmin, "p-welfare-colleague", name: "小林 由美")
            #expect(done.location == "/t/tokyo/people/p-welfare-colleague?done=person_deactivated")
            #expect(try await sysadmin.get(try #require(done.location)).body.contains("基盤のアクセス権はすべて終了しています"))

            // The session and the token stop at once.
            let after = try await leaver.get("/home")
            #expect(after.status == .found && (after.location ?? "").hasPrefix("/signin?next=%2Fhome&expired=1"))
            #expect(try await client.api("/api/v1/me", token: token).status == .unauthorized)
            // The grant ends as the account's doing, not as a decision; the waiting request with it.
            let ended = try await Self.grantRow(env, readonly)
            #expect(ended.status == "revoked" && ended.endReason == "deactivated" && ended.endedAt != nil)
            let refused = try await Self.grantRow(env, waiting)
            #expect(refused.status == "rejected" && refused.endReason == "deactivated")
            let platformToken = try await env.token(for: "p-tokyo-platform")
            let listed = try await client.api("/api/v1\(path)/grants", token: platformToken)
            #expect(listed.status == .ok && listed.body.contains(#""endReason" : "deactivated""#))
            #expect(try await platform.get(path).body.contains("終了（アカウント無効化）"))
            #expect(!(try await platform.get("\(path)/assignments.json").body.contains("readonly")))
            // The open review says so, and nobody is asked to decide it any more.
            let reviewPage = try await platform.get(review)
            #expect(reviewPage.body.contains("終了（アカウント無効化）"))
            #expect(try await Self.count(env, "SELECT id FROM access_review_items WHERE decision = 'ended'") == 1)
            // The approver hears of it, and the audit trail has the deactivation and each ended grant.
            #expect(
                try await platform.get("/notifications").body.contains("小林 由美さんのアカウントが無効になったため、「閲覧者」のアクセス権を終了しました。"))
            #expect(
                try await Self.count(env, "SELECT seq FROM audit_events WHERE action = 'platform.grant_ended'") == 2)
            #expect(try await Self.count(env, "SELECT seq FROM audit_events WHERE action = 'person.deactivated'") == 1)

            // Reactivating the account gives the session back its sign-in, not the grant.
            try await sysadmin.get("/t/tokyo/people/p-welfare-colleague/edit")
            #expect(
                try await sysadmin.post(
                    "/t/tokyo/people/p-welfare-colleague/edit",
                    [("displayName", "小林 由美"), ("active", "true")]
                ).status == .seeOther)
            #expect(try await Self.grantRow(env, readonly).status == "revoked")
            #expect(try await client.api("/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func aLeaversReviewItemsPassToAnotherManager() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (_, sysadmin, _, readonly, _) = try await Self.setUp(env, client)
            try await sysadmin.get("/platform/reviews")
            let opened = try await sysadmin.post(
                "/platform/reviews",
                [
                    ("tenant", "tokyo"), ("environment", ""), ("title", "下期の棚卸し"),
                    ("dueOn", TokyoDate.today().adding(days: 7).iso),
                ])
            let review = try PlatformTests.path(opened)
            let reviewer = {
                try await env.db { db in
                    try await db.read { sql in
                        try await sql.raw(
                            "SELECT reviewer_id FROM access_review_items WHERE grant_id = \(bind: readonly)"
                        )
                        .first(decodingColumn: "reviewer_id", as: String.self)
                    }
                }
            }
            #expect(try await reviewer() == "p-tokyo-platform", "the grant's approver reviews it")
            #expect(try await Self.deactivate(sysadmin, "p-tokyo-platform", name: "藤田 和也").status == .seeOther)
            #expect(try await reviewer() == "p-sysadmin", "the campaign's creator takes it over")
            #expect(try await sysadmin.get("/notifications").body.contains("藤田 和也さんのアカウントが無効になったため"))
            try await sysadmin.get(review)
            let item = try #require(
                try await env.db { db in
                    try await db.read { sql in
                        try await sql.raw("SELECT id FROM access_review_items WHERE grant_id = \(bind: readonly)")
                            .first(decodingColumn: "id", as: String.self)
                    }
                })
            #expect(try await sysadmin.post("\(review)/items/\(item)", [("decision", "confirm")]).status == .seeOther)
        }
    }

    @Test func theCommandDeactivatesALeaver() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.chiyoda.requester)
            #expect(try await client.api("/api/v1/me", token: token).status == .ok)
            let line = try await Maintenance.deactivateUser(env.config, login: "chiyoda-user")
            #expect(line.hasPrefix("deactivated chiyoda-user"))
            #expect(try await client.api("/api/v1/me", token: token).status == .unauthorized)
            #expect(
                try await Maintenance.deactivateUser(env.config, login: "chiyoda-user")
                    == "chiyoda-user is already inactive")
            await #expect(throws: Maintenance.Failure.self) {
                try await Maintenance.deactivateUser(env.config, login: "nobody")
            }
            let signIn = Browser(client)
            try await signIn.get("/signin")
            #expect(
                try await signIn.post("/signin", [("login", "chiyoda-user"), ("password", Fixture.password)]).status
                    != .seeOther)
        }
    }
}
