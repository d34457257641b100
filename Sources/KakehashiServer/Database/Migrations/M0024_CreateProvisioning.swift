import SQLKit

/// SCIM provisioning: each tenant's bearer tokens (stored as SHA-256), and on each person the
/// identity provider's key, the attributes it last sent, and when it deleted them.
enum M0024_CreateProvisioning {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "scim_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("name", type: .text, .notNull)
            .column("token_hash", type: .text, .notNull, .unique)
            .column("created_at", type: .text, .notNull)
            .column("revoked_at", type: .text)
            .run()
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await sql.alter(table: "people").column("external_id", type: .text).run()
        try await sql.alter(table: "people").column("scim_document", type: .text).run()
        try await sql.alter(table: "people").column("deleted_at", type: .text).run()
        try await sql.create(index: "people_external_id").on("people").column("tenant_id").column("external_id").run()
    }
}
