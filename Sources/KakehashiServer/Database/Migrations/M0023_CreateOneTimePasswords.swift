import SQLKit

/// A person's authenticator key (RFC 6238), and the sign-ins waiting for its code.
enum M0023_CreateOneTimePasswords {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "one_time_passwords")
            .column("person_id", type: .text, .primaryKey(autoIncrement: false), .references("people", "id"))
            .column("secret", type: .text, .notNull)
            .column("confirmed_at", type: .text)
            .column("last_step", type: .bigint, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await sql.create(table: "sign_in_challenges")
            .column("id_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("person_id", type: .text, .notNull, .references("people", "id"))
            .column("next_path", type: .text, .notNull)
            .column("attempts", type: .int, .notNull)
            .column("expires_at", type: .text, .notNull)
            .run()
    }
}
