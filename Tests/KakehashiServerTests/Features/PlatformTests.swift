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
            // Nothing to decide or land before it is submitted and approved.
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .conflict)
            #expect(try await requester.post("\(path)/act", [("action", "submit")]).status == .seeOther)
            #expect(try await requester.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .forbidden)
            #expect(try await platform.post("\(path)/packages", []).status == .conflict)
            #expect(try await platform.post("\(path)/act", [("action", "reject"), ("role", "platform"), ("note", "")]).status == .unprocessableContent, "a rejection says why")
            #expect(try await platform.post("\(path)/act", [("action", "approve"), ("role", "platform")]).status == .seeOther)
            #expect(try await platform.get(path).body.contains("承認済み"))

            // The landing package: checked against the baseline, its guardrails and files shown, versions compared.
            #expect(try await platform.post("\(path)/packages", []).status == .seeOther)
            let page = try await platform.get(path)
            #expect(page.body.contains("v1") && page.body.contains("不適合0"))
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
            try await security.get(sensitive)
            #expect(try await security.post("\(sensitive)/act", [("action", "approve"), ("role", "security")]).status == .seeOther)
            #expect(try await platform.get(sensitive).body.contains("承認済み"))
            #expect(try await platform.post("\(sensitive)/packages", []).status == .seeOther)
            #expect(try await platform.get("\(sensitive)/packages/1").body.contains("e56962a6-4747-49cd-b67b-bf8b01975c4c"))

            // The requester's own request is never approved by them, even as platform team.
            let own = try Self.path(try await Self.request(platform, system: a1, stage: "staging"))
            #expect(try await platform.post("\(own)/act", [("action", "submit")]).status == .seeOther)
            let refused = try await platform.post("\(own)/act", [("action", "approve"), ("role", "platform")])
            #expect(refused.status == .conflict && refused.body.contains("自分の申請や記録は判断できません"))
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

    static func principal(_ login: String, _ db: AppDatabase) async throws -> Principal {
        try await db.read { sql in
            let person = try #require(try await DirectoryRepository().person(login: login, on: sql))
            return Principal(person: person, grants: try await DirectoryRepository().grants(of: person.id, on: sql))
        }
    }
}
