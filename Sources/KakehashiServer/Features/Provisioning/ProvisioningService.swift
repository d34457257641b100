import Foundation
import KakehashiCore
import SQLKit

/// A tenant's people as its identity provider provisions them (SCIM): created with no roles in the
/// unit their department names (or the tenant's root unit), updated, deactivated (`Leavers`), deleted.
/// Each write is audited as the token's; a department that names another unit is a dated transfer
/// (人事異動) with the history kept.
struct ProvisioningService: Sendable {
    let database: AppDatabase
    var notifier: Notifier?
    let directory = DirectoryRepository()

    struct Row: Decodable, Sendable {
        var id: String
        var tenantId: String
        var login: String
        var displayName: String
        var email: String?
        var active: Bool
        var createdAt: String
        var updatedAt: String
        var externalId: String?
        var scimDocument: String?

        var person: Person {
            Person(
                id: id, tenantId: tenantId, login: login, displayName: displayName, nameKana: nil, email: email,
                locale: Lang.ja.rawValue, active: active, createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    /// What a write takes from a checked document.
    struct Change: Sendable {
        let login: String
        let displayName: String
        let email: String?
        /// Unassigned (left out, or removed by PATCH) is active, as for a new person. A person
        /// deactivated on the pages is returned as `active: false`, so a PATCH keeps them so.
        let active: Bool
        let externalId: String?
        let department: String?
        let stored: String

        init(_ document: SCIMDocument) throws {
            var v = Validator()
            let login = v.login("userName", document.userName?.lowercased())
            let name = v.text("displayName", document.displayName, max: 100, required: true)
            let email = v.email("emails", document.email)
            let externalId = v.text("externalId", document.externalId, max: 200)
            try v.check()
            (self.login, displayName, self.email, active) = (login!, name!, email, document.active ?? true)
            (self.externalId, department, stored) = (externalId, document.department, document.storedJSON)
        }
    }

    static func users(
        _ scope: TenantScope, login: String? = nil, externalId: String? = nil, id: String? = nil,
        on sql: any SQLDatabase
    ) async throws -> [Row] {
        let query = sql.select()
            .columns(
                "id", "tenant_id", "login", "display_name", "email", "active", "created_at", "updated_at",
                "external_id", "scim_document"
            )
            .from("people").where("tenant_id", .equal, scope.tenantId).where("deleted_at", .is, SQLLiteral.null)
        if let login { query.where("login", .equal, login.lowercased()) }
        if let externalId { query.where("external_id", .equal, externalId) }
        if let id { query.where("id", .equal, id) }
        return try await query.orderBy("created_at").orderBy("id").all(decoding: Row.self, with: .snake)
    }

    func create(_ change: Change, scope: TenantScope, actor: AuditLog.Actor) async throws -> Row {
        let directory = self.directory
        return try await database.transaction { sql in
            try await Self.ensureUnique(change, except: nil, scope: scope, on: sql)
            var placed = try await Self.unit(named: change.department, scope: scope, on: sql)
            if placed == nil { placed = try await directory.rootUnit(in: scope, on: sql)?.id }
            guard let unitId = placed else {
                throw SCIMError(status: 500, detail: "the tenant has no org unit to place people in")
            }
            let now = Timestamp.now()
            let person = Person(
                id: UUIDs.make(), tenantId: scope.tenantId, login: change.login,
                displayName: change.displayName, nameKana: nil, email: change.email,
                locale: Lang.ja.rawValue, active: change.active, createdAt: now, updatedAt: now)
            try await DirectoryService.admit(person, to: unitId, title: nil, from: TokyoDate.today(), scope: scope,
                                             actor: actor, on: sql)
            try await Self.setProvisioned(change, personId: person.id, scope: scope, on: sql)
            return try await Self.row(person.id, scope: scope, on: sql)
        }
    }

    /// PUT, and PATCH once applied: the whole user as the provider now has it.
    func replace(_ id: String, _ change: Change, scope: TenantScope, actor: AuditLog.Actor) async throws -> Row {
        let directory = self.directory
        let notifier = self.notifier
        return try await database.transaction { sql in
            let before = try await Self.row(id, scope: scope, on: sql)
            try await Self.ensureWithinTenant(id, scope: scope, on: sql)
            try await Self.ensureUnique(change, except: id, scope: scope, on: sql)
            let old = before.scimDocument.flatMap(Self.department(in:))
            let active = change.active
            try await sql.update("people").set("login", to: change.login).set("display_name", to: change.displayName)
                .set("email", to: change.email).set("active", to: active)
                .set("updated_at", to: Timestamp.now())
                .where("tenant_id", .equal, scope.tenantId).where("id", .equal, id).run()
            try await Self.setProvisioned(change, personId: id, scope: scope, on: sql)
            let after = try await Self.row(id, scope: scope, on: sql)
            try await AuditLog.record(
                "person.updated", tenantId: scope.tenantId, actor: actor, targetType: "person",
                targetId: id, before: before.person, after: after.person, on: sql)
            if before.active && !active {
                try await Leavers.offboard(after.person, actor: actor, notifier: notifier, on: sql)
            }
            if let department = change.department, department != old,
                let unit = try await Self.unit(named: department, scope: scope, on: sql)
            {
                try await Self.move(id, to: unit, scope: scope, actor: actor, directory: directory, on: sql)
            }
            return after
        }
    }

    /// DELETE: the person stays in the records (history, audit) as an inactive account the
    /// endpoint no longer shows; everything they held ends.
    func delete(_ id: String, scope: TenantScope, actor: AuditLog.Actor) async throws {
        let notifier = self.notifier
        try await database.transaction { sql in
            let before = try await Self.row(id, scope: scope, on: sql)
            try await Self.ensureWithinTenant(id, scope: scope, on: sql)
            try await sql.update("people").set("active", to: false).set("deleted_at", to: Timestamp.now())
                .set("updated_at", to: Timestamp.now())
                .where("tenant_id", .equal, scope.tenantId).where("id", .equal, id).run()
            var after = before.person
            after.active = false
            try await AuditLog.record(
                "person.deprovisioned", tenantId: scope.tenantId, actor: actor, targetType: "person",
                targetId: id, before: before.person, after: after, on: sql)
            if before.active { try await Leavers.offboard(after, actor: actor, notifier: notifier, on: sql) }
        }
    }

    // MARK: Helpers

    static func row(_ id: String, scope: TenantScope, on sql: any SQLDatabase) async throws -> Row {
        guard let row = try await users(scope, id: id, on: sql).first else { throw SCIMError.notFound }
        return row
    }

    /// A tenant's directory changes only what is the tenant's: not a system administrator, nor
    /// anyone holding a role in another tenant (their authority is granted on the pages).
    private static func ensureWithinTenant(_ id: String, scope: TenantScope, on sql: any SQLDatabase) async throws {
        let grants = try await DirectoryRepository().grants(of: id, on: sql)
        if grants.contains(where: { $0.role == Role.systemAdmin.rawValue || $0.tenantId != scope.tenantId }) {
            throw SCIMError(
                status: 403, detail: "This person holds authority beyond the tenant; change them on the pages.")
        }
    }

    private static func ensureUnique(
        _ change: Change, except id: String?, scope: TenantScope,
        on sql: any SQLDatabase
    ) async throws {
        if let other = try await DirectoryRepository().person(login: change.login, on: sql), other.id != id {
            throw SCIMError.uniqueness("userName \(change.login) is taken")
        }
        if let externalId = change.externalId {
            let others = try await sql.select().column("id").from("people").where("tenant_id", .equal, scope.tenantId)
                .where("external_id", .equal, externalId).where("deleted_at", .is, SQLLiteral.null)
                .all(decodingColumn: "id", as: String.self)
            if others.contains(where: { $0 != id }) { throw SCIMError.uniqueness("externalId \(externalId) is taken") }
        }
    }

    private static func setProvisioned(_ change: Change, personId: String, scope: TenantScope,
                                       on sql: any SQLDatabase) async throws {
        try await sql.update("people").set("external_id", to: change.externalId).set("scim_document", to: change.stored)
            .where("tenant_id", .equal, scope.tenantId).where("id", .equal, personId).run()
    }

    static func department(in stored: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any] else {
            return nil
        }
        return (object[SCIMSchema.enterpriseURN] as? [String: Any])?["department"] as? String
    }

    /// The unit valid today whose code or name is `department`.
    private static func unit(
        named department: String?, scope: TenantScope, on sql: any SQLDatabase
    ) async throws -> String? {
        guard let department, !department.isEmpty else { return nil }
        let today = TokyoDate.today()
        return try await DirectoryRepository().units(in: scope, on: sql)
            .first { $0.isValid(on: today) && ($0.code == department || $0.name == department) }?.id
    }

    /// 人事異動 from the provider, dated today; a membership that began today just changes unit.
    private static func move(
        _ personId: String, to unitId: String, scope: TenantScope, actor: AuditLog.Actor,
        directory: DirectoryRepository, on sql: any SQLDatabase
    ) async throws {
        let today = TokyoDate.today()
        let history = try await directory.memberships(of: personId, in: scope, on: sql)
        let current = history.first { $0.isPrimary && $0.validTo == nil }
        guard current?.orgUnitId != unitId else { return }
        if let current, current.validFrom >= today.iso {
            try await sql.delete(from: "memberships").where("tenant_id", .equal, scope.tenantId)
                .where("id", .equal, current.id).run()
        }
        try await DirectoryService.recordTransfer(personId, to: unitId, title: current?.title, from: today,
                                                  scope: scope, actor: actor, on: sql)
    }
}
