import Foundation
import SQLKit

/// A tenant's OpenID Connect provider as registered by its administrator or `kakehashi idp add`.
struct IdentityProvider: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var issuer: String
    var clientId: String
    var clientSecret: String
    /// The ID token claim that lists the person's groups ("groups" when nil).
    var groupsClaim: String?
    /// First sign-in may bind an existing account with the same verified e-mail (once).
    var linkByEmail: Bool
    /// First sign-in of someone unknown creates their account, with no roles.
    var createAccounts: Bool
    /// People of the tenant may still sign in with a password (otherwise only break-glass accounts).
    var passwordsAllowed: Bool
    var createdAt: String
    var updatedAt: String

    /// For the audit trail: the registration without its secret.
    var audited: [String: String] {
        [
            "issuer": issuer, "clientId": clientId, "groupsClaim": groupsClaim ?? "groups",
            "linkByEmail": String(linkByEmail), "createAccounts": String(createAccounts),
            "passwordsAllowed": String(passwordsAllowed),
        ]
    }
}

/// One row of a tenant's group → role table. `team` is "" except for specialists.
struct GroupRoleMapping: Codable, Sendable, Equatable {
    var id: String
    var providerId: String
    var tenantId: String
    var groupName: String
    var role: String
    var team: String
    var createdAt: String
}

struct IdentityLink: Codable, Sendable {
    var id: String
    var personId: String
    var tenantId: String
    var issuer: String
    var subject: String
    var createdAt: String
    var lastUsedAt: String?
}

/// A sign-in under way at the provider: found by the hash of its `state`, bound to the browser
/// that began it by the hash of a cookie, used once, ten minutes at most.
struct SSOLogin: Codable, Sendable {
    var stateHash: String
    var providerId: String
    var bindingHash: String
    var nonce: String
    var codeVerifier: String
    var nextPath: String
    var expiresAt: String
}

/// All SQL of single sign-on.
struct IdentityProviderStore: Sendable {
    static let loginLifetime: TimeInterval = 600
    /// Sign-ins under way at one provider at most: starting one costs a row, so a flood of starts
    /// is refused (429) instead of filling the table.
    static let loginsUnderWay = 2000

    struct TooManyLogins: Error {}

    func provider(ofTenant tenantId: String, on sql: any SQLDatabase) async throws -> IdentityProvider? {
        try await sql.select().column("*").from("identity_providers").where("tenant_id", .equal, tenantId)
            .first(decoding: IdentityProvider.self, with: .snake)
    }

    func provider(_ id: String, on sql: any SQLDatabase) async throws -> IdentityProvider? {
        try await sql.select().column("*").from("identity_providers").where("id", .equal, id)
            .first(decoding: IdentityProvider.self, with: .snake)
    }

    func all(on sql: any SQLDatabase) async throws -> [IdentityProvider] {
        try await sql.select().column("*").from("identity_providers").orderBy("tenant_id")
            .all(decoding: IdentityProvider.self, with: .snake)
    }

    /// The provider whose tenant owns the domain of this e-mail address.
    func provider(forEmail email: String, on sql: any SQLDatabase) async throws -> IdentityProvider? {
        guard let at = email.lastIndex(of: "@") else { return nil }
        let domain = Self.normalised(domain: String(email[email.index(after: at)...]))
        guard !domain.isEmpty,
            let id = try await sql.select().column("provider_id").from("identity_provider_domains")
                .where("domain", .equal, domain).first(decodingColumn: "provider_id", as: String.self)
        else { return nil }
        return try await provider(id, on: sql)
    }

    func domains(of providerId: String, on sql: any SQLDatabase) async throws -> [String] {
        try await sql.select().column("domain").from("identity_provider_domains")
            .where("provider_id", .equal, providerId).orderBy("domain").all(decodingColumn: "domain", as: String.self)
    }

    /// The tenant whose provider already claims `domain`, if another's.
    func owner(ofDomain domain: String, on sql: any SQLDatabase) async throws -> String? {
        try await sql.select().column("tenant_id").from("identity_provider_domains")
            .where("domain", .equal, domain).first(decodingColumn: "tenant_id", as: String.self)
    }

    func save(_ provider: IdentityProvider, domains: [String], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "identity_provider_domains").where("provider_id", .equal, provider.id).run()
        try await sql.delete(from: "identity_providers").where("id", .equal, provider.id).run()
        try await sql.insert(into: "identity_providers").model(provider, keyEncodingStrategy: .convertToSnakeCase)
            .run()
        for domain in domains {
            try await sql.insert(into: "identity_provider_domains").columns("domain", "provider_id", "tenant_id")
                .values(SQLBind(domain), SQLBind(provider.id), SQLBind(provider.tenantId)).run()
        }
    }

    /// The provider and what hangs on it; the people and their links stay (a provider registered
    /// again with the same issuer finds them bound).
    func remove(_ provider: IdentityProvider, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "sso_logins").where("provider_id", .equal, provider.id).run()
        try await sql.delete(from: "group_role_mappings").where("provider_id", .equal, provider.id).run()
        try await sql.delete(from: "identity_provider_domains").where("provider_id", .equal, provider.id).run()
        try await sql.delete(from: "identity_providers").where("id", .equal, provider.id).run()
    }

    // MARK: Group → role table

    func mappings(of providerId: String, on sql: any SQLDatabase) async throws -> [GroupRoleMapping] {
        try await sql.select().column("*").from("group_role_mappings").where("provider_id", .equal, providerId)
            .orderBy("group_name").orderBy("role").all(decoding: GroupRoleMapping.self, with: .snake)
    }

    func insert(_ mapping: GroupRoleMapping, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "group_role_mappings").model(mapping, keyEncodingStrategy: .convertToSnakeCase)
            .run()
    }

    func deleteMapping(_ id: String, providerId: String, on sql: any SQLDatabase) async throws -> GroupRoleMapping? {
        let found = try await sql.select().column("*").from("group_role_mappings").where("id", .equal, id)
            .where("provider_id", .equal, providerId).first(decoding: GroupRoleMapping.self, with: .snake)
        guard let found else { return nil }
        try await sql.delete(from: "group_role_mappings").where("id", .equal, id).run()
        return found
    }

    // MARK: Links

    func link(issuer: String, subject: String, on sql: any SQLDatabase) async throws -> IdentityLink? {
        try await sql.select().column("*").from("identity_links").where("issuer", .equal, issuer)
            .where("subject", .equal, subject).first(decoding: IdentityLink.self, with: .snake)
    }

    func links(of personId: String, on sql: any SQLDatabase) async throws -> [IdentityLink] {
        try await sql.select().column("*").from("identity_links").where("person_id", .equal, personId)
            .all(decoding: IdentityLink.self, with: .snake)
    }

    func insert(_ link: IdentityLink, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "identity_links").model(link, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// The groups the provider sent at this sign-in, for `GroupRoles` when SCIM changes groups later.
    func setGroups(_ groups: [String], issuer: String, subject: String, on sql: any SQLDatabase) async throws {
        let json = String(decoding: try JSONEncoder().encode(groups), as: UTF8.self)
        try await sql.update("identity_links").set("groups", to: json).where("issuer", .equal, issuer)
            .where("subject", .equal, subject).run()
    }

    func touch(_ link: IdentityLink, on sql: any SQLDatabase) async throws {
        try await sql.update("identity_links").set("last_used_at", to: Timestamp.now())
            .where("id", .equal, link.id).run()
    }

    // MARK: Sign-ins under way

    /// Returns the `state` to send and the cookie value that binds the round trip to this browser.
    func begin(
        provider: IdentityProvider, nonce: String, verifier: String, next: String, now: Date = Date(),
        on sql: any SQLDatabase
    ) async throws -> (state: String, binding: String) {
        let state = Secrets.random()
        let binding = Secrets.random()
        try await sql.delete(from: "sso_logins").where("expires_at", .lessThan, Timestamp.string(now)).run()
        let live =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sso_logins")
            .where("provider_id", .equal, provider.id).first(decodingColumn: "n", as: Int.self) ?? 0
        guard live < Self.loginsUnderWay else { throw TooManyLogins() }
        let login = SSOLogin(
            stateHash: Secrets.sha256Hex(state), providerId: provider.id, bindingHash: Secrets.sha256Hex(binding),
            nonce: nonce, codeVerifier: verifier, nextPath: next,
            expiresAt: Timestamp.string(now.addingTimeInterval(Self.loginLifetime)))
        try await sql.insert(into: "sso_logins").model(login, keyEncodingStrategy: .convertToSnakeCase).run()
        return (state, binding)
    }

    /// The sign-in this `state` began, taken so that it cannot be used twice; nil when unknown or expired.
    func take(state: String, now: Date = Date(), on sql: any SQLDatabase) async throws -> SSOLogin? {
        // DELETE … RETURNING: of two callbacks racing with the same state, only one gets the row.
        let found = try await sql.delete(from: "sso_logins").where("state_hash", .equal, Secrets.sha256Hex(state))
            .returning("*").first(decoding: SSOLogin.self, with: .snake)
        guard let found else { return nil }
        return found.expiresAt > Timestamp.string(now) ? found : nil
    }

    static func normalised(domain: String) -> String {
        domain.trimmingCharacters(in: .whitespaces).lowercased().trimmingSuffix(".")
    }
}
