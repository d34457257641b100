import SQLKit

/// The system catalog (システム台帳): systems with their owner, classification, network zone
/// and hosting; their components, contracts and the interfaces between them (cycles allowed).
/// `source` and `source_date` say where each system's facts came from and when.
enum M0015_CreateSystemCatalog {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "systems")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("code", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("owner_unit_id", type: .text, .notNull, .references("org_units", "id"))
            .column("purpose", type: .text, .notNull)
            .column("users", type: .text, .notNull)
            .column("user_count", type: .bigint)
            .column("confidentiality", type: .int, .notNull)
            .column("integrity", type: .int, .notNull)
            .column("availability", type: .int, .notNull)
            .column("personal_number", type: .boolean, .notNull)
            .column("network_zone", type: .text, .notNull)
            .column("hosting", type: .text, .notNull)
            .column("shared_platform", type: .text, .notNull)
            .column("in_service_since", type: .text)
            .column("source", type: .text, .notNull)
            .column("source_date", type: .text)
            .column("version", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .unique("tenant_id", "code", named: "systems_unique_code")
            .check(SQLRaw("confidentiality BETWEEN 1 AND 3 AND integrity BETWEEN 1 AND 2 AND availability BETWEEN 1 AND 2"),
                   named: "systems_levels")
            .run()
        try await sql.create(index: "systems_owner").on("systems").column("owner_unit_id").run()

        try await sql.create(table: "system_components")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("system_id", type: .text, .notNull, .references("systems", "id"))
            .column("kind", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("version", type: .text, .notNull)
            .column("end_of_life", type: .text)
            .column("position", type: .int, .notNull)
            .run()
        try await sql.create(index: "system_components_system").on("system_components").column("system_id").run()

        try await sql.create(table: "system_contracts")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("system_id", type: .text, .notNull, .references("systems", "id"))
            .column("vendor", type: .text, .notNull)
            .column("starts_on", type: .text, .notNull)
            .column("ends_on", type: .text, .notNull)
            .column("annual_cost", type: .bigint, .notNull)
            .column("position", type: .int, .notNull)
            .check(SQLRaw("ends_on >= starts_on AND annual_cost >= 0"), named: "system_contracts_sane")
            .run()
        try await sql.create(index: "system_contracts_system").on("system_contracts").column("system_id").run()

        // consumer ← provider: the consumer needs data or a service the provider offers.
        try await sql.create(table: "system_interfaces")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("consumer_id", type: .text, .notNull, .references("systems", "id"))
            .column("provider_id", type: .text, .notNull, .references("systems", "id"))
            .column("protocol", type: .text, .notNull)
            .column("frequency", type: .text, .notNull)
            .column("criticality", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .unique("consumer_id", "provider_id", named: "system_interfaces_unique_pair")
            .check(SQLRaw("consumer_id <> provider_id"), named: "system_interfaces_not_self")
            .run()
        try await sql.create(index: "system_interfaces_provider").on("system_interfaces").column("provider_id").run()
    }
}
