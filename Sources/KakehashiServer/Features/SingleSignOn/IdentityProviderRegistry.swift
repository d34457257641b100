import Foundation
import SQLKit

/// Registering a tenant's identity provider and its group → role table: for the tenant's
/// administrator on the pages and for `kakehashi idp` on the command line. Each change is audited.
struct IdentityProviderRegistry: Sendable {
    let database: AppDatabase
    let client: OIDCClient
    let store = IdentityProviderStore()

    /// What the form or the command gives. A blank secret on an edit keeps the stored one.
    struct Registration: Sendable {
        var issuer: String
        var clientId: String
        var clientSecret: String
        var domains: [String]
        var groupsClaim: String?
        var linkByEmail = false
        var createAccounts = false
        var passwordsAllowed = true
    }

    func register(
        _ form: Registration, tenantId: String, actor: AuditLog.Actor
    ) async throws -> IdentityProvider {
        var v = Validator()
        let issuer = v.text("issuer", form.issuer, max: 500, required: true)?.trimmingSuffix("/")
        if let issuer, !OIDCClient.isAcceptableEndpoint(issuer, issuer: issuer) { v.fail("issuer", "invalid_issuer") }
        let clientId = v.text("clientId", form.clientId, max: 200, required: true)
        let secret = v.text("clientSecret", form.clientSecret, max: 500)
        let claim = v.text("groupsClaim", form.groupsClaim, max: 100)
        if let claim, claim.contains(where: { $0 == " " || $0 == "," }) { v.fail("groupsClaim", "invalid_claim") }
        var domains: [String] = []
        for raw in form.domains.flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }) }) {
            let domain = IdentityProviderStore.normalised(domain: String(raw))
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-")
            guard domain.contains("."), domain.count <= 253, domain.unicodeScalars.allSatisfy(allowed.contains) else {
                v.fail("domains", "invalid_domain", ["domain": String(raw)])
                continue
            }
            if !domains.contains(domain) { domains.append(domain) }
        }
        try v.check()
        let store = self.store
        let chosen = domains
        let saved = try await database.transaction { sql -> IdentityProvider in
            let before = try await store.provider(ofTenant: tenantId, on: sql)
            guard let secret = secret ?? before?.clientSecret else {
                throw AppError.invalid([FieldError(field: "clientSecret", code: "required")])
            }
            for domain in chosen {
                if let owner = try await store.owner(ofDomain: domain, on: sql), owner != tenantId {
                    throw AppError.invalid([
                        FieldError(field: "domains", code: "domain_taken", args: ["domain": domain])
                    ])
                }
            }
            let now = Timestamp.now()
            let provider = IdentityProvider(
                id: before?.id ?? UUIDs.make(), tenantId: tenantId, issuer: issuer!, clientId: clientId!,
                clientSecret: secret, groupsClaim: claim, linkByEmail: form.linkByEmail,
                createAccounts: form.createAccounts, passwordsAllowed: form.passwordsAllowed,
                createdAt: before?.createdAt ?? now, updatedAt: now)
            try await store.save(provider, domains: chosen, on: sql)
            var after = provider.audited
            after["domains"] = chosen.joined(separator: " ")
            try await AuditLog.record(
                before == nil ? "identity_provider.added" : "identity_provider.changed", tenantId: tenantId,
                actor: actor, targetType: "identity_provider", targetId: provider.id, before: before?.audited,
                after: after, on: sql)
            return provider
        }
        await client.forget(issuer: saved.issuer)
        return saved
    }

    func remove(tenantId: String, actor: AuditLog.Actor) async throws {
        let store = self.store
        try await database.transaction { sql in
            guard let provider = try await store.provider(ofTenant: tenantId, on: sql) else { throw AppError.notFound }
            try await store.remove(provider, on: sql)
            try await AuditLog.record(
                "identity_provider.removed", tenantId: tenantId, actor: actor, targetType: "identity_provider",
                targetId: provider.id, before: provider.audited, on: sql)
        }
    }

    /// A row of the group table; a row that would make anyone a system administrator is refused.
    func map(
        group: String, role: String, team: String?, tenantId: String, actor: AuditLog.Actor
    ) async throws -> GroupRoleMapping {
        var v = Validator()
        let name = v.text("group", group, max: 200, required: true)
        let role = v.choice("role", role, as: Role.self, required: true)
        let team = v.choice("team", team, as: SpecialistTeam.self)
        if role == .systemAdmin { v.fail("role", "mapping_system_admin") }
        if role == .specialist && team == nil { v.fail("team", "team_required") }
        if let role, role != .specialist, team != nil { v.fail("team", "team_only_for_specialists") }
        try v.check()
        let store = self.store
        do {
            return try await database.transaction { sql in
                guard let provider = try await store.provider(ofTenant: tenantId, on: sql) else {
                    throw AppError.notFound
                }
                let mapping = GroupRoleMapping(
                    id: UUIDs.make(), providerId: provider.id, tenantId: tenantId, groupName: name!,
                    role: role!.rawValue, team: team?.rawValue ?? "", createdAt: Timestamp.now())
                try await store.insert(mapping, on: sql)
                try await AuditLog.record(
                    "identity_provider.group_mapped", tenantId: tenantId, actor: actor,
                    targetType: "identity_provider", targetId: provider.id, after: mapping, on: sql)
                return mapping
            }
        } catch  where AppDatabase.isUniqueViolation(error) {
            throw AppError.invalid([FieldError(field: "group", code: "mapping_exists")])
        }
    }

    func unmap(_ id: String, tenantId: String, actor: AuditLog.Actor) async throws {
        let store = self.store
        try await database.transaction { sql in
            guard let provider = try await store.provider(ofTenant: tenantId, on: sql),
                let removed = try await store.deleteMapping(id, providerId: provider.id, on: sql)
            else { throw AppError.notFound }
            try await AuditLog.record(
                "identity_provider.group_unmapped", tenantId: tenantId, actor: actor,
                targetType: "identity_provider", targetId: provider.id, before: removed, on: sql)
        }
    }
}
