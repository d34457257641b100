import SQLKit

/// A person's saved filters of the consultation list (保存したビュー), stored as the list's
/// canonical query string.
enum M0010_CreateSavedViews {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "saved_views")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("name", type: .text, .notNull)
            .column("query", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .unique("person_id", "name", named: "saved_views_unique_name")
            .run()
    }
}
