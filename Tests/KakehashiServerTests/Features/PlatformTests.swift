import Foundation
import HummingbirdTesting
@testable import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing

/// クラウド基盤: request → approval (by others; security review when the data needs it) → landing
/// package → grants under the account rules → access review, with every refusal the issue names.
@Suite struct PlatformTests {
    /// The catalog (A-1 confidentiality 2, C-3 confidentiality 3 with personal-number data), a platform
    /// engineer and a security specialist of the platform's tenant, and the requester signed in.
    static func setUp(_ env: TestEnvironment, _ client: any TestClientProtocol) async throws -> (requester: Browser, platform: Browser, a1: String, c3: String) {
        let (platform, a1) = try await AssessmentTests.catalog(env, client)
        #expect(try await PortfolioTests.commit(platform, tenant: "tokyo", PortfolioTests.systemsHeader + "\nC-3,福祉台帳システム,福祉局,,3,2,2,あり,,オンプレミス,,,\n") == .seeOther)
        let hash = try await Passwords(cost: 4).hash(Fixture.password)
        try await env.db { db in
            try await db.transaction { sql in
                _ = try await Fixture.person("spec-security", "前田 智子", tenant: "tokyo", unit: "tokyo-desk", roles: [.specialist], team: "security", hash: hash, on: sql)
            }
        }
        let c3 = try #require(try await env.db { db in
            try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'C-3'").first(decodingColumn: "id", as: String.self) }
        })
        let requester = Browser(client)
        try await requester.signIn("welfare-user", password: Fixture.password)
        try await requester.get("/platform/environments/new")
        try await platform.get("/platform")
        return (requester, platform, a1, c3)
    }

    static func request(_ b: Browser, system: String, cloud: String = "aws", region: String = "ap-northeast-1", stage: String = "production") async throws -> Browser.Page {
        try await b.post("/platform/environments/new", [("systemId", system), ("stage", stage), ("cloud", cloud), ("region", region), ("monthlyBudget", "500000"),
                                                         ("services", "logs"), ("services", "backup"), ("purpose", "窓口予約の本番環境")])
    }

    static func path(_ page: Browser.Page) throws -> String { try #require(page.location?.components(separatedBy: "?").first) }

    @Test func anEnvironmentIsRequestedApprovedByOthersAndLandedWithAPackage() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, a1, c3) = try await Self.setUp(env, client)
            // Bad input: a region of another cloud, a budget that is not a number.
            let bad = try await requester.post("/platform/environments/new", [("systemId", a1), ("stage", "production"), ("cloud", "aws"), ("region", "japaneast"),
                                                                             ("monthlyBudget", "たくさん"), ("purpose", "")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("リージョンは次から選んでください：ap-northeast-1, ap-northeast-3"))
            let path = try Self.path(try await Self.request(requester, system: a1))
            #expect(try await requester.get(path).body.contains("下書き"))
            #expect(try await requester.get("/home").body.contains(#"<a href="/platform">クラウド基盤</a>"#), "requesters find the platform in the menu")
            // Nothing to decide or land before it is submitted and approved.
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .conflict)
            #expect(try await requester.post("\(path)/act", [("action", "submit")]).status == .seeOther)
            #expect(try await requester.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .forbidden)
            #expect(try await platform.post("\(path)/packages", []).status == .conflict)
            #expect(try await platform.post("\(path)/act", [("action", "reject"), ("role", "platform"), ("note", "")]).status == .unprocessableContent, "a rejection says why")
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .seeOther)
            #expect(try await platform.get(path).body.contains("承認済み"))
            // The platform team heard of the submission, the requester of the decision.
            #expect(try await platform.get("/notifications").body.contains("A-1 窓口システムの本番環境の申請が提出されました。審査してください。"))
            #expect(try await requester.get("/notifications").body.contains("A-1 窓口システムの本番環境の申請が承認されました。"))

            // The landing package: checked against the baseline, its guardrails and files shown, versions compared.
            #expect(try await platform.post("\(path)/packages", []).status == .seeOther)
            let page = try await platform.get(path)
            #expect(page.body.contains("第1版") && page.body.contains("不適合0"))
            let package = try await platform.get("\(path)/packages/1")
            #expect(package.status == .ok && package.body.contains("AWS::CloudTrail::Trail") && package.body.contains("DenyOutsideJapanRegions"))
            #expect(package.body.contains("このクラウドに相当するガードレールがない統制"))
            let file = try await platform.get("\(path)/packages/1/file?path=aws/account-baseline.json")
            #expect(file.status == .ok && file.body.contains("\"EnableLogFileValidation\" : true"))
            #expect(try await requester.post("\(path)/packages", []).status == .forbidden)
            #expect(try await platform.get("\(path)/packages/9").status == .notFound)
            // The shared services show who uses them.
            #expect(try await platform.get("/platform/services").body.contains("A-1 窓口システム（本番）"))

            // Confidentiality 3: the security reviewer decides too; the platform alone does not approve.
            let sensitive = try Self.path(try await Self.request(requester, system: c3, cloud: "azure", region: "japaneast"))
            #expect(try await requester.post("\(sensitive)/act", [("action", "submit")]).status == .seeOther)
            #expect(try await platform.post("\(sensitive)/act", [("action", "approve"), ("role", "platform")]).status == .seeOther)
            #expect(try await platform.get(sensitive).body.contains("審査中"))
            #expect(try await platform.post("\(sensitive)/act", [("action", "approve"), ("role", "security")]).status == .forbidden)
            let security = Browser(client)
            try await security.signIn("spec-security", password: Fixture.password)
            #expect(try await security.get("/notifications").body.contains("C-3 福祉台帳システムの本番環境の申請が提出されました"))
            try await security.get(sensitive)
            #expect(try await security.post("\(sensitive)/act", [("action", "approve"), ("role", "security")]).status == .seeOther)
            #expect(try await platform.get(sensitive).body.contains("承認済み"))
            #expect(try await platform.post("\(sensitive)/packages", []).status == .seeOther)
            #expect(try await platform.get("\(sensitive)/packages/1").body.contains("e56962a6-4747-49cd-b67b-bf8b01975c4c"))

            // The requester's own request is never approved by them, even as platform team.
            let own = try Self.path(try await Self.request(platform, system: a1, stage: "staging"))
            #expect(try await platform.post("\(own)/act", [("action", "submit")]).status == .seeOther)
            let refused = try await platform.post("\(own)/act", [("action", "approve"), ("role", "platform")])
            #expect(refused.status == .forbidden && refused.body.contains("自分の申請や記録は判断できません"))
            // Another tenant sees none of it.
            let outsider = Browser(client)
            try await outsider.signIn("chiyoda-admin", password: Fixture.password)
            #expect(try await outsider.get(path).status == .notFound)
            #expect(!(try await outsider.get("/platform").body.contains("窓口システム")))
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action LIKE 'platform.%'") >= 10)
        }
    }

    @Test func aPackageIsRefusedForACloudTheSystemMayNotUse() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, _, c3) = try await Self.setUp(env, client)
            let path = try Self.path(try await Self.request(requester, system: c3, cloud: "oracle_cloud", region: "ap-tokyo-1"))
            #expect(try await requester.post("\(path)/act", [("action", "submit")]).status == .seeOther)
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .seeOther)
            let security = Browser(client)
            try await security.signIn("spec-security", password: Fixture.password)
            try await security.get(path)
            #expect(try await security.post("\(path)/act", [("action", "approve"), ("role", "security")]).status == .seeOther)
            let unsupported = try await platform.post("\(path)/packages", [])
            #expect(unsupported.status == .unprocessableContent && unsupported.body.contains("ランディングパッケージは生成できません"))

            // With a cloud that offers no closed network, a confidentiality-3 system may neither be requested nor landed there.
            var changed = CloudProviderFacts.published
            changed[.aws] = CloudProviderFacts(ismap: true, governmentCloud: .selected, japanRegions: ["東京", "大阪"], closedNetwork: false)
            let facts = changed
            try await env.db { db in
                var service = EnvironmentService(database: db, baseline: LandingPackageTests.library)
                let principal = try await Self.principal("welfare-user", db)
                service.cloudFacts = facts
                await #expect(throws: AppError.self) {
                    _ = try await service.create(.init(systemId: c3, stage: "production", cloud: "aws", region: "ap-northeast-1", monthlyBudget: "1",
                                                       services: [], purpose: "x"), principal: principal)
                }
                // Approved while the cloud qualified; the facts change; generation is refused with the reason.
                service.cloudFacts = CloudProviderFacts.published
                let e = try await service.create(.init(systemId: c3, stage: "development", cloud: "aws", region: "ap-northeast-1", monthlyBudget: "1",
                                                       services: [], purpose: "x"), principal: principal)
                try await db.read { sql in try await sql.raw("UPDATE environments SET status = 'approved' WHERE id = \(bind: e.id)").run() }
                service.cloudFacts = facts
                do {
                    _ = try await service.generatePackage(e.id, principal: try await Self.principal("tokyo-platform", db))
                    Issue.record("generated for a cloud the system may not use")
                } catch AppError.invalid(let errors) {
                    #expect(errors.first?.code == "platform_cloud_not_allowed" && errors.first?.args["reasons"] == "closed_network")
                }
            }
        }
    }

    /// An approved AWS production environment of A-1, requested by welfare-user and approved by tokyo-platform.
    static func approved(_ requester: Browser, _ platform: Browser, system: String) async throws -> String {
        let path = try Self.path(try await Self.request(requester, system: system))
        #expect(try await requester.post("\(path)/act", [("action", "submit")]).status == .seeOther)
        #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .seeOther)
        return path
    }

    static func grant(_ b: Browser, _ path: String, _ fields: [(String, String)]) async throws -> Browser.Page {
        let today = TokyoDate.today()
        var form: [(String, String)] = [("role", "readonly"), ("accountKind", "named"), ("mfa", "true"), ("startsOn", today.iso),
                                        ("endsOn", today.adding(days: 30).iso), ("reason", "運用の確認")]
        for (k, v) in fields { form.removeAll { $0.0 == k }; form.append((k, v)) }
        return try await b.post("\(path)/grants", form)
    }

    static func grantId(_ env: TestEnvironment, login: String, role: String) async throws -> String {
        try #require(try await env.db { db in
            try await db.read { sql in
                try await sql.raw("""
                    SELECT g.id FROM access_grants g JOIN people p ON p.id = g.person_id WHERE p.login = \(bind: login) AND g.role = \(bind: role)
                    ORDER BY g.requested_at DESC
                    """).first(decodingColumn: "id", as: String.self)
            }
        })
    }

    @Test func grantsFollowTheAccountRulesAndAreReviewed() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, a1, _) = try await Self.setUp(env, client)
            let path = try await Self.approved(requester, platform, system: a1)
            let today = TokyoDate.today()
            // Refused: someone with no membership in the tenant, a vendor past their contract, an inverted or overlong period.
            let stranger = try await Self.grant(requester, path, [("login", "chiyoda-user")])
            #expect(stranger.status == .unprocessableContent && stranger.body.contains("このログインIDの、この団体に所属する有効な人はいません"))
            let vendor = try await Self.grant(requester, path, [("login", "welfare-colleague"), ("vendor", "true"), ("contractEnds", today.adding(days: 10).iso)])
            #expect(vendor.status == .unprocessableContent && vendor.body.contains("契約の終了日（\(today.adding(days: 10).iso)）までにしてください"))
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague"), ("endsOn", today.adding(days: -1).iso)]).status == .unprocessableContent)
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague"), ("endsOn", today.adding(days: 400).iso)]).status == .unprocessableContent)

            // Granted: a read-only grant, a standing admin on production without MFA, a break-glass account.
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague")]).status == .seeOther)
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague"), ("role", "admin"), ("mfa", "false")]).status == .seeOther)
            #expect(try await Self.grant(requester, path, [("login", "tokyo-platform"), ("role", "breakglass"), ("accountKind", "breakglass")]).status == .seeOther)
            let readonly = try await Self.grantId(env, login: "welfare-colleague", role: "readonly")
            let admin = try await Self.grantId(env, login: "welfare-colleague", role: "admin")
            let breakglass = try await Self.grantId(env, login: "tokyo-platform", role: "breakglass")
            // The requester neither manages the tenant nor decides their own request.
            #expect(try await requester.post("/platform/grants/\(readonly)/decide", [("action", "approve")]).status == .forbidden)
            for id in [readonly, admin] {
                #expect(try await platform.post("/platform/grants/\(id)/decide", [("action", "approve")]).status == .seeOther)
            }
            // The holder of a grant never approves it, even one that someone else requested for them.
            let own = try await platform.post("/platform/grants/\(breakglass)/decide", [("action", "approve")])
            #expect(own.status == .forbidden && own.body.contains("自分の申請や記録は判断できません"))
            let admin2 = Browser(client)
            try await admin2.signIn("sysadmin", password: Fixture.password)
            try await admin2.get(path)
            #expect(try await admin2.post("/platform/grants/\(breakglass)/decide", [("action", "approve")]).status == .seeOther)
            var page = try await platform.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains("本番環境の常時の管理者権限には承認された例外が必要です") && page.body.contains("多要素認証が必要です"))

            // A break-glass use shows until someone other than its holder reviews it.
            #expect(try await platform.post("/platform/grants/\(breakglass)/uses", [("usedOn", today.iso), ("useReason", "障害対応")]).status == .seeOther)
            #expect(try await platform.get(path).body.contains("緊急用アカウントの使用が確認されていません"))
            let useId = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM breakglass_uses").first(decodingColumn: "id", as: String.self) }
            })
            #expect(try await platform.post("/platform/uses/\(useId)/review", []).status == .forbidden, "the holder does not review their own use")
            try await admin2.get(path)
            #expect(try await admin2.post("/platform/uses/\(useId)/review", []).status == .seeOther)
            #expect(!(try await platform.get(path).body.contains("緊急用アカウントの使用が確認されていません")))

            // A transfer after the grant was confirmed asks for a review.
            try await env.execute("UPDATE access_grants SET confirmed_on = \(bind: today.adding(days: -20).iso) WHERE id = \(bind: readonly)")
            try await env.execute("""
                INSERT INTO memberships (id, person_id, org_unit_id, tenant_id, title, valid_from, valid_to, is_primary, created_at)
                SELECT 'moved', id, 'tokyo-desk', 'tokyo', NULL, \(bind: today.adding(days: -3).iso), NULL, \(bind: false), '2026-01-01T00:00:00Z'
                FROM people WHERE login = 'welfare-colleague'
                """)
            page = try await platform.get(path)
            #expect(page.body.contains("人事異動がありました。付与を見直してください"))

            // The assignments each cloud's identity service takes.
            let export = try await platform.get("\(path)/assignments.json")
            #expect(export.status == .ok && export.body.contains("\"PermissionSetName\" : \"kkh-a-1-production-readonly\"") && export.body.contains("AccountAssignments"))

            // The access review: each grant to its approver; a revocation needs a note and ends the grant; the evidence exported.
            try await platform.get("/platform/reviews")
            #expect(try await requester.get("/notifications").body.contains("「閲覧者」のアクセス権の申請は承認されました。"))
            let opened = try await platform.post("/platform/reviews", [("tenant", "tokyo"), ("environment", ""), ("title", "令和8年度 上期の棚卸し"), ("dueOn", today.adding(days: 7).iso)])
            let review = try Self.path(opened)
            let items = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id, grant_id FROM access_review_items").all(decoding: [String: String].self) }
            }
            #expect(items.count == 3)
            let item = { (grant: String) in items.first { $0["grant_id"] == grant }!["id"]! }
            #expect(try await requester.post("\(review)/items/\(item(readonly))", [("decision", "confirm")]).status == .forbidden, "not the reviewer")
            #expect(try await platform.post("\(review)/items/\(item(admin))", [("decision", "revoke"), ("note", "")]).status == .unprocessableContent)
            #expect(try await platform.post("\(review)/items/\(item(admin))", [("decision", "revoke"), ("note", "常時の管理者は不要")]).status == .seeOther)
            #expect(try await platform.post("\(review)/items/\(item(readonly))", [("decision", "confirm")]).status == .seeOther)
            page = try await platform.get(path)
            #expect(!page.body.contains("人事異動がありました") && !page.body.contains("本番環境の常時の管理者権限"), "confirmed and revoked")
            let evidence = try await platform.get("\(review)/evidence.csv")
            #expect(evidence.body.contains("\"revoke\"") && evidence.body.contains("常時の管理者は不要") && evidence.body.contains("\"undecided\""))
            #expect(try await platform.post("\(review)/close", []).status == .seeOther)
            // The break-glass grant's holder is not its reviewer; its approver is, and the closed review takes no more decisions.
            let breakglassItem = item(breakglass)
            let breakglassReviewer = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT reviewer_id FROM access_review_items WHERE id = \(bind: breakglassItem)")
                        .first(decodingColumn: "reviewer_id", as: String.self)
                }
            }
            #expect(breakglassReviewer == "p-sysadmin")
            try await admin2.get(review)
            #expect(try await admin2.post("\(review)/items/\(item(breakglass))", [("decision", "confirm")]).status == .conflict)
            #expect(try await platform.get("\(review)/evidence.json").body.contains("\"status\" : \"closed\""))
        }
    }

    @Test func everyPlatformPageRendersInBothLanguagesWithoutGaps() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, a1, _) = try await Self.setUp(env, client)
            let path = try await Self.approved(requester, platform, system: a1)
            #expect(try await platform.post("\(path)/packages", []).status == .seeOther)
            #expect(try await platform.post("\(path)/packages", []).status == .seeOther)
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague"), ("role", "breakglass"), ("accountKind", "breakglass"), ("mfa", "false")]).status == .seeOther)
            let grant = try await Self.grantId(env, login: "welfare-colleague", role: "breakglass")
            #expect(try await platform.post("/platform/grants/\(grant)/decide", [("action", "approve")]).status == .seeOther)
            try await platform.get("/platform/reviews")
            let review = try Self.path(try await platform.post("/platform/reviews", [("tenant", "tokyo"), ("title", "棚卸し"), ("dueOn", TokyoDate.today().iso)]))
            let prefixes = ["platform", "stage", "env_status", "grant_role", "grant_status", "account", "rule", "guardrail", "review_status", "review_decision", "cloud", "notice", "error"]
            for lang in ["ja", "en"] {
                try await platform.post("/preferences/lang", [("lang", lang), ("next", "/home")])
                for uri in ["/platform", "/platform/services", "/platform/environments/new", path, "\(path)/packages/1", "\(path)/packages/2", "/platform/reviews", review] {
                    let page = try await platform.get(uri)
                    #expect(page.status == .ok, "\(lang) \(uri): \(page.status)")
                    #expect(page.body.contains("<html lang=\"\(lang)\">"), "\(uri)")
                    #expect(DeskPagesTests.rawKeys(page.body, prefixes: prefixes).isEmpty, "\(lang) \(uri): \(DeskPagesTests.rawKeys(page.body, prefixes: prefixes))")
                }
            }
            #expect(try await platform.get(path).body.contains("MFA is required"))
        }
    }

    @Test func aMunicipalityInASharedArrangementSeesItsShareAndTheFindingsButManagesNothing() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (requester, platform, a1, _) = try await Self.setUp(env, client)
            let unknown = try await requester.post("/platform/environments/new", [("systemId", a1), ("stage", "production"), ("cloud", "aws"), ("region", "ap-northeast-1"),
                                                                                 ("monthlyBudget", "900000"), ("purpose", "共同利用"), ("sharedWith", "999999")])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("共同利用の団体「999999」が見つかりません"))
            #expect(try await requester.get("/platform/environments/new").body
                .contains(#"<input type="checkbox" name="sharedWith" value="\#(f.chiyoda.id)"> 千代田区</label>"#), "municipalities by name")
            let created = try await requester.post("/platform/environments/new", [("systemId", a1), ("stage", "production"), ("cloud", "aws"), ("region", "ap-northeast-1"),
                                                                                 ("monthlyBudget", "900000"), ("purpose", "共同利用"), ("sharedWith", f.chiyoda.id), ("sharedWith", f.hachioji.id)])
            let path = try Self.path(created)
            #expect(try await requester.post("\(path)/act", [("action", "submit")]).status == .seeOther)
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .seeOther)
            #expect(try await requester.get(path).body.contains(#"<option value="welfare-colleague">小林 由美（テスト）</option>"#),
                    "holders are suggested by name")
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague")]).status == .seeOther)
            let grant = try await Self.grantId(env, login: "welfare-colleague", role: "readonly")

            let ward = Browser(client)
            try await ward.signIn("chiyoda-admin", password: Fixture.password)
            #expect(try await ward.get("/platform").body.contains("A-1 窓口システム"))
            let page = try await ward.get(path)
            #expect(page.status == .ok && page.body.contains("300,000") && page.body.contains("セキュリティ基準の確認（最新）"))
            #expect(try await ward.post("/platform/grants/\(grant)/decide", [("action", "approve")]).status == .notFound)
            #expect(try await ward.post("\(path)/packages", []).status == .forbidden)
            // The share, not the owner's staff: no grants, holders, assignments or packages, page or API.
            #expect(!page.body.contains("依頼 花子") && !page.body.contains("小林 由美"), "no grant holders on the page")
            #expect(try await ward.get("\(path)/assignments.json").status == .notFound)
            #expect(try await platform.post("\(path)/packages", []).status == .seeOther)
            #expect(try await ward.get("\(path)/packages/1").status == .notFound)
            let environmentId = String(path.split(separator: "/").last ?? "")
            let token = try await env.token(for: f.chiyoda.admin)
            #expect(try await client.api("/api/v1/platform/environments/\(environmentId)", token: token).status == .ok)
            for tail in ["grants", "packages", "assignments"] {
                let answer = try await client.api("/api/v1/platform/environments/\(environmentId)/\(tail)", token: token)
                #expect(answer.status == .notFound, "\(tail) answered \(answer.status)")
            }
            let other = Browser(client)
            try await other.signIn("hachioji-admin", password: Fixture.password)
            #expect(try await other.get(path).status == .ok)
        }
    }

    @Test func thePathRunsThroughTheAPI() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let (_, _, a1, _) = try await Self.setUp(env, client)
            func token(_ login: String) async throws -> String {
                let id = try #require(try await env.db { db in try await db.read { sql in try await DirectoryRepository().person(login: login, on: sql)?.id } })
                return try await env.token(for: id)
            }
            let requester = try await token("welfare-user"), platform = try await token("tokyo-platform"), outsider = try await env.token(for: f.chiyoda.requester)
            func json(_ body: String) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) }
            let today = TokyoDate.today()

            let wrongCloud = try await client.api("/api/v1/platform/environments", method: .post, token: requester,
                                                  json: #"{"systemId":"\#(a1)","stage":"production","cloud":"aws","region":"japaneast","monthlyBudget":1,"purpose":"x"}"#)
            #expect(wrongCloud.status == .unprocessableContent && wrongCloud.body.contains("platform_region"))
            let created = try await client.api("/api/v1/platform/environments", method: .post, token: requester,
                                               json: #"{"systemId":"\#(a1)","stage":"production","cloud":"aws","region":"ap-northeast-1","monthlyBudget":500000,"services":["logs"],"purpose":"本番"}"#)
            #expect(created.status == .created)
            let id = try #require(try json(created.body)["id"] as? String)
            #expect(try await client.api("/api/v1/platform/environments/\(id)", token: outsider).status == .notFound)
            #expect(try await client.api("/api/v1/platform/environments/\(id)/actions", method: .post, token: requester, json: #"{"action":"submit"}"#).status == .ok)
            let own = try await client.api("/api/v1/platform/environments/\(id)/actions", method: .post, token: requester, json: #"{"action":"approve","role":"platform"}"#)
            #expect(own.status == .forbidden)
            let approved = try await client.api("/api/v1/platform/environments/\(id)/actions", method: .post, token: platform, json: #"{"action":"approve","role":"platform"}"#)
            let approvedStatus = try json(approved.body)["status"] as? String
            #expect(approved.status == .ok && approvedStatus == "approved")

            let generated = try await client.api("/api/v1/platform/environments/\(id)/packages", method: .post, token: platform)
            #expect(generated.status == .created)
            let package = try json(generated.body)
            #expect(package["failed"] as? Int == 0 && (package["files"] as? [[String: Any]])?.contains { $0["path"] as? String == "aws/account-baseline.json" } == true)
            #expect(try await client.api("/api/v1/platform/environments/\(id)/packages/1", token: requester).status == .ok)

            let past = try await client.api("/api/v1/platform/environments/\(id)/grants", method: .post, token: requester, json: """
                {"login":"welfare-colleague","role":"operator","vendor":true,"contractEnds":"\(today.adding(days: 5).iso)","reason":"保守","startsOn":"\(today.iso)","endsOn":"\(today.adding(days: 30).iso)"}
                """)
            #expect(past.status == .unprocessableContent && past.body.contains("platform_grant_past_contract"))
            let granted = try await client.api("/api/v1/platform/environments/\(id)/grants", method: .post, token: requester, json: """
                {"login":"welfare-colleague","role":"admin","mfa":false,"reason":"構築","startsOn":"\(today.iso)","endsOn":"\(today.adding(days: 60).iso)"}
                """)
            #expect(granted.status == .created)
            let grantId = try #require(try json(granted.body)["id"] as? String)
            #expect(try await client.api("/api/v1/platform/grants/\(grantId)/decision", method: .post, token: requester, json: #"{"action":"approve"}"#).status == .forbidden)
            #expect(try await client.api("/api/v1/platform/grants/\(grantId)/decision", method: .post, token: platform, json: #"{"action":"approve"}"#).status == .ok)
            let grants = try await client.api("/api/v1/platform/environments/\(id)/grants", token: requester)
            #expect(grants.body.contains("standingAdmin") && grants.body.contains("\"mfa\""))
            let assignments = try await client.api("/api/v1/platform/environments/\(id)/assignments", token: platform)
            #expect(assignments.status == .ok && assignments.body.contains("AccountAssignments"))

            let review = try await client.api("/api/v1/platform/reviews", method: .post, token: platform,
                                              json: #"{"tenant":"tokyo","environment":"\#(id)","title":"棚卸し","dueOn":"\#(today.adding(days: 7).iso)"}"#)
            #expect(review.status == .created)
            let reviewBody = try json(review.body)
            let reviewId = try #require(reviewBody["id"] as? String)
            let itemId = try #require((reviewBody["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await client.api("/api/v1/platform/reviews/\(reviewId)/items/\(itemId)", method: .post, token: platform, json: #"{"decision":"revoke"}"#).status
                    == .unprocessableContent)
            let decided = try await client.api("/api/v1/platform/reviews/\(reviewId)/items/\(itemId)", method: .post, token: platform,
                                               json: #"{"decision":"revoke","note":"不要"}"#)
            #expect(decided.status == .ok && decided.body.contains("revoke"))
            #expect(try await client.api("/api/v1/platform/reviews/\(reviewId)", token: outsider).status == .notFound)
            let visible = try await client.api("/api/v1/platform/environments", token: outsider)
            #expect(visible.status == .ok && !visible.body.contains(id))
        }
    }

    @Test func badPlatformInputIsRefusedWithTheReason() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (requester, platform, a1, _) = try await Self.setUp(env, client)
            let path = try await Self.approved(requester, platform, system: a1)
            let today = TokyoDate.today()
            #expect(try await platform.post("\(path)/act", [("action", "cancel")]).status == .unprocessableContent)
            #expect(try await platform.post("\(path)/act", [("action", "submit")]).status == .conflict, "only a draft is submitted")
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "security")]).status == .forbidden)
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague"), ("role", "superuser")]).status == .unprocessableContent)
            #expect(try await Self.grant(requester, path, [("login", "nobody")]).body.contains("このログインIDの、この団体に所属する有効な人はいません"))
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague"), ("role", "admin"), ("exceptionId", "no-such")]).status == .unprocessableContent)
            #expect(try await Self.grant(requester, path, [("login", "welfare-colleague")]).status == .seeOther)
            let grant = try await Self.grantId(env, login: "welfare-colleague", role: "readonly")
            #expect(try await platform.post("/platform/grants/\(grant)/decide", [("action", "maybe")]).status == .unprocessableContent)
            #expect(try await platform.post("/platform/grants/\(grant)/decide", [("action", "approve")]).status == .seeOther)
            let notBreakglass = try await platform.post("/platform/grants/\(grant)/uses", [("usedOn", today.iso), ("useReason", "x")])
            #expect(notBreakglass.status == .conflict && notBreakglass.body.contains("緊急用アカウントではありません"))
            try await platform.get("/platform/reviews")
            let past = try await platform.post("/platform/reviews", [("tenant", "tokyo"), ("title", "棚卸し"), ("dueOn", today.adding(days: -1).iso)])
            #expect(past.status == .unprocessableContent && past.body.contains("期限は今日以降にしてください"))
            #expect(try await platform.post("/platform/reviews", [("tenant", Fixture.chiyoda), ("title", "棚卸し"), ("dueOn", today.iso)]).status == .unprocessableContent,
                    "a tenant with no grants has nothing to review")
            #expect(try await requester.post("/platform/reviews", [("tenant", "tokyo"), ("title", "棚卸し"), ("dueOn", today.iso)]).status == .forbidden)
            #expect(try await platform.get("\(path)/packages/1/file?path=../../etc/passwd").status == .notFound)
        }
    }

    static func principal(_ login: String, _ db: AppDatabase) async throws -> Principal {
        try await db.read { sql in
            let person = try #require(try await DirectoryRepository().person(login: login, on: sql))
            return Principal(person: person, grants: try await DirectoryRepository().grants(of: person.id, on: sql))
        }
    }
}
