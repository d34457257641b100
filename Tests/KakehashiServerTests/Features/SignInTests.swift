import Foundation
import HTTPTypes
@testable import KakehashiServer
import Testing

@Suite struct SignInTests {
    @Test func signInSetsASecureSessionCookieAndShowsTheHomePage() async throws {
        let env = try TestEnvironment(extra: ["kakehashi.cookie.secure": "true"])
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            let page = try await browser.signIn("chiyoda-user", password: Fixture.password)
            #expect(page.status == .found)
            #expect(page.location == "/home")
            let cookie = page.headers[values: .setCookie].first { $0.hasPrefix("kkh_session=") } ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure"))
            let home = try await browser.get("/home")
            #expect(home.status == .ok)
            #expect(home.body.contains("依頼 太郎"))
            #expect(home.body.contains("令和"))
        }
    }

    @Test func wrongPasswordKeepsTheLoginAndSaysWhyWithout500() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            let page = try await browser.signIn("chiyoda-user", password: "wrong-password-123")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("ログインIDまたはパスワードが正しくありません"))
            #expect(page.body.contains("value=\"chiyoda-user\""))
            // An unknown login gets the same answer.
            let unknown = try await browser.post("/signin", [("login", "nobody"), ("password", "x")])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.contains("ログインIDまたはパスワードが正しくありません"))
        }
    }

    @Test func repeatedFailuresAreThrottledPerAccount() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            try await browser.get("/signin")
            for _ in 0..<5 {
                let page = try await browser.post("/signin", [("login", "chiyoda-user"), ("password", "nope")])
                #expect(page.status == .unauthorized)
            }
            // Even the right password is refused while the account is throttled.
            let blocked = try await browser.post("/signin", [("login", "chiyoda-user"), ("password", Fixture.password)])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.contains("15分"))
            // Another account from the same address is not affected.
            let other = try await browser.post("/signin", [("login", "chiyoda-admin"), ("password", Fixture.password)])
            #expect(other.status == .found)
        }
    }

    @Test func signOutEndsTheSessionOnTheServer() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            try await browser.signIn("chiyoda-user", password: Fixture.password)
            let stolen = browser.cookies["kkh_session"]!
            try await browser.get("/home")
            let out = try await browser.post("/signout", [])
            #expect(out.location == "/signin?done=signed_out")
            // Replaying the old cookie does not bring the session back.
            browser.setCookie("kkh_session", stolen)
            let page = try await browser.get("/home")
            #expect(page.status == .found)
            #expect(page.location?.hasPrefix("/signin") == true)
        }
    }

    @Test func anIdleSessionExpiresAndSendsThePersonBackToSignIn() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            try await browser.signIn("chiyoda-user", password: Fixture.password)
            try await env.execute("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00.000Z'")
            let page = try await browser.get("/t/131016/people")
            #expect(page.status == .found)
            #expect(page.location == "/signin?next=%2Ft%2F131016%2Fpeople&expired=1")
            let signin = try await browser.get(page.location!)
            #expect(signin.body.contains("一定時間操作がなかったため"))
        }
    }

    @Test func aSessionEndsAfterItsAbsoluteLifetimeEvenWhenActive() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            try await browser.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await browser.get("/home").status == .ok)
            // Active a moment ago, but started 13 hours ago (the limit is 12).
            let started = Timestamp.string(Date().addingTimeInterval(-13 * 3600))
            try await env.execute("UPDATE sessions SET created_at = \(bind: started)")
            let page = try await browser.get("/home")
            #expect(page.status == .found)
            #expect(page.location?.contains("expired=1") == true)
        }
    }

    @Test func aFormWithoutTheCSRFTokenIsRefused() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, fixture in
            let browser = Browser(client)
            try await browser.signIn("chiyoda-admin", password: Fixture.password)
            let missing = try await browser.post("/t/131016/people/\(fixture.chiyoda.requester)/roles", [("role", "auditor")], csrf: .some(nil))
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("フォームの有効期限が切れたか"))
            let wrong = try await browser.post("/t/131016/people/\(fixture.chiyoda.requester)/roles", [("role", "auditor")], csrf: "forged")
            #expect(wrong.status == .forbidden)
            // Sign-in itself needs the pre-session token too.
            let anonymous = Browser(client)
            let page = try await anonymous.post("/signin", [("login", "chiyoda-user"), ("password", Fixture.password)], csrf: .some(nil))
            #expect(page.status == .forbidden)
        }
    }

    @Test func signInNeverRedirectsOffSite() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            for next in ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"] {
                let browser = Browser(client)
                try await browser.get("/signin")
                let page = try await browser.post("/signin", [("login", "chiyoda-user"), ("password", Fixture.password), ("next", next)])
                #expect(page.location == "/home", "next=\(next)")
            }
            let browser = Browser(client)
            try await browser.get("/signin")
            let page = try await browser.post("/signin", [("login", "chiyoda-user"), ("password", Fixture.password), ("next", "/t/131016/people")])
            #expect(page.location == "/t/131016/people")
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            for uri in ["/signin", "/healthz", "/api/v1/tenants", "/nope"] {
                let response = try await client.execute(uri: uri, method: .get)
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(uri)")
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            }
        }
    }

    @Test func languageChoiceIsRememberedPerPerson() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let browser = Browser(client)
            try await browser.signIn("chiyoda-user", password: Fixture.password)
            try await browser.get("/home")
            let switched = try await browser.post("/preferences/lang", [("lang", "en"), ("next", "/home")])
            #expect(switched.location == "/home")
            // A new browser (no language cookie) still gets English after signing in.
            let other = Browser(client)
            try await other.signIn("chiyoda-user", password: Fixture.password)
            let home = try await other.get("/home")
            #expect(home.body.contains("<html lang=\"en\">"))
            #expect(home.body.contains("Hello, 依頼 太郎"))
        }
    }
}
