import SQLKit

/// A person's calendar feed of their due tasks: one secret address each, stored as its SHA-256.
enum M0027_CreateCalendarFeeds {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "calendar_feeds")
            .column("person_id", type: .text, .primaryKey(autoIncrement: false), .references("people", "id"))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("created_at", type: .text, .notNull)
            .column("last_read_at", type: .text)
            .run()
    }
}
