import SQLKit

/// Each tenant's own cost assumptions (prices, staff, licences, cloud run costs): the defaults its
/// systems' cost comparisons start from.
enum M0017_CreateCostAssumptions {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "cost_assumptions")
            .column("tenant_id", type: .text, .primaryKey(autoIncrement: false), .references("tenants", "id"))
            .column("assumptions", type: .text, .notNull)
            .column("updated_by", type: .text, .notNull, .references("people", "id"))
            .column("updated_at", type: .text, .notNull)
            .run()
    }
}
