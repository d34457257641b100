import SQLKit

/// In-app notifications and the e-mail outbox. A notification stores its kind and
/// parameters, so it is worded in the reader's language when shown; `dedupe_key` keeps a
/// reminder from being sent twice, whichever instance finds it first. Mail waits in the
/// outbox until the server accepts it, with retries spaced out.
enum M0009_CreateNotifications {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "notifications")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("kind", type: .text, .notNull)
            .column("params", type: .text, .notNull)
            .column("link", type: .text, .notNull)
            .column("dedupe_key", type: .text, .unique)
            .column("created_at", type: .text, .notNull)
            .column("read_at", type: .text)
            .run()
        try await sql.create(index: "notifications_person").on("notifications").column("person_id").column("created_at").run()

        // state: pending → sent, or failed after the last attempt.
        try await sql.create(table: "mail_outbox")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("notification_id", type: .text, .references("notifications", "id"))
            .column("to_address", type: .text, .notNull)
            .column("subject", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("next_attempt_at", type: .text, .notNull)
            .column("last_error", type: .text)
            .column("created_at", type: .text, .notNull)
            .column("sent_at", type: .text)
            .run()
        try await sql.create(index: "mail_outbox_due").on("mail_outbox").column("state").column("next_attempt_at").run()
    }
}
