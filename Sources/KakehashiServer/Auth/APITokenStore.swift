import Foundation
import SQLKit

/// Bearer tokens for `/api/v1`, stored as SHA-256 digests and revocable.
struct APITokenStore: Sendable {
    struct Token: Codable, Sendable {
        var id: String
        var personId: String
        var name: String
        var tokenHash: String
        var createdAt: String
        var lastUsedAt: String?
        var revokedAt: String?
    }

    static let prefix = "kkh_"

    /// Creates a token; the secret is returned once and never stored.
    func create(personId: String, name: String, on sql: any SQLDatabase) async throws -> (secret: String, token: Token) {
        let secret = Self.prefix + Secrets.random()
        let token = Token(id: UUIDs.make(), personId: personId, name: name, tokenHash: Secrets.sha256Hex(secret),
                          createdAt: Timestamp.now(), lastUsedAt: nil, revokedAt: nil)
        try await sql.insert(into: "api_tokens").model(token, keyEncodingStrategy: .convertToSnakeCase).run()
        return (secret, token)
    }

    func find(secret: String, on sql: any SQLDatabase) async throws -> Token? {
        guard secret.hasPrefix(Self.prefix), secret.count < 200 else { return nil }
        return try await sql.select().column("*").from("api_tokens")
            .where("token_hash", .equal, Secrets.sha256Hex(secret)).where("revoked_at", .is, SQLLiteral.null)
            .first(decoding: Token.self, with: .snake)
    }

    /// Use is recorded at most every five minutes, so a busy client does not write on every call.
    func needsTouch(_ token: Token, now: Date = Date()) -> Bool {
        guard let last = token.lastUsedAt.flatMap(Timestamp.parse) else { return true }
        return now.timeIntervalSince(last) >= 300
    }

    func touch(_ token: Token, now: Date = Date(), on sql: any SQLDatabase) async throws {
        try await sql.update("api_tokens").set("last_used_at", to: Timestamp.string(now)).where("id", .equal, token.id).run()
    }

    func tokens(of personId: String, on sql: any SQLDatabase) async throws -> [Token] {
        try await sql.select().column("*").from("api_tokens").where("person_id", .equal, personId)
            .orderBy("created_at", .descending).all(decoding: Token.self, with: .snake)
    }

    /// Ends every live token of a person (password reset by an administrator, deactivation).
    static func revokeAll(personId: String, on sql: any SQLDatabase) async throws {
        try await sql.update("api_tokens").set("revoked_at", to: Timestamp.now())
            .where("person_id", .equal, personId).where("revoked_at", .is, SQLLiteral.null).run()
    }

    /// Revokes one of the person's own tokens; false when there is no such live token.
    func revoke(id: String, personId: String, on sql: any SQLDatabase) async throws -> Bool {
        let live = try await sql.select().column("id").from("api_tokens")
            .where("id", .equal, id).where("person_id", .equal, personId).where("revoked_at", .is, SQLLiteral.null)
            .first()
        guard live != nil else { return false }
        try await sql.update("api_tokens").set("revoked_at", to: Timestamp.now()).where("id", .equal, id).run()
        return true
    }
}
