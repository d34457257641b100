import SQLKit

/// SQL of wave plan scenarios. Reads take the tenants the caller may read.
struct WavePlanRepository: Sendable {
    /// Newest first, without the bulky input and result.
    func list(tenants: TenantReach, limit: Int = 200, on sql: any SQLDatabase) async throws -> [WavePlanRecord] {
        let query = sql.select().column("*").from("wave_plans")
        query.within(tenants)
        return try await query.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit)
            .all(decoding: WavePlanRecord.self, with: .snake)
    }

    func find(_ id: String, tenants: TenantReach, on sql: any SQLDatabase) async throws -> WavePlanRecord? {
        let query = sql.select().column("*").from("wave_plans").where("id", .equal, id)
        query.within(tenants)
        return try await query.first(decoding: WavePlanRecord.self, with: .snake)
    }

    func approved(tenant: String, on sql: any SQLDatabase) async throws -> WavePlanRecord? {
        try await sql.select().column("*").from("wave_plans").where("tenant_id", .equal, tenant)
            .where("status", .equal, WavePlanStatus.approved.rawValue).first(decoding: WavePlanRecord.self, with: .snake)
    }

    func insert(_ plan: WavePlanRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "wave_plans").model(plan, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func setStatus(_ id: String, _ status: WavePlanStatus, by person: String?, at time: String?, on sql: any SQLDatabase) async throws {
        let update = sql.update("wave_plans").set("status", to: status.rawValue).where("id", .equal, id)
        if status == .approved { update.set("approved_by", to: person).set("approved_at", to: time) }
        try await update.run()
    }
}
