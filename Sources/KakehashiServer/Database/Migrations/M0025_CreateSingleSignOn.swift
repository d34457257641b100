import SQLKit

/// Single sign-on (OpenID Connect): one identity provider per tenant with the e-mail domains that
/// lead to it, accounts bound to the provider's (iss, sub), group → role mappings, and the sign-ins
/// under way (their state, nonce and PKCE verifier kept on the server, not in a cookie).
enum M0025_CreateSingleSignOn {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "identity_providers")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .unique, .references("tenants", "id"))
            .column("issuer", type: .text, .notNull)
            .column("client_id", type: .text, .notNull)
            .column("client_secret", type: .text, .notNull)
            .column("groups_claim", type: .text)
            .column("link_by_email", type: .boolean, .notNull)
            .column("create_accounts", type: .boolean, .notNull)
            .column("passwords_allowed", type: .boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await sql.create(table: "identity_provider_domains")
            .column("domain", type: .text, .primaryKey(autoIncrement: false))
            .column("provider_id", type: .text, .notNull, .references("identity_providers", "id"))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .run()
        try await sql.create(table: "identity_links")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("issuer", type: .text, .notNull)
            .column("subject", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("last_used_at", type: .text)
            .run()
        try await sql.create(index: "identity_links_subject").unique().on("identity_links")
            .column("issuer").column("subject").run()
        try await sql.create(index: "identity_links_person").on("identity_links").column("person_id").run()
        try await sql.create(table: "group_role_mappings")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("provider_id", type: .text, .notNull, .references("identity_providers", "id"))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("group_name", type: .text, .notNull)
            .column("role", type: .text, .notNull)
            .column("team", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "group_role_mappings_unique").unique().on("group_role_mappings")
            .column("provider_id").column("group_name").column("role").column("team").run()
        try await sql.create(table: "sso_logins")
            .column("state_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("provider_id", type: .text, .notNull, .references("identity_providers", "id"))
            .column("binding_hash", type: .text, .notNull)
            .column("nonce", type: .text, .notNull)
            .column("code_verifier", type: .text, .notNull)
            .column("next_path", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .run()
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        // A role the provider's groups gave ('idp'), which the next sign-in may take away again.
        try await sql.alter(table: "role_grants").column("source", type: .text).run()
        // A local administrator kept for when the provider is down (break-glass), since when.
        try await sql.alter(table: "people").column("break_glass_since", type: .text).run()
        // A session begun at the provider ends there too (RP-initiated logout).
        try await sql.alter(table: "sessions").column("provider_id", type: .text).run()
        try await sql.alter(table: "sessions").column("id_token", type: .text).run()
    }
}
