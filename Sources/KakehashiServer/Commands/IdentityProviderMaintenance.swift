import Foundation
import SQLKit

/// `kakehashi idp …` and `kakehashi user break-glass`: a tenant's single sign-on from the command line,
/// through the same registry and checks as the administrator's page.
extension Maintenance {
    public struct ProviderOptions: Sendable {
        public var issuer: String
        public var clientId: String
        public var clientSecret: String
        public var domains: [String]
        public var groupsClaim: String?
        public var linkByEmail: Bool
        public var createAccounts: Bool
        public var passwordsAllowed: Bool

        public init(
            issuer: String, clientId: String, clientSecret: String, domains: [String], groupsClaim: String?,
            linkByEmail: Bool, createAccounts: Bool, passwordsAllowed: Bool
        ) {
            (self.issuer, self.clientId, self.clientSecret, self.domains) = (issuer, clientId, clientSecret, domains)
            (self.groupsClaim, self.linkByEmail, self.createAccounts) = (groupsClaim, linkByEmail, createAccounts)
            self.passwordsAllowed = passwordsAllowed
        }
    }

    /// Registers (or replaces) the tenant's provider; returns the lines to print, with the redirect
    /// URI to register at the provider.
    public static func addIdentityProvider(_ config: AppConfig, tenant: String, _ options: ProviderOptions)
        async throws -> [String]
    {
        try await withDatabase(config) { db in
            try await requireTenant(tenant, db)
            let registry = IdentityProviderRegistry(database: db, client: OIDCClient())
            let form = IdentityProviderRegistry.Registration(
                issuer: options.issuer, clientId: options.clientId, clientSecret: options.clientSecret,
                domains: options.domains, groupsClaim: options.groupsClaim, linkByEmail: options.linkByEmail,
                createAccounts: options.createAccounts, passwordsAllowed: options.passwordsAllowed)
            let provider = try await refusingInvalid {
                try await registry.register(form, tenantId: tenant, actor: .init(system: "cli"))
            }
            return [
                "provider \(provider.id) for \(tenant)",
                "redirect URI to register at the provider: \(config.publicURL)\(SignInRoutes.callbackPath)",
                "post-logout redirect URI: \(config.publicURL)/signin?done=signed_out",
            ]
        }
    }

    public static func listIdentityProviders(_ config: AppConfig) async throws -> [String] {
        try await withDatabase(config) { db in
            try await db.read { sql in
                let store = IdentityProviderStore()
                var lines: [String] = []
                for provider in try await store.all(on: sql) {
                    let domains = try await store.domains(of: provider.id, on: sql).joined(separator: ",")
                    lines.append(
                        [
                            provider.tenantId, provider.issuer, provider.clientId, domains.isEmpty ? "-" : domains,
                            "groups=\(provider.groupsClaim ?? "groups")", "link-by-email=\(provider.linkByEmail)",
                            "create-accounts=\(provider.createAccounts)",
                            "passwords=\(provider.passwordsAllowed)",
                        ].joined(separator: "\t"))
                    for mapping in try await store.mappings(of: provider.id, on: sql) {
                        let role = mapping.team.isEmpty ? mapping.role : "\(mapping.role):\(mapping.team)"
                        lines.append("\t\(mapping.id)\tgroup \(mapping.groupName) -> \(role)")
                    }
                }
                return lines.isEmpty ? ["no identity providers"] : lines
            }
        }
    }

    public static func removeIdentityProvider(_ config: AppConfig, tenant: String) async throws {
        try await withDatabase(config) { db in
            try await refusingInvalid {
                try await IdentityProviderRegistry(database: db, client: OIDCClient())
                    .remove(tenantId: tenant, actor: .init(system: "cli"))
            }
        }
    }

    /// `role` is a role key, or `specialist:TEAM`; returns the mapping's id.
    public static func mapGroup(_ config: AppConfig, tenant: String, group: String, role: String) async throws -> String
    {
        let parts = role.split(separator: ":", maxSplits: 1).map(String.init)
        return try await withDatabase(config) { db in
            try await refusingInvalid {
                try await IdentityProviderRegistry(database: db, client: OIDCClient()).map(
                    group: group, role: parts.first ?? "", team: parts.count > 1 ? parts[1] : nil, tenantId: tenant,
                    actor: .init(system: "cli")
                ).id
            }
        }
    }

    public static func unmapGroup(_ config: AppConfig, tenant: String, id: String) async throws {
        try await withDatabase(config) { db in
            try await refusingInvalid {
                try await IdentityProviderRegistry(database: db, client: OIDCClient())
                    .unmap(id, tenantId: tenant, actor: .init(system: "cli"))
            }
        }
    }

    /// Marks a local administrator as the tenant's break-glass account (or, with `on: false`, no longer).
    public static func markBreakGlass(_ config: AppConfig, login: String, on: Bool) async throws {
        try await withDatabase(config) { db in
            try await db.transaction { sql in
                guard let person = try await DirectoryRepository().person(login: login.lowercased(), on: sql) else {
                    throw Failure(description: "no person with login \(login)", exitCode: 1)
                }
                try await BreakGlass.mark(person, on: on, actor: .init(system: "cli"), on: sql)
            }
        }
    }

    private static func requireTenant(_ tenant: String, _ db: AppDatabase) async throws {
        guard try await db.read({ sql in try await DirectoryRepository().tenant(tenant, on: sql) }) != nil else {
            throw Failure(description: "no tenant \(tenant)", exitCode: 1)
        }
    }

    /// A refusal of the registry as the command's message and exit code 2 (bad input) or 1 (not found).
    private static func refusingInvalid<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AppError {
            switch error {
            case .invalid(let fields):
                let text = fields.map { "\($0.field): \($0.code)" + ($0.args.isEmpty ? "" : " \($0.args)") }
                throw Failure(description: text.joined(separator: "; "), exitCode: 2)
            case .notFound:
                throw Failure(description: "the tenant has no identity provider (or no such mapping)", exitCode: 1)
            default: throw error
            }
        }
    }
}
