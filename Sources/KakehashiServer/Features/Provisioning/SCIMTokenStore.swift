import Foundation
import SQLKit

/// The bearer tokens an identity provider presents to a tenant's SCIM endpoint: made by
/// `kakehashi scim-token create --tenant T`, shown once, stored as SHA-256, valid for that tenant only.
struct SCIMTokenStore: Sendable {
    struct Token: Codable, Sendable {
        var id: String
        var tenantId: String
        var name: String
        var tokenHash: String
        var createdAt: String
        var revokedAt: String?
    }

    /// Returns the secret (to give the identity provider) and the stored row.
    func create(tenantId: String, name: String, on sql: any SQLDatabase) async throws -> (String, Token) {
        let secret = "kkh_scim_" + Secrets.random()
        let token = Token(
            id: UUIDs.make(), tenantId: tenantId, name: name, tokenHash: Secrets.sha256Hex(secret),
            createdAt: Timestamp.now(), revokedAt: nil)
        try await sql.insert(into: "scim_tokens").model(token, keyEncodingStrategy: .convertToSnakeCase).run()
        return (secret, token)
    }

    /// The live token with this secret, if it is one of `tenantId`'s.
    func find(secret: String, tenantId: String, on sql: any SQLDatabase) async throws -> Token? {
        guard !secret.isEmpty else { return nil }
        return try await sql.select().column("*").from("scim_tokens")
            .where("token_hash", .equal, Secrets.sha256Hex(secret)).where("tenant_id", .equal, tenantId)
            .where("revoked_at", .is, SQLLiteral.null)
            .first(decoding: Token.self, with: .snake)
    }

    /// False when the tenant has no live token with this id.
    func revoke(id: String, tenantId: String, on sql: any SQLDatabase) async throws -> Bool {
        let live = try await sql.select().column("id").from("scim_tokens").where("id", .equal, id)
            .where("tenant_id", .equal, tenantId).where("revoked_at", .is, SQLLiteral.null).first()
        guard live != nil else { return false }
        try await sql.update("scim_tokens").set("revoked_at", to: Timestamp.now()).where("id", .equal, id).run()
        return true
    }
}
