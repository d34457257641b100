import Foundation
import Hummingbird
import KakehashiCore

/// 移行費用の比較 across the catalog, and saving a tenant's own cost assumptions.
struct CostRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let repository = PortfolioRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio/costs", use: costs)
        router.post("/portfolio/costs/assumptions", use: save)
    }

    /// Staying against the cheapest allowed cloud for every readable system, summed per bureau of
    /// 東京都 and per municipality: each tenant's own assumptions, with the query string's changes laid over them.
    @Sendable func costs(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        let readable = access.readableTenantIds
        let own = access.principal.person.tenantId
        let repository = self.repository
        let (systems, components, contracts, tenantNames, saved, bureauOf) = try await database.read { sql in
            let systems = try await repository.list(.init(), tenants: readable, limit: 20_000, on: sql)
            let (components, contracts) = try await repository.componentsAndContracts(of: systems.map(\.id), on: sql)
            let tenantIds = Set(systems.map(\.tenantId)).union([own])
            let tenants = try await DirectoryRepository().tenants(tenantIds.sorted(), on: sql)
            // 東京都's systems by bureau (the top unit above the owner), a municipality's as one.
            let bureauOf = systems.contains(where: { $0.tenantId == DeskAccess.deskTenantId })
                ? try await PortfolioReads.bureaus(of: DeskAccess.deskTenantId, on: sql).mapValues(\.name) : [:]
            return (systems, components, contracts, Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) }),
                    try await CostAssumptionStore().saved(tenants: tenantIds, on: sql), bureauOf)
        }
        var form = CostAssumptionsForm.read({ request.uri.queryParameters.get($0) }, base: saved[own] ?? CostAssumptions(), l: pages.localizer, lang: context.lang)
        if access.mayEdit(own) {
            form.offerSave(tenant: own, tenantName: tenantNames[own] ?? own, back: "/portfolio/costs", l: pages.localizer, lang: context.lang)
        }
        var sums: [String: PortfolioCostPage.Sum] = [:]
        var order: [String] = []
        let today = TokyoDate.today()
        for s in systems {
            let a = form.applied(to: saved[s.tenantId] ?? CostAssumptions())
            let label = s.tenantId == DeskAccess.deskTenantId ? (tenantNames[s.tenantId] ?? "") + " " + (bureauOf[s.ownerUnitId] ?? "")
                : (tenantNames[s.tenantId] ?? s.tenantId)
            if sums[label] == nil { order.append(label) }
            let servers = CostInputs.servers(components[s.id] ?? [])
            let perYear = CostInputs.contractsPerYear(contracts[s.id] ?? [], today: today)
            let stay = CostModel.onPremises(servers: servers, contractsPerYear: perYear, a).total
            let verdicts = s.cloudVerdicts
            let best = CostInputs.bestCloud(verdicts, servers: servers, contracts: perYear, a)
            sums[label, default: .init()].systems += 1
            sums[label, default: .init()].onPremises += stay
            sums[label, default: .init()].cloud += best?.total ?? stay
            if best == nil { sums[label, default: .init()].noCloud += 1 }
        }
        let page = PortfolioCostPage.build(groups: order.map { ($0, sums[$0]!) }, form: form, l: pages.localizer, lang: context.lang)
        return try pages.render("portfolio-costs", title: pages.t("cost_page_title", context), page, request: request, context: context)
    }

    /// Saves the posted values as the tenant's own assumptions; every value must be in range.
    @Sendable func save(_ request: Request, context: SignedInContext) async throws -> Response {
        let principal = context.principal
        let access = PortfolioAccess(principal: principal)
        let f = context.form ?? FormData("")
        let tenant = f["tenant"]
        guard access.mayEdit(tenant) else { throw AppError.forbidden }
        let a = try CostAssumptionsForm.parse { Int(f[$0].filter { $0 != "," }) }
        let back = f["back"]
        let safeBack = back == "/portfolio/costs" || (back.hasPrefix("/portfolio/systems/") && !back.dropFirst(19).contains { "/?#\\".contains($0) })
            ? back : "/portfolio/costs"
        let chosen = a
        try await database.transaction { sql in try await CostAssumptionStore().save(chosen, tenant: tenant, actor: principal, on: sql) }
        return Response(status: .seeOther, headers: [.location: safeBack + "?done=cost_assumptions_saved"])
    }
}
