import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import KakehashiServer

/// 二段階認証: RFC 6238 codes after the password, set up on the account page, required of system
/// administrators where the server says so.
@Suite struct SecondFactorTests {
    /// RFC 6238 Appendix B, SHA-1, eight digits.
    @Test func codesMatchTheRFCVectors() {
        let secret = Data("12345678901234567890".utf8)
        let vectors: [(Double, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (time, expected) in vectors {
            let step = OneTimePassword.step(at: Date(timeIntervalSince1970: time))
            #expect(OneTimePassword.code(secret: secret, counter: step, digits: 8) == expected, "T=\(time)")
        }
        #expect(OneTimePassword.code(secret: secret, counter: 1) == "287082", "six digits are the last six")
    }

    @Test func base32MatchesRFC4648AndRoundTrips() {
        for (text, encoded) in [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            #expect(Base32.encode(Data(text.utf8)) == encoded)
            #expect(Base32.decode(encoded.lowercased()) == Data(text.utf8))
        }
        let secret = OneTimePassword.newSecret()
        #expect(secret.count == 20 && Base32.decode(Base32.encode(secret)) == secret)
        #expect(Base32.decode("MZXW1") == nil, "1 is not in the alphabet")
    }

    @Test func aCodeCountsWithinOneStepAndOnlyOnce() {
        let secret = OneTimePassword.newSecret()
        let now = Date()
        let step = OneTimePassword.step(at: now)
        let code = { (offset: Int64) in OneTimePassword.code(secret: secret, counter: step + offset) }
        #expect(OneTimePassword.matchingStep(code(0), secret: secret, at: now, after: 0) == step)
        #expect(OneTimePassword.matchingStep(code(-1), secret: secret, at: now, after: 0) == step - 1)
        #expect(
            OneTimePassword.matchingStep(
                String(code(1).prefix(3)) + " " + code(1).dropFirst(3), secret: secret, at: now, after: 0) == step + 1)
        #expect(OneTimePassword.matchingStep(code(2), secret: secret, at: now, after: 0) == nil, "a minute ahead")
        #expect(OneTimePassword.matchingStep(code(0), secret: secret, at: now, after: step) == nil, "already used")
        #expect(OneTimePassword.matchingStep("１２３４５６", secret: secret, at: now, after: 0) == nil, "ASCII digits only")
        let uri = OneTimePassword.uri(secret: secret, account: "chiyoda-user", issuer: "Kakehashi")
        #expect(uri.hasPrefix("otpauth://totp/Kakehashi:chiyoda-user?secret=\(Base32.encode(secret))&issuer=Kakehashi"))
    }

    static func key(_ env: TestEnvironment, _ personId: String) async throws -> Data {
        let secret = try #require(
            try await env.db { db in
                try await db.read { sql in try await OneTimePasswordStore().credential(of: personId, on: sql)?.secret }
            })
        return try #require(Base32.decode(secret))
    }

    static func code(_ key: Data, step: Int64) -> String { OneTimePassword.code(secret: key, counter: step) }

    static func challenge(_ page: Browser.Page) throws -> String {
        let range = try #require(page.body.range(of: "name=\"challenge\" value=\""))
        return String(page.body[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Sets up a key on the account page; returns it and the step whose code confirmed it (the
    /// next step's code is then the first that signs in, whenever the test's clock turns).
    static func setUp(_ env: TestEnvironment, _ browser: Browser, personId: String) async throws -> (Data, Int64) {
        #expect(try await browser.get("/account/totp").body.contains("otpauth://totp/Kakehashi:"))
        let key = try await Self.key(env, personId)
        let step = OneTimePassword.step(at: Date())
        let wrong = try await browser.post("/account/totp", [("code", Self.code(key, step: step - 5))])
        #expect(wrong.status == .unprocessableContent && wrong.body.contains("確認コードが正しくありません"))
        let done = try await browser.post("/account/totp", [("code", Self.code(key, step: step))])
        #expect(done.location == "/account?done=totp_enabled")
        return (key, step)
    }

    /// chiyoda-user signed in, with a key set up.
    static func requesterWithKey(_ env: TestEnvironment, _ client: any TestClientProtocol, _ f: Fixture)
        async throws -> (Browser, Data, Int64)
    {
        let browser = Browser(client)
        try await browser.signIn("chiyoda-user", password: Fixture.password)
        let (key, used) = try await Self.setUp(env, browser, personId: f.chiyoda.requester)
        return (browser, key, used)
    }

    @Test func signInAsksForTheCodeAfterThePasswordAndEachCodeWorksOnce() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (browser, key, used) = try await Self.requesterWithKey(env, client, f)
            #expect(try await browser.get("/account").body.contains("二段階認証を使っています"))
            try await browser.post("/signout", [])

            let visitor = Browser(client)
            let step = try await visitor.signIn("chiyoda-user", password: Fixture.password)
            #expect(step.status == .ok && step.body.contains("確認コードの入力"))
            #expect(visitor.cookies["kkh_session"] == nil, "no session before the code")
            let id = try Self.challenge(step)
            let wrong = try await visitor.post("/signin/code", [("challenge", id), ("code", "12345")])
            #expect(wrong.status == .unauthorized && wrong.body.contains("確認コードが正しくありません"))
            // The code that confirmed the key was used; the next step's code signs in.
            #expect(
                try await visitor.post("/signin/code", [("challenge", id), ("code", Self.code(key, step: used))]).status
                    == .unauthorized)
            let signedIn = try await visitor.post(
                "/signin/code", [("challenge", id), ("code", Self.code(key, step: used + 1))])
            #expect(signedIn.location == "/home" && visitor.cookies["kkh_session"] != nil)
            #expect(try await visitor.get("/home").status == .ok)
            // The challenge is spent, and the same code does not sign in a second time.
            #expect(
                try await visitor.post("/signin/code", [("challenge", id), ("code", Self.code(key, step: used + 1))])
                    .status == .unauthorized)
            let again = Browser(client)
            let second = try await again.signIn("chiyoda-user", password: Fixture.password)
            #expect(
                try await again.post(
                    "/signin/code",
                    [("challenge", try Self.challenge(second)), ("code", Self.code(key, step: used + 1))]
                )
                .status == .unauthorized)
            let refused = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT seq FROM audit_events WHERE action = 'session.code_refused'").all().count
                }
            }
            #expect(refused == 3, "the wrong code, the used one, the replayed one; the spent challenge reaches no code")
        }
    }

    @Test func aWaitingSignInEndsAfterFiveWrongCodesAndAWrongPasswordNeverReachesTheCode() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (_, key, used) = try await Self.requesterWithKey(env, client, f)
            let visitor = Browser(client)
            let bad = try await visitor.signIn("chiyoda-user", password: "not-the-password")
            #expect(bad.status == .unauthorized && !bad.body.contains("name=\"challenge\""))
            let id = try Self.challenge(try await visitor.signIn("chiyoda-user", password: Fixture.password))
            for _ in 0..<OneTimePasswordStore.challengeAttempts {
                #expect(
                    try await visitor.post("/signin/code", [("challenge", id), ("code", "999999")]).status
                        == .unauthorized)
            }
            let spent = try await visitor.post(
                "/signin/code", [("challenge", id), ("code", Self.code(key, step: used + 1))])
            #expect(spent.status == .unauthorized && spent.body.contains("もう一度サインインしてください"))
            let forged = try await visitor.post(
                "/signin/code", [("challenge", "made-up"), ("code", Self.code(key, step: used + 1))])
            #expect(forged.status == .unauthorized && forged.body.contains("もう一度サインインしてください"))
        }
    }

    @Test func aSystemAdministratorMustSetUpAKeyAndCannotRemoveIt() async throws {
        let env = try TestEnvironment(extra: ["kakehashi.admin.totp": "required"])
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let admin = Browser(client)
            #expect(try await admin.signIn("sysadmin", password: Fixture.password).location == "/home")
            let home = try await admin.get("/home")
            #expect(home.status == .seeOther && home.location == "/account/totp?required=1")
            #expect(try await admin.get("/t/\(f.chiyoda.id)/directory").location == "/account/totp?required=1")
            let page = try await admin.get("/account/totp?required=1")
            #expect(page.status == .ok && page.body.contains("システム管理者は二段階認証の設定が必要です"))
            let (key, used) = try await Self.setUp(env, admin, personId: f.systemAdmin)
            #expect(try await admin.get("/home").status == .ok)
            let keep = try await admin.get("/account/totp")
            #expect(keep.body.contains("システム管理者は二段階認証をやめられません") && !keep.body.contains("/account/totp/remove"))
            let remove = try await admin.post(
                "/account/totp/remove", [("password", Fixture.password), ("code", Self.code(key, step: used + 1))])
            #expect(remove.status == .forbidden)
            #expect(
                try await env.db { db in
                    try await db.read { sql in try await OneTimePasswordStore().isConfirmed(f.systemAdmin, on: sql) }
                })
            // Others are not required to: a requester goes straight to their home page.
            let requester = Browser(client)
            try await requester.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await requester.get("/home").status == .ok)
            // A lost phone: the operator's command removes the key; the next sign-in asks for a new one.
            try await Maintenance.resetSecondFactor(env.config, login: "sysadmin")
            let fresh = Browser(client)
            #expect(try await fresh.signIn("sysadmin", password: Fixture.password).location == "/home")
            #expect(try await fresh.get("/home").location == "/account/totp?required=1")
            await #expect(throws: Maintenance.Failure.self) {
                try await Maintenance.resetSecondFactor(env.config, login: "chiyoda-user")
            }
        }
    }

    @Test func removingAKeyNeedsThePasswordAndACode() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (browser, key, used) = try await Self.requesterWithKey(env, client, f)
            try await browser.get("/account/totp")
            let noPassword = try await browser.post(
                "/account/totp/remove", [("password", "wrong"), ("code", Self.code(key, step: used + 1))])
            #expect(noPassword.status == .unprocessableContent)
            let noCode = try await browser.post(
                "/account/totp/remove", [("password", Fixture.password), ("code", "000000")])
            #expect(noCode.status == .unprocessableContent)
            let removed = try await browser.post(
                "/account/totp/remove", [("password", Fixture.password), ("code", Self.code(key, step: used + 1))])
            #expect(removed.location == "/account?done=totp_removed")
            let visitor = Browser(client)
            #expect(try await visitor.signIn("chiyoda-user", password: Fixture.password).location == "/home")
        }
    }

    @Test func aPasswordResetEndsASignInWaitingForItsCode() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (_, key, used) = try await Self.requesterWithKey(env, client, f)
            let visitor = Browser(client)
            let id = try Self.challenge(try await visitor.signIn("chiyoda-user", password: Fixture.password))
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            try await admin.get("/t/\(f.chiyoda.id)/people/\(f.chiyoda.requester)/password")
            #expect(try await admin.post("/t/\(f.chiyoda.id)/people/\(f.chiyoda.requester)/password",
                                         [("password", "a-new-password-for-taro")]).status == .seeOther)
            let late = try await visitor.post("/signin/code",
                                              [("challenge", id), ("code", Self.code(key, step: used + 1))])
            #expect(late.status == .unauthorized && late.body.contains("もう一度サインインしてください"))
            #expect(visitor.cookies["kkh_session"] == nil)
        }
    }
}
