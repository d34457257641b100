import SQLKit

/// Files attached to a consultation, or to one of its engagement's activities. The bytes
/// live under the data directory, named by their SHA-256; a row is what was attached,
/// by whom, and whether it was removed (rows are kept for the record).
enum M0008_CreateAttachments {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "attachments")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("tenant_id", type: .text, .notNull, .references("tenants", "id"))
            .column("consultation_id", type: .text, .notNull, .references("consultations", "id"))
            .column("activity_id", type: .text, .references("activities", "id"))
            .column("sha256", type: .text, .notNull)
            .column("filename", type: .text, .notNull)
            .column("content_type", type: .text, .notNull)
            .column("size_bytes", type: .bigint, .notNull)
            .column("uploaded_by", type: .text, .notNull, .references("people", "id"))
            .column("uploaded_at", type: .text, .notNull)
            .column("removed_by", type: .text, .references("people", "id"))
            .column("removed_at", type: .text)
            .check(SQLRaw("size_bytes > 0"), named: "attachments_size_positive")
            .run()
        try await sql.create(index: "attachments_consultation").on("attachments").column("consultation_id").run()
        try await sql.create(index: "attachments_activity").on("attachments").column("activity_id").run()
    }
}
