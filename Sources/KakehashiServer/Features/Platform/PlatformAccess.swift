import KakehashiCore
import SQLKit

/// Who does what on the platform. The platform team (platform engineers of 東京都, the platform's
/// tenant) decides environment requests and generates packages for every tenant; security
/// specialists review requests whose data classification needs it; a tenant's requesters, platform
/// engineers and administrators request environments for its systems; its administrators (and the
/// platform team) manage its grants and access reviews. Nobody sees another tenant's environments.
struct PlatformAccess: Sendable {
    let principal: Principal

    static let platformTenant = DeskAccess.deskTenantId

    var isPlatformTeam: Bool { principal.isSystemAdmin || principal.has(.platformEngineer, in: Self.platformTenant) }

    var isSecurityReviewer: Bool {
        principal.isSystemAdmin || principal.grants.contains {
            $0.tenantId == Self.platformTenant && $0.role == Role.specialist.rawValue && $0.team == SpecialistTeam.security.rawValue
        }
    }

    func mayRead(_ tenant: String) -> Bool {
        isPlatformTeam || isSecurityReviewer || principal.hasAny([.requester, .platformEngineer, .tenantAdmin, .auditor], in: tenant)
    }

    /// Packages, grants, holders and break-glass uses belong to the environment's own tenant and the
    /// platform team; tenants it is shared with read the environment, their share and its findings only.
    func readsDetails(of environment: PlatformEnvironment) -> Bool {
        isPlatformTeam || isSecurityReviewer || mayRead(environment.tenantId)
    }

    func mayRequest(_ tenant: String) -> Bool {
        principal.isSystemAdmin || principal.hasAny([.requester, .platformEngineer, .tenantAdmin], in: tenant)
    }

    /// Tenants whose systems this person may request environments for.
    var requestableTenants: TenantReach {
        if let every = principal.everyTenant(.systemAdmin) { return .every(every) }
        return .only(Set(principal.grants.map(\.tenantId)).filter(mayRequest).sorted())
    }

    /// Grants and access reviews of the tenant.
    func mayManage(_ tenant: String) -> Bool { isPlatformTeam || principal.has(.tenantAdmin, in: tenant) }

    /// Everyone who reads some tenant's environments (requesters included: they ask for them) sees the menu entry.
    var showsInMenu: Bool { isPlatformTeam || isSecurityReviewer || principal.grants.contains { mayRead($0.tenantId) } }

    /// Tenants whose environments this person reads: every tenant for the platform team and security reviewers.
    var readableTenants: TenantReach {
        let platform = Self.platformTenant
        if let every = principal.everyTenant(.platformTeam(platformTenant: platform))
            ?? principal.everyTenant(.securityReviewer(platformTenant: platform)) { return .every(every) }
        return .only(Set(principal.grants.map(\.tenantId)).filter(mayRead).sorted())
    }
}

/// Region codes in Japan per cloud (the request form offers only these).
enum PlatformRegions {
    static let japan: [CloudProvider: [String]] = [
        .aws: ["ap-northeast-1", "ap-northeast-3"], .azure: ["japaneast", "japanwest"], .googleCloud: ["asia-northeast1", "asia-northeast2"],
        .oracleCloud: ["ap-tokyo-1", "ap-osaka-1"], .sakuraCloud: ["is1a", "is1b", "tk1a", "tk1b"],
    ]

    /// Microsoft Azure・東日本リージョン（japaneast）: the cloud and the place in it.
    static func cloudAndRegion(_ cloud: String, _ code: String, l: Localizer, lang: Lang) -> String {
        l.t("cloud_and_region", lang, ["cloud": l.t("cloud_\(cloud)", lang), "region": label(code, l: l, lang: lang)])
    }

    /// 東京リージョン（ap-northeast-1）: the place in words, the provider's code after it.
    static func label(_ code: String, l: Localizer, lang: Lang) -> String {
        let key = "region_" + code
        return l.catalog(.ja)[key] == nil ? code : l.t("name_with_code", lang, ["name": l.t(key, lang), "code": code])
    }
}

/// The platform's services, built once for the pages and the API.
struct PlatformServices: Sendable {
    let environments: EnvironmentService
    let grants: GrantService
    let reviews: AccessReviewService

    init(database: AppDatabase, baseline: BaselineLibrary, notifier: Notifier?) {
        environments = EnvironmentService(database: database, baseline: baseline, notifier: notifier)
        grants = GrantService(database: database, notifier: notifier)
        reviews = AccessReviewService(database: database, notifier: notifier)
    }
}

/// Who hears of what on the platform.
enum PlatformRecipients {
    /// Active holders of a role (and specialist team) in a tenant (nil: in any tenant).
    static func holders(of role: Role, team: String? = nil, in tenant: String?, on sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT DISTINCT g.person_id FROM role_grants g JOIN people p ON p.id = g.person_id
            WHERE (\(bind: tenant ?? "") = '' OR g.tenant_id = \(bind: tenant ?? "")) AND g.role = \(bind: role.rawValue)
              AND p.active = \(bind: true) AND (\(bind: team ?? "") = '' OR g.team = \(bind: team ?? ""))
            """).all(decodingColumn: "person_id", as: String.self)
    }

    static func platformTeam(on sql: any SQLDatabase) async throws -> [String] {
        try await holders(of: .platformEngineer, in: PlatformAccess.platformTenant, on: sql)
    }

    static func securityReviewers(on sql: any SQLDatabase) async throws -> [String] {
        try await holders(of: .specialist, team: SpecialistTeam.security.rawValue, in: PlatformAccess.platformTenant, on: sql)
    }

    /// Those who manage a tenant's grants: its administrators and the platform team.
    static func managers(of tenant: String, on sql: any SQLDatabase) async throws -> [String] {
        try await holders(of: .tenantAdmin, in: tenant, on: sql) + platformTeam(on: sql)
    }
}
