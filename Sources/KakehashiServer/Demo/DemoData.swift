import Foundation
import KakehashiCore
import SQLKit

/// Loads the deterministic demo organisation once: 東京都 with its bureaus, the 62
/// municipalities, staff with transfer history, sign-in accounts for every role, a year of
/// the desk, knowledge articles and a system catalog.
public struct DemoData: Sendable {
    public static let password = "kakehashi-demo"

    public struct Account: Sendable {
        public let login: String
        public let name: String
        public let description: String
    }

    struct Seed {
        let login: String, name: String, kana: String, tenant: String, unit: String
        let roles: [(Role, SpecialistTeam?)]
        let description: String
        var previousUnit: String? = nil
    }

    static let seeds: [Seed] = [
        Seed(login: "admin", name: "石川 真一", kana: "イシカワ シンイチ", tenant: "tokyo", unit: "digital-general-affairs",
             roles: [(.systemAdmin, nil), (.tenantAdmin, nil)], description: "システム管理者・東京都テナント管理者"),
        Seed(login: "desk", name: "森 さくら", kana: "モリ サクラ", tenant: "tokyo", unit: "digital-desk",
             roles: [(.deskOfficer, nil)], description: "各局支援担当"),
        Seed(login: "pm", name: "岡田 悠人", kana: "オカダ ユウト", tenant: "tokyo", unit: "digital-talent",
             roles: [(.specialist, .pm)], description: "専門人材（PM/PdM）"),
        Seed(login: "security", name: "前田 智子", kana: "マエダ トモコ", tenant: "tokyo", unit: "digital-security",
             roles: [(.specialist, .security)], description: "専門人材（セキュリティ）"),
        Seed(login: "platform", name: "藤田 和也", kana: "フジタ カズヤ", tenant: "tokyo", unit: "digital-cloud",
             roles: [(.platformEngineer, nil)], description: "デジタル基盤担当"),
        Seed(login: "auditor", name: "長谷川 玲奈", kana: "ハセガワ レイナ", tenant: "tokyo", unit: "digital-general-affairs",
             roles: [(.auditor, nil)], description: "監査（閲覧のみ）"),
        Seed(login: "requester", name: "村上 健太", kana: "ムラカミ ケンタ", tenant: "tokyo", unit: "welfare-planning",
             roles: [(.requester, nil)], description: "依頼者（福祉局）", previousUnit: "welfare-old-planning"),
        Seed(login: "chiyoda-admin", name: "近藤 由紀", kana: "コンドウ ユキ", tenant: "131016", unit: "dx",
             roles: [(.tenantAdmin, nil), (.requester, nil)], description: "千代田区テナント管理者"),
        Seed(login: "chiyoda", name: "石井 大樹", kana: "イシイ ダイキ", tenant: "131016", unit: "dx",
             roles: [(.requester, nil)], description: "依頼者（千代田区）"),
        Seed(login: "hachioji", name: "坂本 奈々", kana: "サカモト ナナ", tenant: "132012", unit: "dx",
             roles: [(.requester, nil)], description: "依頼者（八王子市）"),
    ]

    public static var accounts: [Account] { seeds.map { Account(login: $0.login, name: $0.name, description: $0.description) } }

    let database: AppDatabase
    let passwords: Passwords
    /// Years of desk history: one for the demo; benchmarks ask for ten (about 3,000
    /// consultations and 40,000 activities).
    var deskYears = 1
    /// Where the demo's files go (the sample specification and estimate).
    var attachments: AttachmentStore? = nil

    /// Loads the demo unless it is there already; returns whether it loaded.
    public func loadIfMissing() async throws -> Bool {
        let directory = DirectoryRepository()
        if try await database.read({ sql in try await directory.tenant("tokyo", on: sql) }) != nil { return false }
        let hash = try await passwords.hash(Self.password)
        try await database.transaction { sql in
            try await load(passwordHash: hash, on: sql)
        }
        return true
    }

    private func load(passwordHash: String, on sql: any SQLDatabase) async throws {
        let repo = DirectoryRepository()
        let now = Timestamp.now()
        let system = AuditLog.Actor(system: "demo")

        try await repo.insert(Tenant(id: "tokyo", kind: TenantKind.metropolis.rawValue, name: "東京都", nameKana: "トウキョウト",
                                     nameEn: "Tokyo Metropolitan Government", createdAt: now), on: sql)
        for (index, unit) in DemoOrganisation.units.enumerated() {
            try await repo.insert(OrgUnit(id: "tokyo-\(unit.key)", tenantId: "tokyo", parentId: unit.parent.map { "tokyo-\($0)" },
                                          kind: unit.kind.rawValue, code: nil, name: unit.name, nameEn: unit.nameEn,
                                          validFrom: unit.validFrom, validTo: unit.validTo, sortOrder: index * 10, createdAt: now), on: sql)
        }
        for m in DemoMunicipalities.all {
            try await repo.insert(Tenant(id: m.code, kind: m.kind.rawValue, name: m.name, nameKana: m.kana, nameEn: m.nameEn, createdAt: now), on: sql)
            let units: [(String, String?, OrgUnitKind, String, String)] = [
                ("root", nil, .root, m.name, m.nameEn),
                ("general", "root", .department, "総務部", "General Affairs Division"),
                ("general-affairs", "general", .section, "総務課", "General Affairs Section"),
                ("policy", "root", .department, "政策経営部", "Policy and Management Division"),
                ("dx", "policy", .section, "デジタル推進課", "Digital Promotion Section"),
            ]
            for (index, u) in units.enumerated() {
                try await repo.insert(OrgUnit(id: "\(m.code)-\(u.0)", tenantId: m.code, parentId: u.1.map { "\(m.code)-\($0)" }, kind: u.2.rawValue,
                                              code: nil, name: u.3, nameEn: u.4, validFrom: "2021-04-01", validTo: nil,
                                              sortOrder: index * 10, createdAt: now), on: sql)
            }
        }

        for seed in Self.seeds {
            let id = "demo-\(seed.login)"
            try await repo.insert(Person(id: id, tenantId: seed.tenant, login: seed.login, displayName: seed.name, nameKana: seed.kana,
                                         email: "\(seed.login)@demo.kakehashi.example", locale: Lang.ja.rawValue, active: true,
                                         createdAt: now, updatedAt: now), on: sql)
            try await repo.setPasswordHash(passwordHash, personId: id, on: sql)
            let unit = "\(seed.tenant)-\(seed.unit)"
            if let previous = seed.previousUnit {
                try await membership(id, unit: "\(seed.tenant)-\(previous)", tenant: seed.tenant, from: "2021-04-01", to: "2023-06-30", on: sql)
                try await membership(id, unit: unit, tenant: seed.tenant, from: "2023-07-01", to: nil, on: sql)
            } else {
                try await membership(id, unit: unit, tenant: seed.tenant, from: "2021-04-01", to: nil, on: sql)
            }
            for (role, team) in seed.roles {
                try await repo.insert(RoleGrant(id: "\(id)-\(role.rawValue)", personId: id, tenantId: seed.tenant, role: role.rawValue,
                                                team: team?.rawValue ?? "", grantedAt: now, grantedBy: nil), on: sql)
            }
        }
        try await staff(on: sql)
        var desk = deskYears == 1 ? DemoDesk(today: TokyoDate.today())
            : DemoDesk(today: TokyoDate.today(), count: 300 * deskYears, days: 365 * deskYears)
        let consultations = try await desk.load(on: sql)
        let articles = try await DemoKnowledge.load(author: "demo-pm", reviewer: "demo-desk", on: sql)
        var portfolio = DemoPortfolio(today: TokyoDate.today(), now: now)
        let systems = try await portfolio.load(on: sql)
        var assessments = DemoAssessments(today: TokyoDate.today(), person: "demo-platform")
        let (assessed, decided) = try await assessments.load(on: sql)
        let plans = try await assessments.plans(on: sql)
        let baseline = try BaselineService.shipped.get()
        let checks = try await DemoProcurement(today: TokyoDate.today(), now: now, store: attachments).load(catalog: baseline.catalog, on: sql)
        let environments = try await DemoPlatform(today: TokyoDate.today(), now: now).load(baseline: baseline, on: sql)

        try await AuditLog.record("demo.loaded", tenantId: "tokyo", actor: system, targetType: "tenant", targetId: "tokyo",
                                  after: ["tenants": String(DemoMunicipalities.all.count + 1), "accounts": String(Self.seeds.count),
                                          "consultations": String(consultations), "articles": String(articles),
                                          "systems": String(systems), "assessed": String(assessed), "decided": String(decided),
                                          "plans": String(plans), "procurementChecks": String(checks), "environments": String(environments)], on: sql)
    }

    /// 120 staff spread over the sections; every third one was transferred in the April 2025 人事異動.
    private func staff(on sql: any SQLDatabase) async throws {
        let repo = DirectoryRepository()
        let now = Timestamp.now()
        let families = DemoOrganisation.familyNames, givens = DemoOrganisation.givenNames
        let sections = DemoOrganisation.staffSections
        for n in 0..<120 {
            let family = families[n % families.count], given = givens[(n * 7) % givens.count]
            let id = String(format: "demo-staff-%03d", n)
            let login = "t\(10001 + n)"
            try await repo.insert(Person(id: id, tenantId: "tokyo", login: login, displayName: "\(family.0) \(given.0)",
                                         nameKana: "\(family.1) \(given.1)", email: "\(login)@demo.kakehashi.example",
                                         locale: Lang.ja.rawValue, active: n % 29 != 28, createdAt: now, updatedAt: now), on: sql)
            let current = "tokyo-\(sections[n % sections.count])"
            if n % 3 == 0 {
                let previous = "tokyo-\(sections[(n + 5) % sections.count])"
                try await membership(id, unit: previous, tenant: "tokyo", from: "2022-04-01", to: "2025-03-31", title: "主事", on: sql)
                try await membership(id, unit: current, tenant: "tokyo", from: "2025-04-01", to: nil, title: "主任", on: sql)
            } else {
                try await membership(id, unit: current, tenant: "tokyo", from: "2023-07-01", to: nil, title: n % 10 == 0 ? "課長代理" : "主事", on: sql)
            }
            let role: (Role, SpecialistTeam?) = switch n % 12 {
            case 0: (.deskOfficer, nil)
            case 1, 2: (.specialist, SpecialistTeam.allCases[n % SpecialistTeam.allCases.count])
            case 3: (.platformEngineer, nil)
            default: (.requester, nil)
            }
            try await repo.insert(RoleGrant(id: "\(id)-\(role.0.rawValue)", personId: id, tenantId: "tokyo", role: role.0.rawValue,
                                            team: role.1?.rawValue ?? "", grantedAt: now, grantedBy: nil), on: sql)
        }
    }

    private func membership(_ person: String, unit: String, tenant: String, from: String, to: String?, title: String? = nil, on sql: any SQLDatabase) async throws {
        try await DirectoryRepository().insert(
            Membership(id: "\(person)-\(from)", personId: person, orgUnitId: unit, tenantId: tenant, title: title, validFrom: from,
                       validTo: to, isPrimary: true, createdAt: Timestamp.now()), on: sql)
    }
}
