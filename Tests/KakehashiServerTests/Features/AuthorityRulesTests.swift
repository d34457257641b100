import Foundation
import HTTPTypes
@testable import KakehashiServer
import SQLKit
import Testing

/// The escalation rule and the credential rules, each refused with its code and nothing changed.
@Suite struct AuthorityRulesTests {
    struct PersonRow: Decodable, Equatable { let active: Bool; let password_hash: String? }

    static func row(_ env: TestEnvironment, _ id: String) async throws -> PersonRow? {
        try await env.db { db in
            try await db.read { sql in
                try await sql.raw("SELECT active, password_hash FROM people WHERE id = \(bind: id)").first(decoding: PersonRow.self)
            }
        }
    }

    @Test func aTenantAdministratorNeverActsOnTheSystemAdministrator() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let before = try await Self.row(env, f.systemAdmin)
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            let tenant = f.chiyoda.id
            try await admin.get("/t/\(tenant)/people/\(f.systemAdmin)/password")
            let password = try await admin.post("/t/\(tenant)/people/\(f.systemAdmin)/password", [("password", "taken-over-password")])
            #expect(password.status == .forbidden && password.body.contains("あなたより広い権限をお持ち"))
            let deactivate = try await admin.post("/t/\(tenant)/people/\(f.systemAdmin)/edit", [("displayName", "乗っ取り"), ("active", "false")])
            #expect(deactivate.status == .forbidden)
            let revoke = try await admin.post("/t/\(tenant)/people/\(f.systemAdmin)/roles/g-sysadmin-systemAdmin/revoke", [])
            #expect(revoke.status == .forbidden)
            #expect(try await Self.row(env, f.systemAdmin) == before, "nothing changed")
            // The same administrator still acts on the people of their own tenant.
            try await admin.get("/t/\(tenant)/people/\(f.chiyoda.requester)/password")
            #expect(try await admin.post("/t/\(tenant)/people/\(f.chiyoda.requester)/password",
                                         [("password", "a-new-password-for-taro")]).status == .seeOther)
        }
    }

    @Test func theOwnPasswordChangesOnTheAccountPageOnly() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let before = try await Self.row(env, f.chiyoda.admin)
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/\(f.chiyoda.id)/people/\(f.chiyoda.admin)/password")
            let own = try await admin.post("/t/\(f.chiyoda.id)/people/\(f.chiyoda.admin)/password", [("password", "without-the-current-one")])
            #expect(own.status == .forbidden && own.body.contains("アカウント"))
            #expect(try await Self.row(env, f.chiyoda.admin) == before)
        }
    }

    @Test func aPasswordResetEndsThePersonsTokens() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.chiyoda.requester)
            #expect(try await client.api("/api/v1/me", token: token).status == .ok)
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/\(f.chiyoda.id)/people/\(f.chiyoda.requester)/password")
            #expect(try await admin.post("/t/\(f.chiyoda.id)/people/\(f.chiyoda.requester)/password",
                                         [("password", "a-new-password-for-taro")]).status == .seeOther)
            #expect(try await client.api("/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func signInNeverSendsAnyoneOffTheSite() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            for next in ["/\t/evil.example", "/\\evil.example", "//evil.example", "/%09/evil.example", "/ /evil.example"] {
                let browser = Browser(client)
                try await browser.get("/signin")
                let page = try await browser.post("/signin", [("login", "chiyoda-user"), ("password", Fixture.password), ("next", next)])
                #expect(page.location == "/home", "next=\(next) went to \(page.location ?? "")")
            }
        }
    }

    @Test func parallelWrongPasswordsAreCheckedNoMoreThanTheLimit() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let browser = Browser(client)
                        try await browser.get("/signin")
                        return try await browser.post("/signin", [("login", "chiyoda-user"), ("password", "wrong-password-123")]).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            let checked = statuses.filter { $0 == .unauthorized }.count
            #expect(checked <= 5, "\(checked) of 12 parallel guesses were checked")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 12 - checked)
            // The right password is refused too now, until the window passes.
            let browser = Browser(client)
            #expect(try await browser.signIn("chiyoda-user", password: Fixture.password).status == .tooManyRequests)
        }
    }
}
