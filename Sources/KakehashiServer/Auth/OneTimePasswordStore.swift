import Foundation
import SQLKit

/// Authenticator keys and the sign-ins that wait for their code. A key is set up unconfirmed and
/// counts only once a code from it has been typed back; each step's code works once. A waiting
/// sign-in lives five minutes and five wrong codes, and is known to the browser only by a random id
/// (stored as its SHA-256, like sessions), so the round trip needs no cookie.
struct OneTimePasswordStore: Sendable {
    static let challengeMinutes = 5
    static let challengeAttempts = 5

    struct Credential: Codable, Sendable {
        var personId: String
        var secret: String
        var confirmedAt: String?
        var lastStep: Int64
        var createdAt: String

        var key: Data { Base32.decode(secret) ?? Data() }
        var isConfirmed: Bool { confirmedAt != nil }
    }

    struct Challenge: Codable, Sendable {
        var idHash: String
        var personId: String
        var nextPath: String
        var attempts: Int
        var expiresAt: String
    }

    func credential(of personId: String, on sql: any SQLDatabase) async throws -> Credential? {
        try await sql.select().column("*").from("one_time_passwords").where("person_id", .equal, personId)
            .first(decoding: Credential.self, with: .snake)
    }

    func isConfirmed(_ personId: String, on sql: any SQLDatabase) async throws -> Bool {
        try await credential(of: personId, on: sql)?.isConfirmed == true
    }

    /// The person's unconfirmed key, made now if there is none; nil when a confirmed one exists.
    func pendingKey(of personId: String, on sql: any SQLDatabase) async throws -> Credential? {
        if let existing = try await credential(of: personId, on: sql) { return existing.isConfirmed ? nil : existing }
        let fresh = Credential(
            personId: personId, secret: Base32.encode(OneTimePassword.newSecret()), confirmedAt: nil,
            lastStep: 0, createdAt: Timestamp.now())
        try await sql.insert(into: "one_time_passwords").model(fresh, keyEncodingStrategy: .convertToSnakeCase).run()
        return fresh
    }

    /// Whether `code` is the key's, not used before; records its step so it is not used again.
    func accept(
        _ code: String, for credential: Credential, at date: Date = Date(), on sql: any SQLDatabase
    ) async throws -> Bool {
        guard
            let step = OneTimePassword.matchingStep(code, secret: credential.key, at: date, after: credential.lastStep)
        else {
            return false
        }
        let update = sql.update("one_time_passwords").set("last_step", to: step)
        if !credential.isConfirmed { update.set("confirmed_at", to: Timestamp.string(date)) }
        // Only if no other request used this step first.
        try await update.where("person_id", .equal, credential.personId).where("last_step", .lessThan, step).run()
        return try await self.credential(of: credential.personId, on: sql)?.lastStep == step
    }

    func remove(_ personId: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "one_time_passwords").where("person_id", .equal, personId).run()
    }

    // MARK: Waiting sign-ins

    /// Returns the id the browser carries back with the code.
    func challenge(
        for personId: String, next: String, now: Date = Date(), on sql: any SQLDatabase
    ) async throws -> String {
        let id = Secrets.random()
        try await sql.delete(from: "sign_in_challenges").where("expires_at", .lessThan, Timestamp.string(now)).run()
        let row = Challenge(
            idHash: Secrets.sha256Hex(id), personId: personId, nextPath: next, attempts: 0,
            expiresAt: Timestamp.string(now.addingTimeInterval(Double(Self.challengeMinutes * 60))))
        try await sql.insert(into: "sign_in_challenges").model(row, keyEncodingStrategy: .convertToSnakeCase).run()
        return id
    }

    /// The live challenge with this id, counting one more attempt; nil when unknown, expired or used up.
    func attempt(_ id: String, now: Date = Date(), on sql: any SQLDatabase) async throws -> Challenge? {
        let hash = Secrets.sha256Hex(id)
        guard
            var row = try await sql.select().column("*").from("sign_in_challenges").where("id_hash", .equal, hash)
                .first(decoding: Challenge.self, with: .snake),
            row.expiresAt > Timestamp.string(now), row.attempts < Self.challengeAttempts
        else {
            try await end(id, on: sql)
            return nil
        }
        row.attempts += 1
        try await sql.update("sign_in_challenges").set("attempts", to: row.attempts).where("id_hash", .equal, hash)
            .run()
        return row
    }

    func end(_ id: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "sign_in_challenges").where("id_hash", .equal, Secrets.sha256Hex(id)).run()
    }

    /// Every waiting sign-in of a person (a password reset, a deactivation, the key removed).
    static func endChallenges(of personId: String, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "sign_in_challenges").where("person_id", .equal, personId).run()
    }
}
