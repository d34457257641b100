import Hummingbird
import KakehashiCore

/// The home page: the person's own work first (やること), then what their roles lead to.
struct HomeRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let sla: DeskSLA
    let inbox: Inbox
    /// Tasks shown on the home page; the rest are one link away.
    static let shownTasks = 8
    let directory = DirectoryRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
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
        let items: [InboxItemView]
        let hasItems: Bool
        let seeAll: String?
        let overdueText: String?
    }

    struct Card: Sendable {
        let title: String
        let body: String
        let href: String
    }

    @Sendable func home(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
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
        cards.insert(contentsOf: try await deskCards(principal, today: today, lang: lang), at: 0)
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
        let tasks = try await inbox.tasks(for: principal, today: today, module: "")
        let page = HomePage(
            greeting: l.t("home_greeting", lang, ["name": principal.person.displayName]),
            today: lang == .ja ? "\(DateText.day(today, lang))（\(l.t("weekday_\(today.weekday)", lang))）" : DateText.day(today, lang),
            fiscalYear: fiscal.label(lang),
            tenantName: tenant.map { TenantLabels.name($0, lang) } ?? homeTenant,
            unitName: units[principal.id]?.name,
            roles: roleNames, cards: cards,
            items: tasks.prefix(Self.shownTasks).map { InboxItemView.build($0, today: today, l: l, lang: lang) },
            hasItems: !tasks.isEmpty,
            seeAll: tasks.count > Self.shownTasks ? l.t("inbox_see_all", lang, ["count": String(tasks.count)]) : nil,
            overdueText: InboxRoutes.overdueText(tasks, today: today, l: l, lang: lang))
        return try pages.render("home", title: l.t("nav_home", lang), page, request: request, context: context,
                                openTasks: tasks.count)
    }
}

extension HomeRoutes {
    /// The desk's entry points; for desk officers, the queue with what is overdue or due soon.
    func deskCards(_ principal: Principal, today: LocalDate, lang: Lang) async throws -> [Card] {
        let l = pages.localizer
        var cards = [Card(title: l.t("intake_new", lang), body: l.t("home_card_intake", lang), href: "/desk/consultations/new")]
        guard principal.has(.deskOfficer, in: DeskAccess.deskTenantId) else {
            cards.append(Card(title: l.t("nav_consultations", lang), body: l.t("home_card_consultations", lang), href: "/desk/consultations"))
            return cards
        }
        let access = try await DeskAccess.load(principal, database: database)
        let repository = ConsultationRepository()
        let soon = BusinessCalendar.add(sla.warningDays, to: today).iso
        let (open, overdue, dueSoon) = try await database.read { sql in
            let queue = ConsultationFilter(states: [.submitted])
            var late = queue, near = queue
            late.decisionDueBy = today.adding(days: -1).iso
            near.decisionDueBy = soon
            return (try await repository.count(queue, access: access, on: sql), try await repository.count(late, access: access, on: sql),
                    try await repository.count(near, access: access, on: sql))
        }
        cards.append(Card(title: l.t("nav_reports", lang), body: l.t("home_card_reports", lang), href: "/desk/reports"))
        cards.insert(Card(title: l.t("desk_queue", lang),
                          body: l.t("home_card_queue", lang, ["open": String(open), "overdue": String(overdue), "soon": String(dueSoon - overdue)]),
                          href: overdue > 0 ? "/desk/consultations?due=overdue" : "/desk/consultations"), at: 0)
        return cards
    }
}

/// Localised names of roles and teams.
enum RoleLabels {
    /// A desk team by name; the desk officers' own team is `desk`.
    static func team(_ team: String, _ l: Localizer, _ lang: Lang) -> String {
        team == "desk" ? l.t("role_deskOfficer", lang) : l.t("team_\(team)", lang)
    }

    static func label(_ grant: RoleGrant, _ l: Localizer, _ lang: Lang) -> String {
        label(role: grant.role, team: grant.team, l, lang)
    }

    /// A role by name, with the specialist's team where there is one.
    static func label(role: String, team: String, _ l: Localizer, _ lang: Lang) -> String {
        let name = l.t("role_\(role)", lang)
        return team.isEmpty ? name : "\(name)（\(l.t("team_\(team)", lang))）"
    }
}

enum TenantLabels {
    static func name(_ tenant: Tenant, _ lang: Lang) -> String {
        lang == .en ? (tenant.nameEn ?? tenant.name) : tenant.name
    }
}
