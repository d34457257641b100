import Foundation
import KakehashiCore
import SQLKit

/// Plan scenarios: made from the catalog with the given settings, compared, and one approved per
/// tenant. A scenario based on another keeps that plan's fixed waves and moves as little as it can.
struct WavePlanService: Sendable {
    let database: AppDatabase
    let repository = WavePlanRepository()

    /// The catalog of one tenant as the builder needs it.
    static func catalog(tenant: String, on sql: any SQLDatabase) async throws -> WavePlanBuilder.Catalog {
        let portfolio = PortfolioRepository()
        let systems = try await portfolio.list(.init(tenantId: tenant), tenants: [tenant], limit: WavePlanInput.limits.systems, on: sql)
        let ids = systems.map(\.id)
        let interfaces = ids.isEmpty ? [] : try await portfolio.interfaces(among: ids, on: sql)
        let (_, contracts) = try await portfolio.componentsAndContracts(of: ids, on: sql)
        let reviews = try await AssessmentRepository().latest(tenants: [tenant], on: sql).reviews
        return .init(systems: systems, interfaces: interfaces, reviews: reviews,
                     contractEnds: contracts.compactMapValues { $0.compactMap { LocalDate(iso: $0.endsOn) }.max() },
                     bureauOf: try await PortfolioReads.bureaus(of: tenant, on: sql))
    }

    func create(tenant: String, name: String, settings: WavePlanSettings, basedOn: String?, principal: Principal) async throws -> WavePlanRecord {
        let access = PortfolioAccess(principal: principal)
        guard access.mayEdit(tenant) else { throw AppError.forbidden }
        let repository = self.repository
        let (catalog, previous) = try await database.read { sql -> (WavePlanBuilder.Catalog, [String: Int]?) in
            var previous: [String: Int]?
            if let basedOn {
                guard let base = try await repository.find(basedOn, tenants: [tenant], on: sql) else {
                    throw AppError.invalid([FieldError(field: "based_on", code: "invalid_choice")])
                }
                previous = (try? JSONDecoder().decode(WavePlanResult.self, from: Data(base.result.utf8)))?.assignment
            }
            return (try await Self.catalog(tenant: tenant, on: sql), previous)
        }
        let (input, notes) = WavePlanBuilder.build(catalog, settings: settings, previous: previous)
        guard !input.systems.isEmpty else { throw AppError.invalid([FieldError(field: "form", code: "nothing_to_plan")]) }
        let result = try await WavePlanRunner.plan(input, seconds: settings.seconds)
        let plan = WavePlanRecord(
            id: UUIDs.make(), tenantId: tenant, name: name, status: WavePlanStatus.draft.rawValue, basedOn: basedOn,
            settings: AssessmentService.json(settings), input: AssessmentService.json(input), result: AssessmentService.json(result), notes: AssessmentService.json(notes),
            objective: result.objective, feasible: result.feasible, createdBy: principal.id, createdAt: Timestamp.now(),
            approvedBy: nil, approvedAt: nil)
        try await database.transaction { sql in
            try await repository.insert(plan, on: sql)
            try await AuditLog.record("wave_plan.created", tenantId: tenant, actor: .init(principal), targetType: "wave_plan", targetId: plan.id,
                                      after: ["name": name, "objective": String(result.objective), "feasible": String(result.feasible)], on: sql)
        }
        return plan
    }

    /// Makes the plan the tenant's approved one; the one approved before is superseded. A plan that
    /// breaks a constraint cannot be approved.
    func approve(_ id: String, principal: Principal) async throws -> WavePlanRecord {
        let access = PortfolioAccess(principal: principal)
        let repository = self.repository
        return try await database.transaction { sql in
            guard let plan = try await repository.find(id, tenants: access.readableTenantIds, on: sql) else { throw AppError.notFound }
            guard access.mayEdit(plan.tenantId) else { throw AppError.forbidden }
            guard plan.status != WavePlanStatus.approved.rawValue else { return plan }
            guard plan.feasible else { throw PortfolioError.planInfeasible.error }
            // Four eyes: whoever made a plan does not approve it.
            guard plan.createdBy != principal.id else { throw PortfolioError.ownPlan.error }
            let now = Timestamp.now()
            if let current = try await repository.approved(tenant: plan.tenantId, on: sql) {
                try await repository.setStatus(current.id, .superseded, by: nil, at: nil, on: sql)
            }
            try await repository.setStatus(plan.id, .approved, by: principal.id, at: now, on: sql)
            try await AuditLog.record("wave_plan.approved", tenantId: plan.tenantId, actor: .init(principal), targetType: "wave_plan",
                                      targetId: plan.id, before: ["status": plan.status], after: ["status": WavePlanStatus.approved.rawValue], on: sql)
            var approved = plan
            approved.status = WavePlanStatus.approved.rawValue
            approved.approvedBy = principal.id
            approved.approvedAt = now
            return approved
        }
    }
}
