import SQLKit

enum M0002_CreatePeople {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "people")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("login", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("name_kana", type: .text)
            .column("email", type: .text)
            .column("password_hash", type: .text)
            .column("locale", type: .text, .notNull)
            .column("active", type: .boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "people_tenant").on("people").column("tenant_id").column("display_name").run()

        // 人事異動: a transfer ends one membership and starts another; history is kept.
        try await sql.create(table: "memberships")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("org_unit_id", type: .text, .notNull, .references("org_units", "id"))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("title", type: .text)
            .column("valid_from", type: .text, .notNull)
            .column("valid_to", type: .text)
            .column("is_primary", type: .boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "memberships_person").on("memberships").column("person_id").column("valid_from").run()
        try await sql.create(index: "memberships_unit").on("memberships").column("org_unit_id").run()

        // `team` is '' rather than NULL for roles without a team, so the unique key holds on both engines.
        try await sql.create(table: "role_grants")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("role", type: .text, .notNull)
            .column("team", type: .text, .notNull)
            .column("granted_at", type: .text, .notNull)
            .column("granted_by", type: .text)
            .unique("person_id", "tenant_id", "role", "team", named: "role_grants_unique")
            .run()
        try await sql.create(index: "role_grants_tenant").on("role_grants").column("tenant_id").column("role").run()
    }
}
