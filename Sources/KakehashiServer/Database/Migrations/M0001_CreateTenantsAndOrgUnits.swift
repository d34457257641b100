import SQLKit

enum M0001_CreateTenantsAndOrgUnits {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "tenants")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("name_kana", type: .text)
            .column("name_en", type: .text)
            .column("created_at", type: .text, .notNull)
            .run()

        // Units are never rewritten by a reorganisation: a change closes `valid_to` and opens a new row.
        try await sql.create(table: "org_units")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("parent_id", type: .text, .references("org_units", "id"))
            .column("kind", type: .text, .notNull)
            .column("code", type: .text)
            .column("name", type: .text, .notNull)
            .column("name_en", type: .text)
            .column("valid_from", type: .text, .notNull)
            .column("valid_to", type: .text)
            .column("sort_order", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "org_units_tenant_parent").on("org_units").column("tenant_id").column("parent_id").run()
    }
}
