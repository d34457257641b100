import Foundation
import SQLKit

/// A tenant that signs in at its identity provider keeps a local administrator or two for when the
/// provider is down (break-glass). They may use a password while others may not, they must have a
/// second factor, and each of their password sign-ins is marked in the audit trail and reported to
/// the tenant's other administrators.
enum BreakGlass {
    static func report(
        _ person: Person, ip: String, method: String, notifier: Notifier?, on sql: any SQLDatabase
    ) async throws {
        try await AuditLog.record(
            "session.break_glass", tenantId: person.tenantId, actor: .init(signedIn: person),
            targetType: "person", targetId: person.id, after: ["ip": ip, "method": method], on: sql)
        let admins = try await sql.select().column("person_id").from("role_grants")
            .where("tenant_id", .equal, person.tenantId).where("role", .equal, Role.tenantAdmin.rawValue)
            .all(decodingColumn: "person_id", as: String.self)
        try await notifier?.notify(
            admins, of: .breakGlassSignIn, params: ["person": person.displayName, "ip": ip],
            link: "/t/\(person.tenantId)/audit?action=session.break_glass", except: person.id, on: sql)
    }

    /// Marks (or unmarks) a person as the tenant's break-glass administrator.
    static func mark(_ person: Person, on: Bool, actor: AuditLog.Actor, on sql: any SQLDatabase) async throws {
        try await sql.update("people").set(
            "break_glass_since", to: on ? SQLBind(Timestamp.now()) as any SQLExpression : SQLLiteral.null
        )
        .where("id", .equal, person.id).run()
        try await AuditLog.record(
            on ? "person.break_glass_marked" : "person.break_glass_unmarked", tenantId: person.tenantId,
            actor: actor, targetType: "person", targetId: person.id, on: sql)
    }
}
