import SQLKit

/// Specification reviews and estimate checks run from an engagement's activity log: the report,
/// the system it was judged for, the specialist's verdict on each finding, and for estimates the
/// rates that later checks compare with (accepted: the tenant's; published: anonymised for all);
/// and the desk's revisions of the rules, every version kept.
enum M0020_CreateProcurementChecks {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "procurement_checks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("engagement_id", type: .text, .notNull, .references("engagements", "id"))
            .column("activity_id", type: .text, .notNull, .references("activities", "id"))
            .column("attachment_id", type: .text, .references("attachments", "id"))
            .column("kind", type: .text, .notNull)
            .column("file_name", type: .text, .notNull)
            .column("system_id", type: .text, .references("systems", "id"))
            .column("category", type: .text)
            .column("fiscal_year", type: .int)
            .column("subtotal", type: .bigint)
            .column("findings", type: .int, .notNull)
            .column("report", type: .text, .notNull)
            .column("accepted", type: .boolean, .notNull)
            .column("published", type: .boolean, .notNull)
            .column("created_by", type: .text, .notNull, .references("people", "id"))
            .column("created_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "procurement_checks_engagement").on("procurement_checks").column("engagement_id").column("created_at").run()
        try await sql.create(index: "procurement_checks_comparables").on("procurement_checks").column("kind").column("category").column("accepted").run()

        try await sql.create(table: "procurement_verdicts")
            .column("check_id", type: .text, .notNull, .references("procurement_checks", "id"))
            .column("position", type: .int, .notNull)
            .column("verdict", type: .text, .notNull)
            .column("note", type: .text, .notNull)
            .column("decided_by", type: .text, .notNull, .references("people", "id"))
            .column("decided_at", type: .text, .notNull)
            .primaryKey("check_id", "position")
            .run()

        try await sql.create(table: "procurement_rule_sets")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("text", type: .text, .notNull)
            .column("note", type: .text, .notNull)
            .column("created_by", type: .text, .notNull, .references("people", "id"))
            .column("created_at", type: .text, .notNull)
            .unique("kind", "version", named: "procurement_rule_sets_version")
            .run()
    }
}
