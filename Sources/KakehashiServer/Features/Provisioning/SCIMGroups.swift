import Foundation
import SQLKit

/// A tenant's groups as its directory provisions them (SCIM `/Groups`): a name, the provider's key
/// and the people in it. A change of members brings those people's roles in line with the tenant's
/// group table (`GroupRoles`). Each write is audited as the token's.
struct SCIMGroupService: Sendable {
    let database: AppDatabase

    struct Row: Decodable, Sendable {
        var id: String
        var tenantId: String
        var displayName: String
        var externalId: String?
        var createdAt: String
        var updatedAt: String
    }

    /// `displayName` is nil while the reference names nobody of the tenant.
    struct Member: Decodable, Sendable {
        var groupId: String
        var memberId: String
        var displayName: String?
    }

    /// What a write takes from a group document (POST, PUT, or a PATCH once applied).
    struct Change: Sendable {
        let displayName: String
        let externalId: String?
        let members: [String]

        init(_ json: [String: Any]) throws {
            var name: String?
            var externalId: String?
            var members: [String] = []
            for (key, value) in json {
                switch key.lowercased() {
                case "schemas", "id", "meta": continue
                case "displayname": name = value as? String
                case "externalid":
                    guard value is NSNull || value is String else {
                        throw SCIMError.invalidValue("externalId must be a string")
                    }
                    externalId = value as? String
                case "members":
                    guard let items = value as? [Any] else { throw SCIMError.invalidValue("members is a list") }
                    for item in items {
                        guard let object = item as? [String: Any],
                            let id = SCIMPath.lookup("value", in: object) as? String
                        else { throw SCIMError.invalidValue("each member has a value: the user's id") }
                        if !members.contains(id) { members.append(id) }
                    }
                default:
                    throw SCIMError.invalidSyntax("unknown attribute \(key) of a Group")
                }
            }
            let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !trimmed.isEmpty, trimmed.count <= 200 else {
                throw SCIMError.invalidValue("displayName is required, at most 200 characters")
            }
            guard (externalId?.count ?? 0) <= 200 else { throw SCIMError.invalidValue("externalId is too long") }
            (displayName, self.externalId, self.members) = (trimmed, externalId, members)
        }
    }

    static func groups(
        _ scope: TenantScope, displayName: String? = nil, externalId: String? = nil, id: String? = nil,
        on sql: any SQLDatabase
    ) async throws -> [Row] {
        let query = sql.select().column("*").from("scim_groups").where("tenant_id", .equal, scope.tenantId)
        if let displayName {
            query.where(
                SQLFunction("LOWER", args: SQLIdentifier("display_name")), .equal,
                SQLBind(displayName.lowercased()))
        }
        if let externalId { query.where("external_id", .equal, externalId) }
        if let id { query.where("id", .equal, id) }
        return try await query.orderBy("display_name").orderBy("id").all(decoding: Row.self, with: .snake)
    }

    static func members(of groupIds: [String], scope: TenantScope, on sql: any SQLDatabase) async throws
        -> [String: [Member]]
    {
        guard !groupIds.isEmpty else { return [:] }
        let rows = try await sql.select()
            .column(SQLColumn("group_id", table: "m")).column(SQLColumn("member_id", table: "m"))
            .column(SQLColumn("display_name", table: "p"))
            .from(SQLAlias(SQLIdentifier("scim_group_members"), as: SQLIdentifier("m")))
            .join(
                SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
                on: SQLQueryString("p.id = m.member_id AND p.tenant_id = m.tenant_id AND p.deleted_at IS NULL")
            )
            .where(SQLColumn("tenant_id", table: "m"), .equal, SQLBind(scope.tenantId))
            .where(SQLColumn("group_id", table: "m"), .in, SQLBind.group(groupIds))
            .orderBy(SQLColumn("member_id", table: "m"))
            .all(decoding: Member.self, with: .snake)
        return Dictionary(grouping: rows, by: \.groupId)
    }

    static func row(_ id: String, scope: TenantScope, on sql: any SQLDatabase) async throws -> Row {
        guard let row = try await groups(scope, id: id, on: sql).first else { throw SCIMError.notFound }
        return row
    }

    func create(_ change: Change, scope: TenantScope, actor: AuditLog.Actor) async throws -> Row {
        try await database.transaction { sql in
            try await Self.ensureUnique(change, except: nil, scope: scope, on: sql)
            let now = Timestamp.now()
            let id = UUIDs.make()
            try await sql.insert(into: "scim_groups")
                .columns("id", "tenant_id", "display_name", "external_id", "created_at", "updated_at")
                .values(
                    SQLBind(id), SQLBind(scope.tenantId), SQLBind(change.displayName), SQLBind(change.externalId),
                    SQLBind(now), SQLBind(now)
                )
                .run()
            let moved = try await Self.setMembers(change.members, of: id, scope: scope, on: sql)
            try await AuditLog.record(
                "group.created", tenantId: scope.tenantId, actor: actor, targetType: "group", targetId: id,
                after: ["displayName": change.displayName, "members": change.members.joined(separator: " ")], on: sql)
            try await GroupRoles.refresh(moved, tenantId: scope.tenantId, actor: actor, on: sql)
            return try await Self.row(id, scope: scope, on: sql)
        }
    }

    /// PUT, and PATCH once applied: the whole group as the provider now has it.
    func replace(_ id: String, _ change: Change, scope: TenantScope, actor: AuditLog.Actor) async throws -> Row {
        try await database.transaction { sql in
            let before = try await Self.row(id, scope: scope, on: sql)
            try await Self.ensureUnique(change, except: id, scope: scope, on: sql)
            try await sql.update("scim_groups").set("display_name", to: change.displayName)
                .set("external_id", to: change.externalId).set("updated_at", to: Timestamp.now())
                .where("tenant_id", .equal, scope.tenantId).where("id", .equal, id).run()
            let moved = try await Self.setMembers(change.members, of: id, scope: scope, on: sql)
            try await AuditLog.record(
                "group.changed", tenantId: scope.tenantId, actor: actor, targetType: "group", targetId: id,
                before: ["displayName": before.displayName],
                after: ["displayName": change.displayName, "membersChanged": moved.sorted().joined(separator: " ")],
                on: sql)
            // A new name changes which rows of the group table apply to every member.
            let affected = before.displayName == change.displayName ? moved : moved.union(change.members)
            try await GroupRoles.refresh(affected, tenantId: scope.tenantId, actor: actor, on: sql)
            return try await Self.row(id, scope: scope, on: sql)
        }
    }

    func delete(_ id: String, scope: TenantScope, actor: AuditLog.Actor) async throws {
        try await database.transaction { sql in
            let before = try await Self.row(id, scope: scope, on: sql)
            let moved = try await Self.setMembers([], of: id, scope: scope, on: sql)
            try await sql.delete(from: "scim_groups").where("tenant_id", .equal, scope.tenantId)
                .where("id", .equal, id).run()
            try await AuditLog.record(
                "group.deleted", tenantId: scope.tenantId, actor: actor, targetType: "group", targetId: id,
                before: ["displayName": before.displayName], on: sql)
            try await GroupRoles.refresh(moved, tenantId: scope.tenantId, actor: actor, on: sql)
        }
    }

    /// Makes the members exactly `wanted` (the provider's references); returns who joined or left.
    private static func setMembers(
        _ wanted: [String], of groupId: String, scope: TenantScope,
        on sql: any SQLDatabase
    ) async throws -> Set<String> {
        if let long = wanted.first(where: { $0.count > 200 }) {
            throw SCIMError.invalidValue("the member \(long.prefix(40))… is not a user's id")
        }
        let current = Set(
            try await sql.select().column("member_id").from("scim_group_members")
                .where("group_id", .equal, groupId).all(decodingColumn: "member_id", as: String.self))
        let target = Set(wanted)
        let leaving = current.subtracting(target)
        let joining = target.subtracting(current)
        if !leaving.isEmpty {
            try await sql.delete(from: "scim_group_members").where("group_id", .equal, groupId)
                .where("member_id", .in, Array(leaving)).run()
        }
        for member in joining.sorted() {
            try await sql.insert(into: "scim_group_members").columns("group_id", "member_id", "tenant_id")
                .values(SQLBind(groupId), SQLBind(member), SQLBind(scope.tenantId)).run()
        }
        return leaving.union(joining)
    }

    private static func ensureUnique(
        _ change: Change, except id: String?, scope: TenantScope,
        on sql: any SQLDatabase
    ) async throws {
        let named = try await groups(scope, displayName: change.displayName, on: sql)
        if named.contains(where: { $0.id != id }) {
            throw SCIMError.uniqueness("displayName \(change.displayName) is taken")
        }
    }
}
