import SQLKit

/// Groups a tenant's directory provisions over SCIM, their members, and the groups the identity
/// provider last sent at sign-in: together they decide the roles of the tenant's group table.
enum M0026_CreateSCIMGroups {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "scim_groups")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("display_name", type: .text, .notNull)
            .column("external_id", type: .text)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "scim_groups_name").unique().on("scim_groups")
            .column("tenant_id").column("display_name").run()
        // A member is the provider's reference: a person's id once they are provisioned (a group may
        // name someone the provider has not sent yet; they count from the moment they exist).
        try await sql.create(table: "scim_group_members")
            .column("group_id", type: .text, .notNull, .references("scim_groups", "id"))
            .column("member_id", type: .text, .notNull)
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .run()
        try await sql.create(index: "scim_group_members_unique").unique().on("scim_group_members")
            .column("group_id").column("member_id").run()
        try await sql.create(index: "scim_group_members_member").on("scim_group_members")
            .column("tenant_id").column("member_id").run()
        // A JSON array: the groups of the last sign-in at the provider.
        try await sql.alter(table: "identity_links").column("groups", type: .text).run()
    }
}
