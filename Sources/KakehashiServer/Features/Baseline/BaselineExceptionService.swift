import Foundation
import KakehashiCore
import SQLKit

/// The exception workflow (例外承認): those who keep a tenant's catalog request an exception to a
/// control for a system; the tenant's administrator (or a system administrator), never the person
/// who asked, approves or rejects it, and may revoke it later. Approved exceptions apply to runs
/// until the day they expire. Every step is in the audit trail; the deciders hear of a request,
/// the requester of the decision, and both of an approval coming to its end (`BaselineReminders`).
struct BaselineExceptionService: Sendable {
    let database: AppDatabase
    let library: BaselineLibrary
    let notifier: Notifier
    let repository = BaselineRepository()

    struct Request: Sendable {
        var control: String
        var resources: String
        var reason: String
        var compensating: String
        var expires: String
    }

    static let longest = 3 * 366

    func request(_ systemId: String, _ r: Request, principal: Principal) async throws -> StoredBaselineException {
        var v = Validator()
        if library.catalog.controls[r.control] == nil { v.fail("control", "invalid_choice") }
        let resources = r.resources.trimmingCharacters(in: .whitespaces).isEmpty ? "*" : r.resources.trimmingCharacters(in: .whitespaces)
        if resources.count > 200 { v.fail("resources", "too_long", ["max": "200"]) }
        let reason = v.text("reason", r.reason, max: 2_000, required: true) ?? ""
        let compensating = v.text("compensating", r.compensating, max: 2_000, required: true) ?? ""
        let today = TokyoDate.today()
        if let day = LocalDate(iso: r.expires) {
            if day < today || day.daysSinceEpoch - today.daysSinceEpoch > Self.longest { v.fail("expires", "exception_expiry", ["years": "3"]) }
        } else {
            v.fail("expires", "invalid_date")
        }
        try v.check()
        let access = PortfolioAccess(principal: principal)
        let repository = self.repository, notifier = self.notifier
        return try await database.transaction { sql in
            guard let system = try await PortfolioRepository().find(systemId, tenants: access.readableTenantIds, on: sql) else { throw AppError.notFound }
            guard access.mayEdit(system.tenantId) else { throw AppError.forbidden }
            let e = StoredBaselineException(id: UUIDs.make(), tenantId: system.tenantId, systemId: systemId, control: r.control, resources: resources,
                                            reason: reason, compensating: compensating, expires: r.expires, status: "requested",
                                            requestedBy: principal.id, requestedAt: Timestamp.now(), decidedBy: nil, decidedAt: nil)
            try await repository.insert(e, on: sql)
            try await AuditLog.record("baseline.exception_requested", tenantId: system.tenantId, actor: .init(principal), targetType: "system",
                                      targetId: systemId, after: e, on: sql)
            try await notifier.notify(try await ExceptionDeciders.people(of: system.tenantId, on: sql), of: .exceptionRequested,
                                      params: ["control": e.control, "system": "\(system.code) \(system.name)"],
                                      link: "/portfolio/systems/\(systemId)/baseline", except: principal.id, on: sql)
            return e
        }
    }

    /// `approve`, `reject` (a request) or `revoke` (an approved exception).
    func decide(_ systemId: String, exception id: String, action: String, principal: Principal) async throws {
        let access = PortfolioAccess(principal: principal)
        let repository = self.repository, notifier = self.notifier
        try await database.transaction { sql in
            guard let system = try await PortfolioRepository().find(systemId, tenants: access.readableTenantIds, on: sql),
                  let e = try await repository.exception(id, of: systemId, on: sql) else { throw AppError.notFound }
            guard ExceptionDeciders.mayDecide(principal, tenant: system.tenantId) else { throw AppError.forbidden }
            guard e.requestedBy != principal.id else { throw BaselineError.exceptionOwnRequest.error }
            let next: String
            switch (action, e.status) {
            case ("approve", "requested"): next = "approved"
            case ("reject", "requested"): next = "rejected"
            case ("revoke", "approved"): next = "revoked"
            default: throw CommonError.staleVersion.error
            }
            try await repository.decide(id, status: next, by: principal.id, at: Timestamp.now(), on: sql)
            try await AuditLog.record("baseline.exception_\(next)", tenantId: system.tenantId, actor: .init(principal), targetType: "system",
                                      targetId: systemId, before: ["status": e.status], after: ["status": next, "exception": id], on: sql)
            try await notifier.notify([e.requestedBy], of: .exceptionDecided,
                                      params: ["control": e.control, "system": "\(system.code) \(system.name)", "status": next],
                                      link: "/portfolio/systems/\(systemId)/baseline", except: principal.id, on: sql)
        }
    }
}
