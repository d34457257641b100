import Foundation
import SQLKit

/// Sign-in sessions, stored in the database so that every instance behind a load balancer
/// sees the same ones. The cookie carries a random id; the table only its SHA-256.
struct SessionStore: Sendable {
    let idleTimeout: TimeInterval
    let absoluteTimeout: TimeInterval

    struct Record: Codable, Sendable {
        var idHash: String
        var personId: String
        var csrfToken: String
        var createdAt: String
        var lastSeenAt: String
        var endedAt: String?
        var ip: String?
        var userAgent: String?
        /// Set when the session began at the tenant's identity provider, so sign-out ends it there too.
        var providerId: String? = nil
        var idToken: String? = nil
    }

    enum Lookup: Sendable {
        case active(Record)
        case expired
        case none
    }

    /// Starts a new session (always a new id: no fixation). Returns the cookie value.
    func create(personId: String, ip: String?, userAgent: String?, provider: (id: String, idToken: String)? = nil,
                on sql: any SQLDatabase) async throws -> (cookie: String, record: Record) {
        let cookie = Secrets.random()
        let now = Timestamp.now()
        let record = Record(idHash: Secrets.sha256Hex(cookie), personId: personId, csrfToken: Secrets.random(),
                            createdAt: now, lastSeenAt: now, endedAt: nil, ip: ip,
                            userAgent: userAgent.map { String($0.prefix(300)) },
                            providerId: provider?.id, idToken: provider?.idToken)
        try await sql.insert(into: "sessions").model(record, keyEncodingStrategy: .convertToSnakeCase).run()
        return (cookie, record)
    }

    func find(cookie: String, now: Date = Date(), on sql: any SQLDatabase) async throws -> Lookup {
        guard let record = try await sql.select().column("*").from("sessions")
            .where("id_hash", .equal, Secrets.sha256Hex(cookie))
            .first(decoding: Record.self, with: .snake) else { return .none }
        guard record.endedAt == nil,
              let created = Timestamp.parse(record.createdAt), let seen = Timestamp.parse(record.lastSeenAt),
              now.timeIntervalSince(seen) < idleTimeout, now.timeIntervalSince(created) < absoluteTimeout
        else { return .expired }
        return .active(record)
    }

    /// Whether `lastSeenAt` is old enough to be worth a write (at most one a minute per session).
    func needsTouch(_ record: Record, now: Date = Date()) -> Bool {
        guard let seen = Timestamp.parse(record.lastSeenAt) else { return true }
        return now.timeIntervalSince(seen) > 60
    }

    func touch(_ record: Record, on sql: any SQLDatabase) async throws {
        try await sql.update("sessions").set("last_seen_at", to: Timestamp.now())
            .where("id_hash", .equal, record.idHash).run()
    }

    /// Forgets sessions that ended or expired over a day ago; called at sign-in, so the table
    /// stays the size of the active user base.
    func prune(now: Date = Date(), on sql: any SQLDatabase) async throws {
        let idleCutoff = Timestamp.string(now.addingTimeInterval(-idleTimeout - 86_400))
        let absoluteCutoff = Timestamp.string(now.addingTimeInterval(-absoluteTimeout - 86_400))
        try await sql.delete(from: "sessions")
            .where { $0.where("last_seen_at", .lessThan, idleCutoff).orWhere("created_at", .lessThan, absoluteCutoff)
                .orWhere("ended_at", .lessThan, Timestamp.string(now.addingTimeInterval(-86_400))) }
            .run()
    }

    func end(idHash: String, on sql: any SQLDatabase) async throws {
        try await sql.update("sessions").set("ended_at", to: Timestamp.now())
            .where("id_hash", .equal, idHash).where("ended_at", .is, SQLLiteral.null).run()
    }

    /// Ends every session of a person (deactivation, password reset).
    static func endAll(personId: String, on sql: any SQLDatabase) async throws {
        try await sql.update("sessions").set("ended_at", to: Timestamp.now())
            .where("person_id", .equal, personId).where("ended_at", .is, SQLLiteral.null).run()
    }
}
