import SQLKit

enum M0004_CreateAuditTrail {
    static func apply(_ sql: any SQLDatabase) async throws {
        // Append-only and hash-chained. No foreign keys: the trail outlives what it describes.
        try await sql.create(table: "audit_events")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
            .column("id", type: .text, .notNull, .unique)
            .column("at", type: .text, .notNull)
            .column("tenant_id", type: .text)
            .column("actor_id", type: .text)
            .column("actor_login", type: .text)
            .column("action", type: .text, .notNull)
            .column("target_type", type: .text, .notNull)
            .column("target_id", type: .text, .notNull)
            .column("before_json", type: .text)
            .column("after_json", type: .text)
            .column("prev_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await sql.create(index: "audit_events_tenant").on("audit_events").column("tenant_id").column("seq").run()
        try await sql.create(index: "audit_events_target").on("audit_events").column("target_type").column("target_id").run()

        // The head of the chain: updating this one row serialises appends on both engines, and
        // lets `audit verify` notice records cut from the end.
        try await sql.create(table: "audit_head")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("seq", type: .bigint, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await sql.insert(into: "audit_head").columns("id", "seq", "hash")
            .values(SQLBind(1), SQLBind(0), SQLBind(AuditChain.genesis))
            .run()
    }
}
