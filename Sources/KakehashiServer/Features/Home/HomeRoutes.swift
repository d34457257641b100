import Hummingbird
import KakehashiCore

/// The home page: what each of the person's roles leads to, and today's facts.
struct HomeRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let directory = DirectoryRepository()

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("/home", use: home)
    }

    struct HomePage: Sendable {
        let greeting: String
        let today: String
        let fiscalYear: String
        let tenantName: String
        let unitName: String?
        let roles: [String]
        let cards: [Card]
    }

    struct Card: Sendable {
        let title: String
        let body: String
        let href: String
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.signedIn()
        let homeTenant = principal.person.tenantId
        let scope = try principal.scope(homeTenant)
        let today = TokyoDate.today()
        let directory = self.directory
        let (tenant, units) = try await database.read { sql in
            (try await directory.tenant(homeTenant, on: sql),
             try await directory.currentUnits(of: [principal.id], on: today, in: scope, on: sql))
        }
        let lang = context.lang
        let l = pages.localizer
        var cards = [Card(title: l.t("nav_directory", lang), body: l.t("home_card_directory", lang), href: "/t/\(homeTenant)/directory"),
                     Card(title: l.t("nav_people", lang), body: l.t("home_card_people", lang), href: "/t/\(homeTenant)/people")]
        if principal.has(.tenantAdmin, in: homeTenant) {
            cards.append(Card(title: l.t("home_card_admin_title", lang), body: l.t("home_card_admin", lang), href: "/t/\(homeTenant)/admin/people/new"))
        }
        if principal.hasAny([.auditor, .tenantAdmin], in: homeTenant) {
            cards.append(Card(title: l.t("nav_audit", lang), body: l.t("home_card_audit", lang), href: "/t/\(homeTenant)/audit"))
        }
        if principal.isSystemAdmin {
            cards.append(Card(title: l.t("nav_tenants", lang), body: l.t("home_card_tenants", lang), href: "/tenants"))
        }
        let roleNames = principal.grants.filter { $0.tenantId == homeTenant || $0.role == Role.systemAdmin.rawValue }
            .map { RoleLabels.label($0, l, lang) }
        let fiscal = FiscalYear(containing: today)
        let page = HomePage(
            greeting: l.t("home_greeting", lang, ["name": principal.person.displayName]),
            today: lang == .ja ? "\(JapaneseEra.format(today))（\(l.t("weekday_\(today.weekday)", lang))）" : today.iso,
            fiscalYear: lang == .ja ? fiscal.japaneseLabel : fiscal.englishLabel,
            tenantName: tenant.map { TenantLabels.name($0, lang) } ?? homeTenant,
            unitName: units[principal.id]?.name,
            roles: roleNames, cards: cards)
        return try pages.render("home", title: l.t("nav_home", lang), page, request: request, context: context)
    }
}

/// Localised names of roles and teams.
enum RoleLabels {
    static func label(_ grant: RoleGrant, _ l: Localizer, _ lang: Lang) -> String {
        let role = l.t("role_\(grant.role)", lang)
        return grant.team.isEmpty ? role : "\(role)（\(l.t("team_\(grant.team)", lang))）"
    }
}

enum TenantLabels {
    static func name(_ tenant: Tenant, _ lang: Lang) -> String {
        lang == .en ? (tenant.nameEn ?? tenant.name) : tenant.name
    }
}
