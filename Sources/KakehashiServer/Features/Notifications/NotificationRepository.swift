import Foundation
import SQLKit

/// Something a person should know, with where to look. Worded when shown, in the reader's
/// language, from `kind` (`notify_<kind>` in the catalog) and `params`.
struct AppNotification: Codable, Sendable {
    var id: String
    var personId: String
    var kind: String
    var params: String
    var link: String
    var dedupeKey: String?
    var createdAt: String
    var readAt: String?

    var parameters: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(params.utf8))) ?? [:]
    }
}

/// An e-mail waiting for, or past, delivery.
struct OutboxMail: Codable, Sendable {
    var id: String
    var notificationId: String?
    var toAddress: String
    var subject: String
    var body: String
    var state: String
    var attempts: Int
    var nextAttemptAt: String
    var lastError: String?
    var createdAt: String
    var sentAt: String?
}

struct NotificationRepository: Sendable {
    /// Inserts the notification unless one with its dedupe key exists; true when inserted.
    func insert(_ n: AppNotification, on sql: any SQLDatabase) async throws -> Bool {
        guard n.dedupeKey != nil else {
            try await sql.insert(into: "notifications").model(n, keyEncodingStrategy: .convertToSnakeCase).run()
            return true
        }
        let rows = try await sql.insert(into: "notifications").model(n, keyEncodingStrategy: .convertToSnakeCase)
            .ignoringConflicts(with: ["dedupe_key"]).returning("id").all()
        return !rows.isEmpty
    }

    func recent(for personId: String, unreadOnly: Bool = false, limit: Int, offset: Int = 0,
                on sql: any SQLDatabase) async throws -> [AppNotification] {
        let query = sql.select().column("*").from("notifications").where("person_id", .equal, personId)
        if unreadOnly { query.where("read_at", .is, SQLLiteral.null) }
        return try await query.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).offset(offset)
            .all(decoding: AppNotification.self, with: .snake)
    }

    func count(for personId: String, unreadOnly: Bool = false, on sql: any SQLDatabase) async throws -> Int {
        let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notifications")
            .where("person_id", .equal, personId)
        if unreadOnly { query.where("read_at", .is, SQLLiteral.null) }
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Marks the named notifications of a person read; ids of others' notifications change nothing.
    func markRead(_ ids: [String], of personId: String, at: String, on sql: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await sql.update("notifications").set("read_at", to: at).where("person_id", .equal, personId)
            .where("read_at", .is, SQLLiteral.null).where("id", .in, ids).run()
    }

    func unreadCount(for personId: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notifications")
            .where("person_id", .equal, personId).where("read_at", .is, SQLLiteral.null)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    func notification(_ id: String, of personId: String, on sql: any SQLDatabase) async throws -> AppNotification? {
        try await sql.select().column("*").from("notifications").where("id", .equal, id).where("person_id", .equal, personId)
            .first(decoding: AppNotification.self, with: .snake)
    }

    /// Marks one (or, with nil, all) of a person's notifications read.
    func markRead(_ id: String?, of personId: String, at: String, on sql: any SQLDatabase) async throws {
        var update = sql.update("notifications").set("read_at", to: at).where("person_id", .equal, personId).where("read_at", .is, SQLLiteral.null)
        if let id { update = update.where("id", .equal, id) }
        try await update.run()
    }

    // MARK: Outbox

    func insert(_ mail: OutboxMail, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "mail_outbox").model(mail, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func dueMail(at now: String, limit: Int, on sql: any SQLDatabase) async throws -> [OutboxMail] {
        try await sql.select().column("*").from("mail_outbox").where("state", .equal, "pending").where("next_attempt_at", .lessThanOrEqual, now)
            .orderBy("next_attempt_at").limit(limit).all(decoding: OutboxMail.self, with: .snake)
    }

    /// Takes a due mail for this instance by moving its next attempt to `lease`; false when
    /// another instance took it first.
    func claim(_ mail: OutboxMail, lease: String, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.update("mail_outbox").set("next_attempt_at", to: lease)
            .where("id", .equal, mail.id).where("state", .equal, "pending").where("next_attempt_at", .equal, mail.nextAttemptAt)
            .returning("id").all()
        return !rows.isEmpty
    }

    func update(_ mail: OutboxMail, on sql: any SQLDatabase) async throws {
        try await sql.update("mail_outbox").set(model: mail, keyEncodingStrategy: .convertToSnakeCase).where("id", .equal, mail.id).run()
    }

    func outboxCounts(on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Row: Decodable { let state: String; let n: Int }
        let rows = try await sql.select().column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("mail_outbox")
            .groupBy("state").all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.state, $0.n) })
    }
}
