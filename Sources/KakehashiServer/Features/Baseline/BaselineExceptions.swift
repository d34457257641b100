import Foundation
import KakehashiCore
import SQLKit

/// An exception as the server keeps it: requested by one person, approved or rejected by another.
struct StoredBaselineException: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var systemId: String
    var control: String
    var resources: String
    var reason: String
    var compensating: String
    var expires: String
    /// requested, approved, rejected, revoked.
    var status: String
    var requestedBy: String
    var requestedAt: String
    var decidedBy: String?
    var decidedAt: String?

    /// As the check applies it, when approved.
    var engine: BaselineException? {
        guard status == "approved", let day = LocalDate(iso: expires) else { return nil }
        return BaselineException(id: id, control: control, resources: resources, system: nil, reason: reason, compensating: compensating,
                                 approver: decidedBy ?? "", expires: day)
    }
}

/// Who decides exceptions: the tenant's administrators and system administrators, never the
/// person who asked.
enum ExceptionDeciders {
    static func mayDecide(_ principal: Principal, tenant: String) -> Bool {
        principal.isSystemAdmin || principal.has(.tenantAdmin, in: tenant)
    }

    /// The active people who may decide the tenant's exceptions, who hear of new requests.
    static func people(of tenant: String, on sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("""
            SELECT DISTINCT g.person_id FROM role_grants g JOIN people p ON p.id = g.person_id
            WHERE p.active = \(bind: true) AND ((g.tenant_id = \(bind: tenant) AND g.role = \(bind: Role.tenantAdmin.rawValue)) OR g.role = \(bind: Role.systemAdmin.rawValue))
            """)
            .all(decodingColumn: "person_id", as: String.self)
    }
}

extension BaselineRepository {
    func exceptions(of systemId: String, on sql: any SQLDatabase) async throws -> [StoredBaselineException] {
        try await sql.select().column("*").from("baseline_exceptions").where("system_id", .equal, systemId)
            .orderBy("requested_at", .descending).all(decoding: StoredBaselineException.self, with: .snake)
    }

    func exception(_ id: String, of systemId: String, on sql: any SQLDatabase) async throws -> StoredBaselineException? {
        try await sql.select().column("*").from("baseline_exceptions").where("id", .equal, id).where("system_id", .equal, systemId)
            .first(decoding: StoredBaselineException.self, with: .snake)
    }

    func insert(_ e: StoredBaselineException, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "baseline_exceptions").model(e, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func decide(_ id: String, status: String, by person: String, at time: String, on sql: any SQLDatabase) async throws {
        try await sql.update("baseline_exceptions").set("status", to: status).set("decided_by", to: person).set("decided_at", to: time)
            .where("id", .equal, id).run()
    }
}
