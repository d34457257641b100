import Foundation
import KakehashiCore
import SQLKit

/// The cost assumptions each tenant saved; a tenant without any uses the product's defaults.
struct CostAssumptionStore: Sendable {
    private struct Row: Decodable {
        let tenantId: String
        let assumptions: String
    }

    func saved(tenants: some Collection<String>, on sql: any SQLDatabase) async throws -> [String: CostAssumptions] {
        guard !tenants.isEmpty else { return [:] }
        let rows = try await sql.select().column("tenant_id").column("assumptions").from("cost_assumptions")
            .where("tenant_id", .in, Array(tenants)).all(decoding: Row.self, with: .snake)
        var found: [String: CostAssumptions] = [:]
        for row in rows {
            if let a = try? JSONDecoder().decode(CostAssumptions.self, from: Data(row.assumptions.utf8)) { found[row.tenantId] = a }
        }
        return found
    }

    /// Replaces the tenant's assumptions, with the change in the audit trail.
    func save(_ a: CostAssumptions, tenant: String, actor: Principal, on sql: any SQLDatabase) async throws {
        let before = try await saved(tenants: [tenant], on: sql)[tenant]
        try await sql.delete(from: "cost_assumptions").where("tenant_id", .equal, tenant).run()
        try await sql.insert(into: "cost_assumptions").columns("tenant_id", "assumptions", "updated_by", "updated_at")
            .values(SQLBind(tenant), SQLBind(AssessmentService.json(a)), SQLBind(actor.id), SQLBind(Timestamp.now())).run()
        try await AuditLog.record("cost_assumptions.saved", tenantId: tenant, actor: .init(actor), targetType: "tenant", targetId: tenant,
                                  before: before, after: a, on: sql)
    }
}
