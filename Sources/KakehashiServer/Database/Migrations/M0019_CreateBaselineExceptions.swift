import SQLKit

/// Exceptions to the security baseline (例外承認) requested for a system, decided by someone else,
/// applied to its runs until they expire.
enum M0019_CreateBaselineExceptions {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "baseline_exceptions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("system_id", type: .text, .notNull, .references("systems", "id"))
            .column("control", type: .text, .notNull)
            .column("resources", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("compensating", type: .text, .notNull)
            .column("expires", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("requested_by", type: .text, .notNull, .references("people", "id"))
            .column("requested_at", type: .text, .notNull)
            .column("decided_by", type: .text, .references("people", "id"))
            .column("decided_at", type: .text)
            .run()
        try await sql.create(index: "baseline_exceptions_system").on("baseline_exceptions").column("system_id").run()
    }
}
