import SQLKit

enum M0003_CreateAuth {
    static func apply(_ sql: any SQLDatabase) async throws {
        // Only the SHA-256 of a session id or token is stored: a database leak yields no usable secret.
        try await sql.create(table: "sessions")
            .column("id_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("csrf_token", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("last_seen_at", type: .text, .notNull)
            .column("ended_at", type: .text)
            .column("ip", type: .text)
            .column("user_agent", type: .text)
            .run()
        try await sql.create(index: "sessions_person").on("sessions").column("person_id").run()

        try await sql.create(table: "api_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("name", type: .text, .notNull)
            .column("token_hash", type: .text, .notNull, .unique)
            .column("created_at", type: .text, .notNull)
            .column("last_used_at", type: .text)
            .column("revoked_at", type: .text)
            .run()
        try await sql.create(index: "api_tokens_person").on("api_tokens").column("person_id").run()

        try await sql.create(table: "sign_in_attempts")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("login", type: .text, .notNull)
            .column("ip", type: .text, .notNull)
            .column("at", type: .text, .notNull)
            .column("succeeded", type: .boolean, .notNull)
            .run()
        try await sql.create(index: "sign_in_attempts_login").on("sign_in_attempts").column("login").column("at").run()
        try await sql.create(index: "sign_in_attempts_ip").on("sign_in_attempts").column("ip").column("at").run()
    }
}
