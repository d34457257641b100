import Foundation
import Hummingbird
import KakehashiCore

/// 移行の進捗: counts by bureau and municipality, strategy, risk and wave of the approved plans.
struct ProgressRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        router.get("/portfolio/progress", use: show)
    }

    @Sendable func show(_ request: Request, context: SignedInContext) async throws -> Response {
        let access = PortfolioAccess(principal: context.principal)
        guard access.readsAny else { throw AppError.notFound }
        let readable = access.readableTenantIds
        let asked = access.chosenTenant(request.uri.queryParameters.get("tenant"))
        let scope: TenantReach = asked.map { .only([$0]) } ?? readable
        let (progress, tenantNames) = try await database.read { sql in
            let systems = try await PortfolioRepository().list(.init(tenantId: asked), tenants: readable, limit: WavePlanInput.limits.systems, on: sql)
            let (reviews, recommended) = try await AssessmentRepository().latest(tenants: scope, on: sql)
            let tenants = try await access.readableTenants(on: sql)
            let names = Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.name) })
            var plans: [String: PortfolioProgress.Plan] = [:]
            for tenant in Set(systems.map(\.tenantId)) {
                guard let record = try await WavePlanRepository().approved(tenant: tenant, on: sql), let view = WavePlanView(record) else { continue }
                plans[tenant] = .init(settings: view.settings, assignment: view.result.assignment)
            }
            let bureaus = systems.contains { $0.tenantId == DeskAccess.deskTenantId }
                ? try await PortfolioReads.bureaus(of: DeskAccess.deskTenantId, on: sql) : [:]
            let progress = PortfolioProgress.build(systems, reviews: reviews, recommended: recommended, plans: plans, group: { s in
                s.tenantId == DeskAccess.deskTenantId ? (names[s.tenantId] ?? "") + " " + (bureaus[s.ownerUnitId]?.name ?? "") : (names[s.tenantId] ?? s.tenantId)
            }, today: TokyoDate.today())
            return (progress, names)
        }
        let page = ProgressPage.build(progress, tenantNames: tenantNames, selected: asked, l: pages.localizer, lang: context.lang)
        return try pages.render("portfolio-progress", title: pages.t("progress_title", context), page, request: request, context: context)
    }
}
