import Foundation
import Hummingbird
import KakehashiCore
import SQLKit

/// 移行ウェーブ計画: scenarios made from the catalog, one plan's timeline, two plans compared, and
/// the approval that makes one the tenant's plan.
struct WavePlanRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let service: WavePlanService

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio/waves", use: list)
        router.get("/portfolio/waves/new", use: newForm)
        router.post("/portfolio/waves", use: create)
        router.get("/portfolio/waves/compare", use: compare)
        router.get("/portfolio/waves/{id}", use: show)
        router.post("/portfolio/waves/{id}/approve", use: approve)
    }


    private func names(tenant: String, plans: [WavePlanView], on sql: any SQLDatabase, context: SignedInContext) async throws -> WavePlanNames {
        let systems = try await PortfolioRepository().list(.init(tenantId: tenant), tenants: [tenant], limit: WavePlanInput.limits.systems, on: sql)
        let bureaus = try await PortfolioReads.bureaus(of: tenant, on: sql)
        let people = try await DirectoryRepository().people(ids: Set(plans.flatMap { [$0.record.createdBy, $0.record.approvedBy].compactMap { $0 } }), on: sql)
        return WavePlanNames(systems: Dictionary(uniqueKeysWithValues: systems.map { ($0.id, $0) }),
                             bureaus: Dictionary(bureaus.values.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                             people: people, l: pages.localizer, lang: context.lang)
    }

    @Sendable func list(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        let readable = access.readableTenantIds
        let asked = access.chosenTenant(request.uri.queryParameters.get("tenant"))
        let repository = service.repository
        let (records, tenants, people) = try await database.read { sql in
            let records = try await repository.list(tenants: asked.map { .only([$0]) } ?? readable, on: sql)
            let tenants = try await access.readableTenants(on: sql)
            return (records, tenants, try await DirectoryRepository().people(ids: Set(records.map(\.createdBy)), on: sql))
        }
        let page = WavePlanListPage.build(records.compactMap(WavePlanView.init), tenantNames: Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) }),
                                          selectedTenant: asked, people: people, canCreate: access.editsAny,
                                          sort: ListSort(sort: request.uri.queryParameters.get("sort"),
                                                         dir: request.uri.queryParameters.get("dir"),
                                                         columns: WavePlanListPage.columns, default: ("created", true)),
                                          page: request.uri.queryParameters.get("page"),
                                          l: pages.localizer, lang: context.lang)
        return try pages.render("wave-plans", title: pages.t("plans_title", context), page, request: request, context: context)
    }

    private func form(_ access: PortfolioAccess, tenant: String?, basedOn: String?, context: SignedInContext,
                      tenants given: [(id: String, name: String)]? = nil) async throws -> FormPage {
        let tenants: [(id: String, name: String)]
        if let given { tenants = given } else { tenants = try await database.read { sql in try await access.editableTenants(on: sql) } }
        guard !tenants.isEmpty else { throw AppError.forbidden }
        var base: WavePlanView?
        if let basedOn {
            let repository = service.repository
            let record = try await database.read { sql in try await repository.find(basedOn, tenants: .only(tenants.map(\.id)), on: sql) }
            guard let record, let view = WavePlanView(record) else { throw AppError.notFound }
            base = view
        }
        return WavePlanForm.page(tenants: tenants, selected: tenant, base: base, l: pages.localizer, lang: context.lang)
    }

    @Sendable func newForm(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let params = request.uri.queryParameters
        let page = try await form(access, tenant: params.get("tenant"), basedOn: params.get("based_on"), context: context)
        return try pages.render("form", title: page.heading, page, request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        let f = context.form ?? FormData("")
        let editable = try await database.read { sql in try await access.editableTenants(on: sql) }
        let page = try await form(access, tenant: f.optional("tenant"), basedOn: f.optional("based_on"), context: context, tenants: editable)
        let tenants = editable.map(\.id)
        return try await pages.submitting(page, request: request, context: context) {
            let parsed = try WavePlanForm.parse(f, tenants: tenants)
            let plan = try await service.create(tenant: parsed.tenant, name: parsed.name, settings: parsed.settings, basedOn: parsed.basedOn, principal: principal)
            return "/portfolio/waves/\(plan.id)?done=plan_created"
        }
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let id = try context.parameters.require("id")
        let repository = service.repository
        let found = try await database.read { sql -> (WavePlanView, WavePlanNames, [String: Int]?, WavePlanRecord?)? in
            guard let record = try await repository.find(id, tenants: access.readableTenantIds, on: sql), let view = WavePlanView(record) else { return nil }
            let base = try await record.basedOn.asyncMap { try await repository.find($0, tenants: [record.tenantId], on: sql) }.flatMap { $0 }.flatMap(WavePlanView.init)
            let approved = try await repository.approved(tenant: record.tenantId, on: sql)
            return (view, try await names(tenant: record.tenantId, plans: [view], on: sql, context: context), base?.result.assignment, approved)
        }
        guard let (view, names, previous, approved) = found else { throw AppError.notFound }
        let notes = (try? JSONDecoder().decode(WavePlanBuilder.Notes.self, from: Data(view.record.notes.utf8))) ?? .init()
        let page = WavePlanPage.build(view, names: names, previous: previous, notes: notes, approved: approved,
                                      canEdit: access.mayEdit(view.record.tenantId), viewer: context.principal.id)
        return try pages.render("wave-plan", title: page.title, page, request: request, context: context)
    }

    @Sendable func compare(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        let params = request.uri.queryParameters
        guard let a = params.get("a"), let b = params.get("b") else { throw AppError.malformed("a and b name the plans to compare") }
        let repository = service.repository
        let found = try await database.read { sql -> (WavePlanView, WavePlanView, WavePlanNames)? in
            guard let ra = try await repository.find(a, tenants: access.readableTenantIds, on: sql), let va = WavePlanView(ra),
                  let rb = try await repository.find(b, tenants: [ra.tenantId], on: sql), let vb = WavePlanView(rb) else { return nil }
            return (va, vb, try await names(tenant: ra.tenantId, plans: [va, vb], on: sql, context: context))
        }
        guard let (va, vb, names) = found else { throw AppError.notFound }
        let page = WavePlanComparePage.build(va, vb, names: names)
        return try pages.render("wave-compare", title: pages.t("compare_title", context), page, request: request, context: context)
    }

    @Sendable func approve(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let id = try context.parameters.require("id")
        _ = try await service.approve(id, principal: principal)
        return Response(status: .seeOther, headers: [.location: "/portfolio/waves/\(id)?done=plan_approved"])
    }
}
