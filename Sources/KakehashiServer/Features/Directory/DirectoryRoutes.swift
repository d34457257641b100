import Hummingbird
import KakehashiCore

/// Reading the organisation: tenants, the tree on a date, units, people and their history.
struct DirectoryRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let repository = DirectoryRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/tenants", use: tenants)
        router.get("/t/{tenant}/directory", use: tree)
        router.get("/t/{tenant}/units/{id}", use: unit)
        router.get("/t/{tenant}/people", use: people)
        router.get("/t/{tenant}/people/{id}", use: person)
    }

    @Sendable func tenants(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let repository = self.repository
        let reach: TenantReach = principal.everyTenant(.systemAdmin).map { .every($0) } ?? .only(Array(principal.memberTenantIds))
        let list = try await database.read { sql in
            if case .only(let ids) = reach { return try await repository.tenants(ids, on: sql) }
            return try await repository.allTenants(on: sql)
        }
        let l = pages.localizer, lang = context.lang, params = request.uri.queryParameters
        let columns: [ListSort.Column] = ["code", "name", "kind"].map { .init(key: $0, sql: $0) }
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: columns,
                            default: ("code", false))
        let sorted = sort.sorted(list, value: { tenant, key -> SortValue? in
            switch key {
            case "name": return .text(tenant.nameKana ?? tenant.name)
            case "kind": return .text(tenant.kind)
            default: return .text(tenant.id)
            }
        }, id: \.id)
        let paging = ListPaging(asked: params.get("page"), size: 50, total: sorted.count)
        let headers = [("code", "tenant_code"), ("name", "tenant_name"), ("kind", "tenant_kind")].map { key, label in
            sort.header(columns.first { $0.key == key }, label: l.t(label, lang), path: "/tenants", query: [],
                        l: l, lang: lang)
        }
        let page = TenantsPage(
            rows: paging.slice(sorted).map {
                TenantRow(id: $0.id, name: TenantLabels.name($0, lang), kind: l.t("tenant_kind_\($0.kind)", lang),
                          href: "/t/\($0.id)/directory")
            },
            count: list.count, headers: headers,
            pager: paging.view(path: "/tenants", query: sort.query, l: l, lang: lang))
        return try pages.render("tenants", title: l.t("nav_tenants", lang), page, request: request, context: context)
    }

    @Sendable func tree(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let scope = try principal.scope(try context.parameters.require("tenant"))
        let at = try Self.date(request)
        let repository = self.repository
        let (tenant, units) = try await database.read { sql in
            (try await repository.tenant(scope.tenantId, on: sql), try await repository.units(in: scope, on: sql))
        }
        guard let tenant else { throw AppError.notFound }
        let l = pages.localizer, lang = context.lang
        let tree = OrgTree(units: units, on: at)
        let nodes = tree.roots.map { NodeView($0, tenant: tenant.id, at: at.iso, lang: lang, localizer: l) }
        let page = TreePage(tenantName: TenantLabels.name(tenant, lang), at: at.iso, atLabel: Self.label(at, lang), nodes: nodes,
                            isEmpty: nodes.isEmpty, canAdmin: principal.has(.tenantAdmin, in: tenant.id),
                            newUnitHref: "/t/\(tenant.id)/admin/units/new",
                            singleSignOnHref: "/t/\(tenant.id)/admin/identity-provider")
        return try pages.render("directory", title: l.t("nav_directory", lang), page, request: request, context: context)
    }

    @Sendable func unit(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let scope = try principal.scope(try context.parameters.require("tenant"))
        let id = try context.parameters.require("id")
        let at = try Self.date(request)
        let repository = self.repository
        let (units, members) = try await database.read { sql in
            (try await repository.units(in: scope, on: sql), try await repository.members(of: id, on: at, in: scope, on: sql))
        }
        guard let unit = units.first(where: { $0.id == id }) else { throw AppError.notFound }
        let lang = context.lang, l = pages.localizer
        let base = "/t/\(scope.tenantId)"
        let parent = unit.parentId.flatMap { pid in units.first { $0.id == pid } }
        let children = units.filter { $0.parentId == unit.id && $0.isValid(on: at) }
            .sorted { ($0.sortOrder, $0.name) < ($1.sortOrder, $1.name) }
            .map { LinkRow(label: $0.name, href: "\(base)/units/\($0.id)?at=\(at.iso)") }
        let page = UnitPage(
            name: unit.name, nameEn: unit.nameEn ?? "", kind: l.t("unit_kind_\(unit.kind)", lang), code: unit.code ?? "—",
            validFrom: DateText.day(iso: unit.validFrom, lang), validTo: unit.validTo.map { DateText.day(iso: $0,
                lang) } ?? "—",
            parentName: parent?.name, parentHref: parent.map { "\(base)/units/\($0.id)?at=\(at.iso)" },
            children: children, hasChildren: !children.isEmpty,
            members: members.map { MemberRow(name: $0.0.displayName, kana: $0.0.nameKana ?? "", title: $0.1.title ?? "",
                                             href: "\(base)/people/\($0.0.id)") },
            hasMembers: !members.isEmpty, at: at.iso, atLabel: Self.label(at, lang))
        return try pages.render("unit", title: unit.name, page, request: request, context: context)
    }

    @Sendable func people(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let scope = try principal.scope(try context.parameters.require("tenant"))
        let params = request.uri.queryParameters
        let q = QueryInput.searchText(params.get("q"))
        let filter = DirectoryRepository.PeopleFilter(text: q, withoutRole: params.get("role") == "none")
        let sort = ListSort(sort: params.get("sort"), dir: params.get("dir"), columns: PeoplePage.columns, default: ("kana", false))
        let order = sort.chosen ? sort.orderBy(PeoplePage.columns, tieBreak: "name_kana, display_name, id") : nil
        let today = TokyoDate.today()
        let repository = self.repository, askedPage = params.get("page")
        let (shown, paging, units) = try await database.read { sql in
            let paging = ListPaging(asked: askedPage, size: 50, total: try await repository.countPeople(in: scope, filter, on: sql))
            let list = try await repository.people(in: scope, filter, order: order, limit: paging.size, offset: paging.offset,
                                                   on: sql)
            let units = try await repository.currentUnits(of: list.map(\.id), on: today, in: scope, on: sql)
            return (list, paging, units)
        }
        let base = "/t/\(scope.tenantId)"
        let l = pages.localizer, lang = context.lang
        let query = [("q", q), ("role", filter.withoutRole ? "none" : "")].filter { !$0.1.isEmpty }
        let page = PeoplePage(
            q: q, withoutRole: filter.withoutRole,
            rows: shown.map {
                PersonRow(name: $0.displayName, kana: $0.nameKana ?? "", login: $0.login, unit: units[$0.id]?.name ?? "—",
                          active: $0.active, href: "\(base)/people/\($0.id)")
            },
            hasRows: !shown.isEmpty,
            headers: PeoplePage.headers.map { key, label in
                sort.header(PeoplePage.columns.first { $0.key == key }, label: l.t(label, lang), path: "\(base)/people",
                            query: query, l: l, lang: lang)
            },
            pager: paging.view(path: "\(base)/people", query: query + sort.query, l: l, lang: lang),
            canAdmin: principal.has(.tenantAdmin, in: scope.tenantId), newHref: "\(base)/admin/people/new")
        return try pages.render("people", title: pages.t("nav_people", context), page, request: request, context: context)
    }

    @Sendable func person(_ request: Request, context: SignedInContext) async throws -> Response {
        try await renderPerson(request, context: context, errors: [])
    }

    /// Also used by the admin routes to re-show the page with a role form's errors.
    func renderPerson(_ request: Request, context: SignedInContext, errors: [String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = context.principal
        let scope = try principal.scope(try context.parameters.require("tenant"))
        let id = try context.parameters.require("id")
        let repository = self.repository
        let found = try await database.read { sql -> (Person, [MembershipView], [RoleGrant], [OrgUnit])? in
            guard let person = try await repository.person(id, in: scope, on: sql) else { return nil }
            return (person, try await repository.memberships(of: id, in: scope, on: sql), try await repository.grants(of: id, in: scope, on: sql),
                    try await repository.units(in: scope, on: sql))
        }
        guard let (person, history, grants, units) = found else { throw AppError.notFound }
        let l = pages.localizer, lang = context.lang
        let base = "/t/\(scope.tenantId)"
        let today = TokyoDate.today().iso
        let page = PersonPage(
            id: person.id, name: person.displayName, kana: person.nameKana ?? "", login: person.login, email: person.email ?? "—",
            active: person.active,
            memberships: history.map { MembershipRow(unit: OrgTree.path(of: $0.orgUnitId, in: units) ?? $0.orgUnitName, unitHref: "\(base)/units/\($0.orgUnitId)?at=\($0.validFrom)",
                                                     title: $0.title ?? "", from: DateText.day(iso: $0.validFrom, lang),
                                                     to: $0.validTo.map { DateText.day(iso: $0, lang) } ?? "",
                                                     current: $0.validFrom <= today && ($0.validTo ?? "9999") >= today) },
            roles: grants.map {
                RoleRow(id: $0.id, label: RoleLabels.label($0, l, lang), grantedAt: DateText.day(at: $0.grantedAt,
                    lang))
            },
            hasRoles: !grants.isEmpty,
            canAdmin: principal.has(.tenantAdmin, in: scope.tenantId),
            base: "\(base)/people/\(person.id)",
            roleOptions: Role.allCases.filter { $0 != .systemAdmin || principal.isSystemAdmin }
                .map { Option(value: $0.rawValue, label: l.t("role_\($0.rawValue)", lang), selected: false) },
            teamOptions: SpecialistTeam.allCases.map { Option(value: $0.rawValue, label: l.t("team_\($0.rawValue)", lang), selected: false) },
            errors: errors, hasErrors: !errors.isEmpty)
        return try pages.render("person", title: person.displayName, page, request: request, context: context, status: status)
    }

    /// `?at=YYYY-MM-DD`, default today in Tokyo; a bad date is a clear 400, not a silent default.
    static func date(_ request: Request) throws -> LocalDate {
        guard let text = request.uri.queryParameters.get("at"), !text.isEmpty else { return TokyoDate.today() }
        guard let date = LocalDate(iso: text) else { throw AppError.malformed("at") }
        return date
    }

    static func label(_ date: LocalDate, _ lang: Lang) -> String {
        DateText.day(date, lang)
    }
}
