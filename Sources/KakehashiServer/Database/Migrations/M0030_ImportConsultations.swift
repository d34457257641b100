import SQLKit

/// Consultations brought in from the desk's earlier records keep the source's own key, so that
/// importing the same ledger again updates them instead of adding them twice; and each tenant's
/// column mapping per source is kept for the next import.
enum M0030_ImportConsultations {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.alter(table: "consultations").column("external_source", type: .text).run()
        try await sql.alter(table: "consultations").column("external_key", type: .text).run()
        try await sql.raw(
            """
            CREATE UNIQUE INDEX consultations_external ON consultations (external_source, external_key)
            WHERE external_key IS NOT NULL
            """
        ).run()
        try await sql.create(table: "consultation_import_mappings")
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("source", type: .text, .notNull)
            .column("mapping", type: .text, .notNull)
            .column("updated_by", type: .text, .notNull, .references("people", "id"))
            .column("updated_at", type: .text, .notNull)
            .primaryKey("tenant_id", "source", named: "consultation_import_mappings_pk")
            .run()
    }
}
