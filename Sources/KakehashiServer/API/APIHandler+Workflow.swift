import Foundation
import KakehashiAPI
import KakehashiCore

/// The smaller steps of the desk, the platform and the catalog that the pages take one by one:
/// the same services, so the same people may take them.
extension APIHandler {
    func updatePerson(_ input: Operations.UpdatePerson.Input) async throws -> Operations.UpdatePerson.Output {
        let principal = try caller()
        let scope = try principal.scope(input.path.tenantId, requiring: [.tenantAdmin])
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let id = input.path.personId
        let directory = self.directory
        // Absent fields keep their value.
        guard let current = try await database.read({ sql in try await directory.person(id, in: scope, on: sql) })
        else {
            throw AppError.notFound
        }
        let edit = PersonEdit(
            displayName: b.displayName ?? current.displayName, nameKana: b.nameKana ?? current.nameKana,
            email: b.email ?? current.email, active: b.active ?? current.active)
        let updated = try await service.updatePerson(id, edit, scope: scope, by: principal)
        let view = try await database.read { sql in try await personView(updated.person, scope: scope, on: sql) }
        return .ok(.init(body: .json(view)))
    }

    func removeEngagementMember(
        _ input: Operations.RemoveEngagementMember.Input
    ) async throws -> Operations.RemoveEngagementMember.Output {
        let access = try await deskAccess()
        try await desk.engagements.removeMember(
            input.path.engagementId, memberId: input.path.memberId, access: access,
            actor: .init(access.principal))
        return .noContent(.init())
    }

    func setChecklistItem(_ input: Operations.SetChecklistItem.Input) async throws -> Operations.SetChecklistItem.Output
    {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        try await desk.engagements.setChecklistItem(
            input.path.engagementId, itemId: input.path.itemId, done: b.done, access: access,
            actor: .init(access.principal))
        return .noContent(.init())
    }

    func rateEngagement(_ input: Operations.RateEngagement.Input) async throws -> Operations.RateEngagement.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let id = input.path.engagementId
        _ = try await desk.engagements.rate(
            id, satisfaction: String(b.satisfaction), comment: b.comment, access: access,
            actor: .init(access.principal))
        return .ok(.init(body: .json(try await engagementView(id, access: access))))
    }

    func markProcurementCheck(
        _ input: Operations.MarkProcurementCheck.Input
    ) async throws -> Operations.MarkProcurementCheck.Output {
        let access = try await deskAccess()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        try await desk.procurement.mark(
            input.path.checkId, action: b.action.rawValue, access: access, actor: .init(access.principal))
        return .ok(.init(body: .json(try Self.convert(try await checkView(input.path.checkId, access: access)))))
    }

    func recordBreakGlassUse(
        _ input: Operations.RecordBreakGlassUse.Input
    ) async throws -> Operations.RecordBreakGlassUse.Output {
        let principal = try caller()
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        do {
            try await platform.grants.recordUse(
                input.path.grantId, usedOn: b.usedOn, reason: b.reason, principal: principal)
        } catch AppError.invalid(let errors) {
            // The form's field is `useReason`; the operation's is `reason`.
            throw AppError.invalid(
                errors.map { $0.field == "useReason" ? FieldError(field: "reason", code: $0.code, args: $0.args) : $0 })
        }
        return .noContent(.init())
    }

    func reviewBreakGlassUse(
        _ input: Operations.ReviewBreakGlassUse.Input
    ) async throws -> Operations.ReviewBreakGlassUse.Output {
        try await platform.grants.reviewUse(input.path.useId, principal: try caller())
        return .noContent(.init())
    }

    func closeAccessReview(
        _ input: Operations.CloseAccessReview.Input
    ) async throws -> Operations.CloseAccessReview.Output {
        let principal = try caller()
        try await platform.reviews.close(input.path.reviewId, principal: principal)
        return .ok(
            .init(body: .json(try Self.convert(try await reviewView(input.path.reviewId, principal: principal)))))
    }

    func approveWavePlan(_ input: Operations.ApproveWavePlan.Input) async throws -> Operations.ApproveWavePlan.Output {
        _ = try await WavePlanService(database: database).approve(input.path.planId, principal: try caller())
        guard case .ok(let ok) = try await getWavePlan(.init(path: .init(planId: input.path.planId))) else {
            throw AppError.notFound
        }
        return .ok(.init(body: .json(try ok.body.json)))
    }

    func getCostAssumptions(
        _ input: Operations.GetCostAssumptions.Input
    ) async throws -> Operations.GetCostAssumptions.Output {
        let access = PortfolioAccess(principal: try caller())
        let tenant = input.path.tenantId
        guard access.readableTenantIds.contains(tenant) else { throw AppError.notFound }
        let saved = try await database.read { sql in
            try await CostAssumptionStore().saved(tenants: [tenant], on: sql)[tenant]
        }
        return .ok(.init(body: .json(Self.costBody(saved ?? CostAssumptions()))))
    }

    func setCostAssumptions(
        _ input: Operations.SetCostAssumptions.Input
    ) async throws -> Operations.SetCostAssumptions.Output {
        let principal = try caller()
        let access = PortfolioAccess(principal: principal)
        let tenant = input.path.tenantId
        guard access.readableTenantIds.contains(tenant) else { throw AppError.notFound }
        guard access.mayEdit(tenant) else { throw AppError.forbidden }
        guard case .json(let b) = input.body else { throw AppError.malformed("body") }
        let values = b.additionalProperties
        if let unknown = values.keys.sorted().first(where: { !CostAssumptionsForm.names.contains($0) }) {
            throw AppError.invalid([FieldError(field: unknown, code: "invalid_choice")])
        }
        let a = try CostAssumptionsForm.parse { values[$0] }
        try await database.transaction { sql in
            try await CostAssumptionStore().save(a, tenant: tenant, actor: principal, on: sql)
        }
        return .ok(.init(body: .json(Self.costBody(a))))
    }

    private static func costBody(_ a: CostAssumptions) -> Components.Schemas.CostAssumptions {
        .init(
            additionalProperties: Dictionary(
                uniqueKeysWithValues: CostAssumptionsForm.names.compactMap { name in a[name].map { (name, $0) } }))
    }
}
