import Foundation
import SQLKit

/// The roles a tenant's group table gives a person: for the groups their identity provider sent at
/// the last sign-in and the SCIM groups their directory put them in. Granted roles are marked as the
/// groups' (`source = idp`) and taken away again when no group gives them; roles granted on the
/// pages are left alone, a system administrator is never granted, the tenant's last
/// administrator is kept.
enum GroupRoles {
    /// After a sign-in with `tokenGroups`, or (nil) after a change of SCIM groups.
    static func sync(
        _ person: Person, tokenGroups: [String]?, provider: IdentityProvider, actor: AuditLog.Actor,
        on sql: any SQLDatabase
    ) async throws {
        var groups = try await scimGroups(of: person.id, tenantId: provider.tenantId, on: sql)
        if let tokenGroups {
            groups.formUnion(tokenGroups.map { $0.trimmingCharacters(in: .whitespaces) })
        } else {
            groups.formUnion(try await lastSignInGroups(of: person.id, issuer: provider.issuer, on: sql))
        }
        try await apply(groups, to: person, provider: provider, actor: actor, on: sql)
    }

    /// After SCIM changed who is in which group: those people's roles again, where the tenant has a
    /// provider (the group table is part of its registration).
    static func refresh(_ personIds: Set<String>, tenantId: String, actor: AuditLog.Actor, on sql: any SQLDatabase)
        async throws
    {
        guard !personIds.isEmpty,
            let provider = try await IdentityProviderStore().provider(ofTenant: tenantId, on: sql)
        else { return }
        let directory = DirectoryRepository()
        for id in personIds.sorted() {
            guard let person = try await directory.person(id: id, on: sql), person.tenantId == tenantId else {
                continue
            }
            try await sync(person, tokenGroups: nil, provider: provider, actor: actor, on: sql)
        }
    }

    private static func apply(
        _ groups: Set<String>, to person: Person, provider: IdentityProvider, actor: AuditLog.Actor,
        on sql: any SQLDatabase
    ) async throws {
        let directory = DirectoryRepository()
        let wanted = try await IdentityProviderStore().mappings(of: provider.id, on: sql)
            .filter { groups.contains($0.groupName) && $0.role != Role.systemAdmin.rawValue }
        let scope = TenantScope.signIn(provider)
        let grants = try await directory.grants(of: person.id, in: scope, on: sql)
        let sources = try await Self.sources(of: grants.map(\.id), on: sql)
        var added: Set<String> = []
        for mapping in wanted where !grants.contains(where: { $0.role == mapping.role && $0.team == mapping.team }) {
            guard added.insert(mapping.role + ":" + mapping.team).inserted else { continue }
            let grant = RoleGrant(
                id: UUIDs.make(), personId: person.id, tenantId: provider.tenantId, role: mapping.role,
                team: mapping.team, grantedAt: Timestamp.now(), grantedBy: nil)
            try await directory.insert(grant, on: sql)
            try await sql.update("role_grants").set("source", to: "idp").where("id", .equal, grant.id).run()
            try await AuditLog.record(
                "role.granted", tenantId: provider.tenantId, actor: actor, targetType: "person",
                targetId: person.id, after: grant, on: sql)
        }
        for grant in grants where sources[grant.id] == "idp" {
            guard !wanted.contains(where: { $0.role == grant.role && $0.team == grant.team }) else { continue }
            if grant.role == Role.tenantAdmin.rawValue, try await directory.isLast(grant, on: sql) { continue }
            try await directory.deleteGrant(grant.id, in: scope, on: sql)
            try await AuditLog.record(
                "role.revoked", tenantId: provider.tenantId, actor: actor, targetType: "person",
                targetId: person.id, before: grant, on: sql)
        }
    }

    static func scimGroups(of personId: String, tenantId: String, on sql: any SQLDatabase) async throws
        -> Set<String>
    {
        let names = try await sql.select().column(
            SQLAlias(SQLColumn("display_name", table: "g"), as: SQLIdentifier("name"))
        )
        .from(SQLAlias(SQLIdentifier("scim_group_members"), as: SQLIdentifier("m")))
        .join(
            SQLAlias(SQLIdentifier("scim_groups"), as: SQLIdentifier("g")), on: SQLColumn("id", table: "g"),
            .equal, SQLColumn("group_id", table: "m")
        )
        .where(SQLColumn("member_id", table: "m"), .equal, SQLBind(personId))
        .where(SQLColumn("tenant_id", table: "g"), .equal, SQLBind(tenantId))
        .all(decodingColumn: "name", as: String.self)
        return Set(names)
    }

    private static func lastSignInGroups(of personId: String, issuer: String, on sql: any SQLDatabase) async throws
        -> [String]
    {
        let stored =
            try await sql.select().column("groups").from("identity_links").where("person_id", .equal, personId)
            .where("issuer", .equal, issuer).first(decodingColumn: "groups", as: String?.self) ?? nil
        return stored.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }

    private static func sources(of ids: [String], on sql: any SQLDatabase) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable {
            var id: String
            var source: String?
        }
        let rows = try await sql.select().column("id").column("source").from("role_grants").where("id", .in, ids)
            .all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.source.map { (row.id, $0) } })
    }
}
