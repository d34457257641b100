import Foundation
import KakehashiCore
import SQLKit

/// What single sign-on does with a verified identity: find the account bound to the provider's
/// (iss, sub) — never re-bound by e-mail once bound — or bind one the first time (by verified
/// e-mail, if the tenant allows it) or create one with no roles (if it allows that); then bring the
/// roles its group table manages in line with the person's groups (`GroupRoles`). Every refusal is audited.
struct SingleSignOnService: Sendable {
    let database: AppDatabase
    let store = IdentityProviderStore()
    let directory = DirectoryRepository()

    /// Why a verified identity does not sign in; `sso_refused_<reason>` is the page's message.
    enum Refusal: String, Error, Sendable {
        case noAccount = "no_account"
        case inactive
        case emailUnverified = "email_unverified"
        case loginTaken = "login_taken"
        case otherTenant = "other_tenant"
        case moreAuthority = "more_authority"
    }

    /// The person to start a session for, with the grants the groups changed.
    func admit(_ identity: OIDCClient.Identity, provider: IdentityProvider, ip: String?) async throws -> Person {
        let actor = AuditLog.Actor(system: "sso:" + identity.issuer)
        do {
            return try await database.transaction { sql in
                let person = try await bound(identity, provider: provider, actor: actor, on: sql)
                try await store.setGroups(identity.groups, issuer: identity.issuer, subject: identity.subject, on: sql)
                try await GroupRoles.sync(
                    person, tokenGroups: identity.groups, provider: provider, actor: actor, on: sql)
                return person
            }
        } catch let refusal as Refusal {
            try await Self.audit(
                refusal: refusal.rawValue, provider: provider, subject: identity.subject, ip: ip, database: database)
            throw refusal
        }
    }

    /// A refused sign-in at the provider (bad state, bad token, no account …), in the provider's tenant.
    static func audit(
        refusal reason: String, provider: IdentityProvider?, subject: String?, ip: String?, database: AppDatabase
    ) async throws {
        try await database.transaction { sql in
            try await AuditLog.record(
                "session.sso_refused", tenantId: provider?.tenantId,
                actor: .init(system: provider.map { "sso:" + $0.issuer } ?? "sso"),
                targetType: "identity_provider", targetId: provider?.id ?? "-",
                after: ["reason": reason, "subject": subject ?? "", "ip": ip ?? ""], on: sql)
        }
    }

    private func bound(
        _ identity: OIDCClient.Identity, provider: IdentityProvider, actor: AuditLog.Actor, on sql: any SQLDatabase
    ) async throws -> Person {
        if let link = try await store.link(issuer: identity.issuer, subject: identity.subject, on: sql) {
            guard link.tenantId == provider.tenantId else { throw Refusal.otherTenant }
            guard let person = try await directory.person(id: link.personId, on: sql), person.active else {
                throw Refusal.inactive
            }
            try await store.touch(link, on: sql)
            return person
        }
        let scope = TenantScope.signIn(provider)
        if provider.linkByEmail, let email = identity.email,
            let person = try await linkable(email, identity.issuer, scope, on: sql)
        {
            guard identity.emailVerified else { throw Refusal.emailUnverified }
            try await bind(person, identity, provider: provider, how: "email", actor: actor, on: sql)
            return person
        }
        guard provider.createAccounts else { throw Refusal.noAccount }
        let person = try await create(identity, scope: scope, actor: actor, on: sql)
        try await bind(person, identity, provider: provider, how: "created", actor: actor, on: sql)
        return person
    }

    /// The one active person of the tenant with this e-mail who is not yet bound to this issuer and
    /// holds nothing beyond the tenant (a provider's e-mail never takes over wider authority). One
    /// already bound is never bound again to another subject: their e-mail no longer decides.
    private func linkable(_ email: String, _ issuer: String, _ scope: TenantScope, on sql: any SQLDatabase)
        async throws -> Person?
    {
        let found = try await sql.select().column("*").from("people").where("tenant_id", .equal, scope.tenantId)
            .where(SQLFunction("LOWER", args: SQLIdentifier("email")), .equal, SQLBind(email.lowercased()))
            .where("deleted_at", .is, SQLLiteral.null).limit(2).all(decoding: Person.self, with: .snake)
        guard found.count == 1, let person = found.first else { return nil }
        if try await store.links(of: person.id, on: sql).contains(where: { $0.issuer == issuer }) { return nil }
        guard person.active else { throw Refusal.inactive }
        let grants = try await directory.grants(of: person.id, on: sql)
        if grants.contains(where: { $0.role == Role.systemAdmin.rawValue || $0.tenantId != scope.tenantId }) {
            throw Refusal.moreAuthority
        }
        return person
    }

    private func create(
        _ identity: OIDCClient.Identity, scope: TenantScope, actor: AuditLog.Actor, on sql: any SQLDatabase
    ) async throws -> Person {
        var login: String?
        var candidates = [identity.preferredUsername, identity.email].compactMap { $0?.lowercased() }
        // A provider that names nobody still gives a stable login, from its key.
        if candidates.isEmpty {
            candidates = ["sso-" + Secrets.sha256Hex(identity.issuer + " " + identity.subject).prefix(12)]
        }
        for candidate in candidates {
            var v = Validator()
            guard let valid = v.login("login", candidate), v.errors.isEmpty else { continue }
            if try await directory.person(login: valid, on: sql) == nil {
                login = valid
                break
            }
        }
        guard let login else { throw Refusal.loginTaken }
        guard let unit = try await directory.rootUnit(in: scope, on: sql) else { throw Refusal.noAccount }
        var v = Validator()
        let email = identity.emailVerified ? v.email("email", identity.email) : nil
        let name = v.text("displayName", identity.name, max: 100) ?? login
        let now = Timestamp.now()
        let person = Person(
            id: UUIDs.make(), tenantId: scope.tenantId, login: login, displayName: name, nameKana: nil,
            email: v.errors.isEmpty ? email : nil, locale: Lang.ja.rawValue, active: true, createdAt: now,
            updatedAt: now)
        try await DirectoryService.admit(
            person, to: unit.id, title: nil, from: TokyoDate.today(), scope: scope,
            actor: actor, on: sql)
        return person
    }

    private func bind(
        _ person: Person, _ identity: OIDCClient.Identity, provider: IdentityProvider, how: String,
        actor: AuditLog.Actor, on sql: any SQLDatabase
    ) async throws {
        let link = IdentityLink(
            id: UUIDs.make(), personId: person.id, tenantId: provider.tenantId, issuer: identity.issuer,
            subject: identity.subject, createdAt: Timestamp.now(), lastUsedAt: Timestamp.now())
        try await store.insert(link, on: sql)
        try await AuditLog.record(
            "person.identity_linked", tenantId: provider.tenantId, actor: actor, targetType: "person",
            targetId: person.id, after: ["issuer": identity.issuer, "subject": identity.subject, "how": how], on: sql)
    }
}
