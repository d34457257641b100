import Foundation
import HTTPTypes
import HummingbirdTesting
import JWTKit
import SQLKit
import Testing

@testable import KakehashiServer

/// Sign-in at each tenant's own OpenID Connect provider: accounts bound to (iss, sub), created or
/// linked once as the tenant chooses, roles following the provider's groups, and every forged,
/// stale or misdirected answer refused and audited.
@Suite struct SingleSignOnTests {
    static let chiyodaIssuer = "https://idp.chiyoda.example"
    static let hachiojiIssuer = "https://login.hachioji.example/tenant-b"

    struct Setup: Sendable {
        let env: TestEnvironment
        let client: any TestClientProtocol
        let fixture: Fixture
        let fakes: FakeIdentityProviders
        let chiyoda: FakeIdentityProviders.Provider
        let hachioji: FakeIdentityProviders.Provider
    }

    /// Both fixture municipalities with a provider each: 千代田区 creates accounts and maps two
    /// groups; 八王子市 only links by e-mail.
    static func withProviders(
        passwordsAllowed: Bool = true, _ body: @Sendable (Setup) async throws -> Void
    ) async throws {
        var env = try TestEnvironment()
        defer { Task { [env] in await env.cleanUp() } }
        let fakes = FakeIdentityProviders()
        let chiyoda = fakes.add(issuer: chiyodaIssuer)
        let hachioji = fakes.add(issuer: hachiojiIssuer)
        env.config.oidcTransport = fakes
        try await env.withApp { [env] client, fixture in
            try await env.db { db in
                let registry = IdentityProviderRegistry(database: db, client: OIDCClient(transport: fakes))
                _ = try await registry.register(
                    .init(
                        issuer: chiyodaIssuer, clientId: "kakehashi", clientSecret: "s1", domains: ["chiyoda.example"],
                        groupsClaim: nil, createAccounts: true, passwordsAllowed: passwordsAllowed),
                    tenantId: Fixture.chiyoda, actor: .init(system: "test"))
                _ = try await registry.map(
                    group: "kakehashi-users", role: "requester", team: nil,
                    tenantId: Fixture.chiyoda, actor: .init(system: "test"))
                _ = try await registry.map(
                    group: "kakehashi-audit", role: "auditor", team: nil,
                    tenantId: Fixture.chiyoda, actor: .init(system: "test"))
                _ = try await registry.register(
                    .init(
                        issuer: hachiojiIssuer, clientId: "kakehashi", clientSecret: "s2",
                        domains: ["hachioji.example"],
                        groupsClaim: "roles", linkByEmail: true),
                    tenantId: Fixture.hachioji, actor: .init(system: "test"))
            }
            try await body(
                Setup(
                    env: env, client: client, fixture: fixture, fakes: fakes, chiyoda: chiyoda,
                    hachioji: hachioji))
        }
    }

    struct Started {
        let state: String
        let nonce: String
        let challenge: String
        let location: String
    }

    static func begin(_ browser: Browser, tenant: String) async throws -> Started {
        let page = try await browser.get("/signin/sso/\(tenant)?next=%2Fhome")
        #expect(page.status == .found)
        let location = page.location ?? ""
        let items = URLComponents(string: location)?.queryItems ?? []
        func value(_ name: String) -> String { items.first { $0.name == name }?.value ?? "" }
        #expect(value("code_challenge_method") == "S256")
        #expect(value("response_type") == "code")
        return Started(
            state: value("state"), nonce: value("nonce"), challenge: value("code_challenge"),
            location: location)
    }

    static func claims(
        _ provider: FakeIdentityProviders.Provider, sub: String, nonce: String, email: String? = nil,
        verified: Bool = true, groups: [String]? = nil, username: String? = nil, age: Int = 0, aud: String? = nil
    ) -> FakeIdentityProviders.Claims {
        let now = Int(Date().timeIntervalSince1970) - age
        return .init(
            iss: provider.issuer, sub: sub, aud: aud ?? provider.clientId, exp: now + 300, iat: now,
            nonce: nonce, email: email, email_verified: verified, name: "SSO 利用者", preferred_username: username,
            groups: groups)
    }

    /// The whole round trip; `edit` changes the claims the provider signs.
    @discardableResult
    static func signIn(
        _ s: Setup, _ browser: Browser, at provider: FakeIdentityProviders.Provider, tenant: String, sub: String,
        email: String? = nil, verified: Bool = true, groups: [String]? = nil, username: String? = nil,
        edit: (inout FakeIdentityProviders.Claims) -> Void = { _ in }, key: ES256PrivateKey? = nil
    ) async throws -> Browser.Page {
        let started = try await begin(browser, tenant: tenant)
        var claims = claims(
            provider, sub: sub, nonce: started.nonce, email: email, verified: verified, groups: groups,
            username: username)
        edit(&claims)
        let code = "code-" + UUID().uuidString
        try await s.fakes.mint(claims, at: provider, code: code, challenge: started.challenge, key: key)
        return try await browser.get("/signin/oidc/callback?state=\(started.state)&code=\(code)")
    }

    static func person(_ s: Setup, login: String) async throws -> Person? {
        try await s.env.db { db in
            try await db.read { sql in try await DirectoryRepository().person(login: login, on: sql) }
        }
    }

    static func roles(_ s: Setup, _ personId: String) async throws -> [String] {
        try await s.env.db { db in
            try await db.read { sql in
                try await DirectoryRepository().grants(of: personId, on: sql).map(\.role).sorted()
            }
        }
    }

    static func refusals(_ s: Setup) async throws -> [String] {
        try await s.env.db { db in
            try await db.read { sql in
                try await sql.select().column("after_json").from("audit_events")
                    .where("action", .equal, "session.sso_refused").orderBy("seq")
                    .all(decodingColumn: "after_json", as: String.self)
            }
        }
    }

    // MARK: Accounts and roles

    @Test func aFirstSignInCreatesTheAccountAndGroupsDecideItsRolesAtEverySignIn() async throws {
        try await Self.withProviders { s in
            let browser = Browser(s.client)
            let page = try await Self.signIn(
                s, browser, at: s.chiyoda, tenant: Fixture.chiyoda, sub: "u-100",
                email: "sato@chiyoda.example", groups: ["kakehashi-users"],
                username: "sato.ichiro")
            #expect(page.status == .found && page.location == "/home")
            #expect(try await browser.get("/home").status == .ok)
            let person = try #require(try await Self.person(s, login: "sato.ichiro"))
            #expect(person.tenantId == Fixture.chiyoda && person.displayName == "SSO 利用者")
            #expect(try await Self.roles(s, person.id) == ["requester"])

            // The provider moves them to the audit group: the next sign-in follows.
            let again = Browser(s.client)
            try await Self.signIn(
                s, again, at: s.chiyoda, tenant: Fixture.chiyoda, sub: "u-100",
                email: "sato@chiyoda.example", groups: ["kakehashi-audit"], username: "sato.ichiro")
            #expect(try await Self.roles(s, person.id) == ["auditor"])

            // A role granted on the pages is the administrator's, not the groups': it stays.
            try await s.env.db { db in
                try await db.transaction { sql in
                    try await DirectoryRepository().insert(
                        RoleGrant(
                            id: UUIDs.make(), personId: person.id, tenantId: Fixture.chiyoda, role: "deskOfficer",
                            team: "", grantedAt: Timestamp.now(), grantedBy: s.fixture.chiyoda.admin), on: sql)
                }
            }
            try await Self.signIn(
                s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "u-100",
                groups: [], username: "sato.ichiro")
            #expect(try await Self.roles(s, person.id) == ["deskOfficer"])
        }
    }

    @Test func groupsFromTheDirectoryAndFromTheSignInBothCount() async throws {
        try await Self.withProviders { s in
            try await Self.signIn(
                s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "g-1",
                groups: ["kakehashi-users"], username: "in.two.groups")
            let person = try #require(try await Self.person(s, login: "in.two.groups"))
            // The directory puts them in the audit group over SCIM: the role comes at once, and stays
            // when the next sign-in's token lists only the other group.
            let scope = TenantScope.forSystemTask(Fixture.chiyoda)
            let row = try await s.env.db { db in
                try await SCIMGroupService(database: db).create(
                    try .init(["displayName": "kakehashi-audit", "members": [["value": person.id]]]), scope: scope,
                    actor: .init(system: "scim:test"))
            }
            #expect(try await Self.roles(s, person.id) == ["auditor", "requester"])
            try await Self.signIn(
                s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "g-1",
                groups: ["kakehashi-users"])
            #expect(try await Self.roles(s, person.id) == ["auditor", "requester"])
            // Out of the SCIM group: the audit role goes, the sign-in's group keeps the other.
            try await s.env.db { db in
                _ = try await SCIMGroupService(database: db).replace(
                    row.id, try .init(["displayName": "kakehashi-audit", "members": []]), scope: scope,
                    actor: .init(system: "scim:test"))
            }
            #expect(try await Self.roles(s, person.id) == ["requester"])
        }
    }

    @Test func twoMunicipalitiesWithTheirOwnProvidersKeepTheirPeopleApart() async throws {
        try await Self.withProviders { s in
            try await s.env.execute("UPDATE people SET email = 'yorii@hachioji.example' WHERE login = 'hachioji-user'")
            // The same subject at two providers is two people.
            let a = Browser(s.client)
            let b = Browser(s.client)
            #expect(
                try await Self.signIn(s, a, at: s.chiyoda, tenant: Fixture.chiyoda, sub: "same", username: "same.one")
                    .location == "/home")
            #expect(
                try await Self.signIn(
                    s, b, at: s.hachioji, tenant: Fixture.hachioji, sub: "same",
                    email: "yorii@hachioji.example"
                ).location == "/home")
            let home = try await b.get("/home")
            #expect(home.status == .ok && home.body.contains("依頼 太郎"))
            // A token from 千代田区's provider cannot finish a sign-in begun for 八王子市.
            let c = Browser(s.client)
            let started = try await Self.begin(c, tenant: Fixture.hachioji)
            try await s.fakes.mint(
                Self.claims(s.chiyoda, sub: "same", nonce: started.nonce), at: s.hachioji,
                code: "x", challenge: started.challenge, key: s.chiyoda.keys[0].key)
            let forged = try await c.get("/signin/oidc/callback?state=\(started.state)&code=x")
            #expect(forged.status == .unauthorized)
            #expect(try await c.get("/home").status != .ok)
        }
    }

    @Test func anEmailLinksAnAccountOnceAndNeverAgain() async throws {
        try await Self.withProviders { s in
            try await s.env.execute("UPDATE people SET email = 'Yorii@Hachioji.example' WHERE login = 'hachioji-user'")
            // Not verified at the provider: no link.
            let unverified = try await Self.signIn(
                s, Browser(s.client), at: s.hachioji, tenant: Fixture.hachioji,
                sub: "h-1", email: "yorii@hachioji.example", verified: false)
            #expect(unverified.status == .forbidden)
            #expect(unverified.body.contains("メールアドレスが確認されていない"))
            #expect(
                try await Self.signIn(
                    s, Browser(s.client), at: s.hachioji, tenant: Fixture.hachioji, sub: "h-1",
                    email: "yorii@hachioji.example"
                ).location == "/home")
            // The binding is (iss, sub): a new e-mail at the provider still signs in the same person…
            let moved = Browser(s.client)
            #expect(
                try await Self.signIn(
                    s, moved, at: s.hachioji, tenant: Fixture.hachioji, sub: "h-1",
                    email: "renamed@hachioji.example"
                ).location == "/home")
            #expect(try await moved.get("/home").body.contains("依頼 太郎"))
            // …and another subject with the old e-mail does not take the account over.
            let other = try await Self.signIn(
                s, Browser(s.client), at: s.hachioji, tenant: Fixture.hachioji,
                sub: "h-2", email: "yorii@hachioji.example")
            #expect(other.status == .forbidden)
            #expect(other.body.contains("アカウントがまだありません"))
            // Nobody with authority beyond the tenant is linked by e-mail.
            try await s.env.execute("UPDATE people SET email = 'root@hachioji.example' WHERE login = 'sysadmin'")
            try await s.env.execute("UPDATE people SET tenant_id = '132012' WHERE login = 'sysadmin'")
            let root = try await Self.signIn(
                s, Browser(s.client), at: s.hachioji, tenant: Fixture.hachioji,
                sub: "h-3", email: "root@hachioji.example")
            #expect(root.status == .forbidden)
            let reasons = try await Self.refusals(s)
            #expect(reasons.contains { $0.contains("email_unverified") })
            #expect(reasons.contains { $0.contains("more_authority") })
        }
    }

    @Test func aGroupTableNeverGrantsSystemAdministration() async throws {
        try await Self.withProviders { s in
            await #expect(throws: AppError.self) {
                try await s.env.db { db in
                    try await IdentityProviderRegistry(database: db, client: OIDCClient(transport: s.fakes))
                        .map(
                            group: "admins", role: "systemAdmin", team: nil, tenantId: Fixture.chiyoda,
                            actor: .init(system: "test"))
                }
            }
            // Even a row written behind the registry's back grants nothing.
            try await s.env.execute(
                """
                INSERT INTO group_role_mappings (id, provider_id, tenant_id, group_name, role, team, created_at)
                SELECT 'planted', id, tenant_id, 'admins', 'systemAdmin', '', '2026-01-01T00:00:00Z'
                FROM identity_providers WHERE tenant_id = '131016'
                """)
            try await Self.signIn(
                s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "u-9",
                groups: ["admins", "kakehashi-users"], username: "would.be.root")
            let person = try #require(try await Self.person(s, login: "would.be.root"))
            #expect(try await Self.roles(s, person.id) == ["requester"])
        }
    }

    @Test func aDeactivatedPersonCannotSignInAtTheProvider() async throws {
        try await Self.withProviders { s in
            try await Self.signIn(
                s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "u-7",
                username: "leaving.soon")
            try await s.env.execute("UPDATE people SET active = FALSE WHERE login = 'leaving.soon'")
            let page = try await Self.signIn(s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "u-7")
            #expect(page.status == .forbidden && page.body.contains("無効になっています"))
        }
    }

    // MARK: Tokens and the round trip

    @Test func forgedStaleAndMisdirectedAnswersAreRefusedAndAudited() async throws {
        try await Self.withProviders { s in
            let tenant = Fixture.chiyoda
            func attempt(_ edit: (inout FakeIdentityProviders.Claims) -> Void, key: ES256PrivateKey? = nil)
                async throws -> Browser.Page
            {
                let browser = Browser(s.client)
                let page = try await Self.signIn(
                    s, browser, at: s.chiyoda, tenant: tenant, sub: "u-1",
                    username: "forge.target", edit: edit, key: key)
                #expect(try await browser.get("/home").status != .ok)
                return page
            }
            // Signed with another key under the provider's kid.
            #expect(try await attempt({ _ in }, key: ES256PrivateKey()).status == .unauthorized)
            #expect(try await attempt({ $0.nonce = "replayed" }).status == .unauthorized)
            #expect(try await attempt({ $0.aud = "someone-else" }).status == .unauthorized)
            #expect(try await attempt({ $0.iss = "https://evil.example" }).status == .unauthorized)
            #expect(
                try await attempt({
                    $0.exp -= 1000
                    $0.iat -= 1000
                }).status == .unauthorized)
            #expect(
                try await attempt({
                    $0.iat += 1000
                    $0.exp += 1000
                }).status == .unauthorized)
            let reasons = try await Self.refusals(s)
            for reason in [
                "id_token_invalid", "id_token_wrong_nonce", "id_token_wrong_audience",
                "id_token_wrong_issuer", "id_token_expired",
            ] {
                #expect(reasons.contains { $0.contains(reason) }, "\(reason) in \(reasons)")
            }
            #expect(try await Self.person(s, login: "forge.target") == nil, "nothing half-created")

            // A clock a few minutes off is allowed.
            let skewed = try await Self.signIn(
                s, Browser(s.client), at: s.chiyoda, tenant: tenant, sub: "u-1",
                username: "forge.target",
                edit: {
                    $0.exp -= 400
                    $0.iat -= 400
                })
            #expect(skewed.location == "/home")

            // The state is used once, and only by the browser that began the sign-in.
            let browser = Browser(s.client)
            let started = try await Self.begin(browser, tenant: tenant)
            try await s.fakes.mint(
                Self.claims(s.chiyoda, sub: "u-1", nonce: started.nonce), at: s.chiyoda, code: "c1",
                challenge: started.challenge)
            let elsewhere = Browser(s.client)
            let stolen = try await elsewhere.get("/signin/oidc/callback?state=\(started.state)&code=c1")
            #expect(stolen.status == .badRequest && stolen.body.contains("別のブラウザー"))
            let replay = try await browser.get("/signin/oidc/callback?state=\(started.state)&code=c1")
            #expect(replay.status == .badRequest, "the state was spent by the first try")
            #expect(try await browser.get("/signin/oidc/callback?state=nonsense&code=c1").status == .badRequest)
            let said = try await browser.get(
                "/signin/oidc/callback?state=\(try await Self.begin(browser, tenant: tenant).state)&error=access_denied"
            )
            #expect(said.status == .unauthorized && said.body.contains("サインインできませんでした"))
        }
    }

    @Test func aRotatedKeyIsFetchedAndAProviderThatIsDownIsSaidSo() async throws {
        try await Self.withProviders { s in
            #expect(
                try await Self.signIn(
                    s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "r-1",
                    username: "rotating"
                ).location == "/home")
            s.chiyoda.rotate()
            #expect(
                try await Self.signIn(s, Browser(s.client), at: s.chiyoda, tenant: Fixture.chiyoda, sub: "r-1")
                    .location == "/home")
            // Down between the two legs: the code cannot be redeemed.
            let browser = Browser(s.client)
            let started = try await Self.begin(browser, tenant: Fixture.chiyoda)
            s.fakes.down = true
            let midway = try await browser.get("/signin/oidc/callback?state=\(started.state)&code=c")
            #expect(midway.status == .badGateway && midway.body.contains("接続できませんでした"))
            // Down before we ever read its metadata: the sign-in does not begin.
            let down = try await Browser(s.client).get("/signin/sso/\(Fixture.hachioji)")
            #expect(down.status == .serviceUnavailable && down.body.contains("接続できませんでした"))
            #expect(try await Browser(s.client).get("/signin/sso/nowhere").status == .notFound)
        }
    }

    @Test func aFloodOfStartedSignInsIsRefusedBeforeItFillsTheTable() async throws {
        try await Self.withProviders { s in
            // As many sign-ins under way as one provider may have (planted), then one more.
            try await s.env.db { db in
                try await db.transaction { sql in
                    let provider = try #require(
                        try await IdentityProviderStore().provider(ofTenant: Fixture.chiyoda, on: sql))
                    let until = Timestamp.string(Date().addingTimeInterval(600))
                    for i in 0..<IdentityProviderStore.loginsUnderWay {
                        try await sql.insert(into: "sso_logins").model(
                            SSOLogin(
                                stateHash: "h\(i)", providerId: provider.id, bindingHash: "b", nonce: "n",
                                codeVerifier: "v", nextPath: "", expiresAt: until),
                            keyEncodingStrategy: .convertToSnakeCase
                        ).run()
                    }
                }
            }
            let busy = try await Browser(s.client).get("/signin/sso/\(Fixture.chiyoda)")
            #expect(busy.status == .tooManyRequests && busy.body.contains("集中しています"))
            // Another municipality's provider is not held up by it.
            #expect(try await Browser(s.client).get("/signin/sso/\(Fixture.hachioji)").status == .found)
        }
    }

    // MARK: The sign-in page

    @Test func theSignInPageSendsPeopleToTheirTenantsProviderByDomain() async throws {
        try await Self.withProviders(passwordsAllowed: false) { s in
            let browser = Browser(s.client)
            try await browser.get("/signin")
            let chiyoda = try await browser.post("/signin", [("login", "Someone@Chiyoda.example")])
            #expect(chiyoda.status == .ok)
            #expect(
                chiyoda.headers[HTTPField.Name("Refresh")!]?.hasPrefix("0; url=/signin/sso/\(Fixture.chiyoda)?") == true
            )
            #expect(
                chiyoda.body.contains(
                    "href=\"/signin/sso/\(Fixture.chiyoda)?next=&amp;login_hint=someone%40chiyoda.example\""))
            // 八王子市 allows passwords beside its provider: both are offered.
            try await browser.get("/signin")
            let hachioji = try await browser.post("/signin", [("login", "someone@hachioji.example")])
            #expect(hachioji.status == .ok)
            #expect(
                hachioji.body.contains("/signin/sso/\(Fixture.hachioji)") && hachioji.body.contains("id=\"password\""))
            // No provider: the password step, as for everyone else.
            try await browser.get("/signin")
            let tokyo = try await browser.post("/signin", [("login", "desk-officer")])
            #expect(
                tokyo.status == .ok && tokyo.body.contains("id=\"password\"") && !tokyo.body.contains("/signin/sso/"))
            // 千代田区 allows no passwords: its people are told so, but only once the password was right.
            let wrong = try await Browser(s.client).signIn("chiyoda-user", password: "wrong-password")
            #expect(wrong.status == .unauthorized)
            let right = try await Browser(s.client).signIn("chiyoda-user", password: Fixture.password)
            #expect(right.status == .forbidden && right.body.contains("/signin/sso/\(Fixture.chiyoda)"))
        }
    }

    @Test func anEmptyLoginAndACallbackWithoutItsCodeAreSaidSo() async throws {
        try await Self.withProviders { s in
            let browser = Browser(s.client)
            try await browser.get("/signin")
            let empty = try await browser.post("/signin", [("login", "  ")])
            #expect(empty.status == .badRequest && empty.body.contains("ログインIDまたはメールアドレスを入力してください"))
            let started = try await Self.begin(browser, tenant: Fixture.chiyoda)
            let bare = try await browser.get("/signin/oidc/callback?state=\(started.state)")
            #expect(bare.status == .badRequest && bare.body.contains("確認できなかった"))
            #expect(try await Self.refusals(s).contains { $0.contains("code_missing") })
            #expect(try await browser.get("/home").status != .ok)
        }
    }

    @Test func aBreakGlassAdministratorSignsInWithAPasswordAndIsReported() async throws {
        try await Self.withProviders(passwordsAllowed: false) { s in
            let admin = try #require(try await Self.person(s, login: "chiyoda-admin"))
            try await s.env.db { db in
                try await db.transaction { sql in
                    try await BreakGlass.mark(admin, on: true, actor: .init(system: "t"), on: sql)
                }
            }
            // Another administrator of the tenant, to be told.
            let other = try await s.env.db { db in
                try await db.transaction { sql -> String in
                    let id = UUIDs.make()
                    try await DirectoryRepository().insert(
                        Person(
                            id: id, tenantId: Fixture.chiyoda, login: "chiyoda-admin2", displayName: "管理 二郎",
                            nameKana: nil,
                            email: nil, locale: "ja", active: true, createdAt: Timestamp.now(),
                            updatedAt: Timestamp.now()),
                        on: sql)
                    try await DirectoryRepository().insert(
                        RoleGrant(
                            id: UUIDs.make(), personId: id, tenantId: Fixture.chiyoda, role: "tenantAdmin", team: "",
                            grantedAt: Timestamp.now(), grantedBy: nil), on: sql)
                    return id
                }
            }
            let browser = Browser(s.client)
            let page = try await browser.signIn("chiyoda-admin", password: Fixture.password)
            #expect(page.status == .found)
            // The second factor is required before anything else.
            let home = try await browser.get("/home")
            #expect(home.status == .seeOther && home.location == "/account/totp?required=1")
            let marked = try await s.env.db { db in
                try await db.read { sql in
                    try await sql.select().column("id").from("audit_events").where(
                        "action", .equal, "session.break_glass"
                    )
                    .all().count
                }
            }
            #expect(marked == 1)
            let told = try await s.env.db { db in
                try await db.read { sql in
                    try await sql.select().column("kind").from("notifications").where("person_id", .equal, other)
                        .all(decodingColumn: "kind", as: String.self)
                }
            }
            #expect(told == ["breakGlassSignIn"])
        }
    }

    @Test func signingOutEndsTheSessionAtTheProviderToo() async throws {
        try await Self.withProviders { s in
            let browser = Browser(s.client)
            try await Self.signIn(s, browser, at: s.chiyoda, tenant: Fixture.chiyoda, sub: "o-1", username: "signs.out")
            let home = try await browser.get("/home")
            #expect(home.status == .ok)
            let out = try await browser.post("/signout", [])
            #expect(out.status == .ok)
            let location = String(try #require(out.headers[HTTPField.Name("Refresh")!]).dropFirst("0; url=".count))
            #expect(location.hasPrefix(Self.chiyodaIssuer + "/logout?id_token_hint="))
            #expect(location.contains("post_logout_redirect_uri="))
            #expect(try await browser.get("/home").status != .ok)
        }
    }
}

/// The tenant administrator's single sign-on page: registration, the group table, who may not.
@Suite struct IdentityProviderPageTests {
    @Test func aTenantAdministratorRegistersTheProviderAndItsGroupTable() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            let base = "/t/\(Fixture.chiyoda)/admin/identity-provider"
            #expect(try await admin.get(base).body.contains("まだ設定されていません"))
            try await admin.get(base + "/edit")
            let fields = [
                ("issuer", "http://idp.chiyoda.example"), ("clientId", "kakehashi"), ("clientSecret", "s"),
                ("domains", "chiyoda.example, mail.chiyoda.example"), ("groupsClaim", ""),
                ("linkByEmail", "false"), ("createAccounts", "true"), ("passwordsAllowed", "true"),
            ]
            let plain = try await admin.post(base + "/edit", fields)
            #expect(plain.status == .unprocessableContent && plain.body.contains("https:// で始まる"))
            #expect(plain.body.contains("chiyoda.example, mail.chiyoda.example"), "what was typed stays")
            var good = fields
            good[0] = ("issuer", "https://idp.chiyoda.example/")
            let saved = try await admin.post(base + "/edit", good)
            #expect(saved.status == .seeOther && saved.location == base + "?done=idp_saved")
            let page = try await admin.get(base)
            #expect(page.body.contains("https://idp.chiyoda.example") && page.body.contains("mail.chiyoda.example"))
            #expect(page.body.contains("/signin/oidc/callback"))
            #expect(!page.body.contains(">s<"), "the secret is not shown")

            // Editing keeps the secret when the field is left blank.
            try await admin.get(base + "/edit")
            var again = good
            again[2] = ("clientSecret", "")
            #expect(try await admin.post(base + "/edit", again).status == .seeOther)
            let secret = try await env.db { db in
                try await db.read { sql in
                    try await IdentityProviderStore().provider(ofTenant: Fixture.chiyoda, on: sql)?.clientSecret
                }
            }
            #expect(secret == "s")

            // The group table offers no system administrator, and refuses one sent anyway.
            let form = try await admin.get(base + "/groups/new")
            #expect(!form.body.contains("value=\"systemAdmin\""))
            let root = try await admin.post(
                base + "/groups/new",
                [
                    ("group", "admins"), ("role", "systemAdmin"),
                    ("team", ""),
                ])
            #expect(root.status == .unprocessableContent && root.body.contains("システム管理者の権限"))
            try await admin.get(base + "/groups/new")
            let added = try await admin.post(
                base + "/groups/new",
                [
                    ("group", "dx-staff"), ("role", "requester"),
                    ("team", ""),
                ])
            #expect(added.status == .seeOther)
            #expect(try await admin.get(base).body.contains("dx-staff"))

            // Another municipality's domain is its own.
            let other = Browser(client)
            try await other.signIn("hachioji-admin", password: Fixture.password)
            let otherBase = "/t/\(Fixture.hachioji)/admin/identity-provider"
            try await other.get(otherBase + "/edit")
            var taken = good
            taken[3] = ("domains", "hachioji.example, chiyoda.example")
            let refused = try await other.post(otherBase + "/edit", taken)
            #expect(refused.status == .unprocessableContent && refused.body.contains("別の団体で使われています"))
            #expect(try await other.get(base).status != .ok, "nor may it read 千代田区's page")
        }
    }
}
