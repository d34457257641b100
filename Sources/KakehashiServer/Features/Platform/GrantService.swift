import Foundation
import KakehashiCore
import SQLKit

/// Access grants (アカウント管理): a person gets a role on an approved environment for a reason,
/// between two dates, approved by someone else who manages the tenant. Refused outright: a grant to
/// someone with no membership in the tenant, a vendor's grant past their contract, a grant longer
/// than a year, an approval by the requester. What breaks the rules later (MFA, a standing admin
/// grant, a transfer, an ended contract, an unreviewed break-glass use) is shown as a violation.
struct GrantService: Sendable {
    let database: AppDatabase
    var notifier: Notifier? = nil
    let repository = PlatformRepository()

    struct Input: Sendable {
        var login: String?
        var role: String?
        var accountKind: String?
        var mfa: Bool
        var vendor: Bool
        var contractEnds: String?
        var reason: String?
        var startsOn: String?
        var endsOn: String?
        var exceptionId: String?
    }

    static let longestDays = 366

    func request(_ environmentId: String, _ input: Input, principal: Principal) async throws -> AccessGrant {
        let access = PlatformAccess(principal: principal)
        var v = Validator()
        let login = v.text("login", input.login, max: 128, required: true)
        let role = v.choice("role", input.role, as: GrantRole.self, required: true)
        let kind = v.choice("accountKind", input.accountKind, as: AccountKind.self) ?? (role == .breakglass ? .breakglass : .named)
        let reason = v.longText("reason", input.reason, max: 1_000, required: true)
        let starts = v.date("startsOn", input.startsOn, required: true)
        let ends = v.date("endsOn", input.endsOn, required: true)
        let contractEnds = v.date("contractEnds", input.contractEnds, required: input.vendor)
        if let starts, let ends {
            if ends < starts { v.fail("endsOn", "platform_grant_dates") }
            if ends.daysSinceEpoch - starts.daysSinceEpoch > Self.longestDays { v.fail("endsOn", "platform_grant_too_long", ["days": String(Self.longestDays)]) }
        }
        if input.vendor, let ends, let contractEnds, ends > contractEnds {
            v.fail("endsOn", "platform_grant_past_contract", ["date": contractEnds.iso])
        }
        try v.check()
        let repository = self.repository, notifier = self.notifier
        return try await database.transaction { sql in
            guard let e = try await repository.environment(environmentId, tenants: access.readableTenants, on: sql) else { throw AppError.notFound }
            guard access.mayRequest(e.tenantId) || access.mayManage(e.tenantId) else { throw AppError.forbidden }
            guard e.isApproved else { throw PlatformError.notApproved.error }
            // One answer for "no such login" and "someone of another tenant", so the form tells nobody
            // which logins exist elsewhere.
            guard let person = try await DirectoryRepository().person(login: login!, on: sql), person.active,
                  try await Self.isMember(person.id, of: e.tenantId, on: sql) else {
                throw AppError.invalid([FieldError(field: "login", code: "platform_grant_not_member")])
            }
            let exceptionId = input.exceptionId.flatMap { $0.isEmpty ? nil : $0 }
            if let exceptionId {
                let found = try await BaselineRepository().exception(exceptionId, of: e.systemId, on: sql)
                guard found?.status == "approved" else { throw AppError.invalid([FieldError(field: "exceptionId", code: "platform_grant_exception")]) }
            }
            let grant = AccessGrant(id: UUIDs.make(), tenantId: e.tenantId, environmentId: e.id, personId: person.id, role: role!.rawValue,
                                    accountKind: kind.rawValue, mfa: input.mfa, vendor: input.vendor, contractEnds: contractEnds?.iso, reason: reason!,
                                    startsOn: starts!.iso, endsOn: ends!.iso, exceptionId: exceptionId, status: GrantStatus.requested.rawValue,
                                    requestedBy: principal.id, requestedAt: Timestamp.now(), decidedBy: nil, decidedAt: nil, confirmedOn: nil)
            try await repository.insert(grant, on: sql)
            try await AuditLog.record("platform.grant_requested", tenantId: e.tenantId, actor: .init(principal), targetType: "environment",
                                      targetId: e.id, after: grant, on: sql)
            try await notifier?.notify(try await PlatformRecipients.managers(of: e.tenantId, on: sql), of: .grantRequested,
                                       params: ["person": person.displayName, "role": role!.rawValue], link: "/platform/environments/\(e.id)", except: principal.id, on: sql)
            return grant
        }
    }

    /// A person belongs to a tenant through a current membership or a role there.
    static func isMember(_ personId: String, of tenant: String, on sql: any SQLDatabase) async throws -> Bool {
        let today = TokyoDate.today().iso
        let rows = try await sql.raw("""
            SELECT person_id FROM memberships WHERE person_id = \(bind: personId) AND tenant_id = \(bind: tenant)
              AND valid_from <= \(bind: today) AND (valid_to IS NULL OR valid_to >= \(bind: today))
            UNION SELECT person_id FROM role_grants WHERE person_id = \(bind: personId) AND tenant_id = \(bind: tenant)
            """).all()
        return !rows.isEmpty
    }

    /// `approve` or `reject` a request, or `revoke` an approved grant — by someone who manages the tenant;
    /// a request is never decided by the person who made it.
    func decide(_ grantId: String, action: String, principal: Principal) async throws -> AccessGrant {
        let access = PlatformAccess(principal: principal)
        let repository = self.repository, notifier = self.notifier
        return try await database.transaction { sql in
            guard var g = try await repository.grant(grantId, on: sql), access.mayRead(g.tenantId) else { throw AppError.notFound }
            guard access.mayManage(g.tenantId) else { throw AppError.forbidden }
            let today = TokyoDate.today().iso, now = Timestamp.now()
            switch (action, g.status) {
            case ("approve", GrantStatus.requested.rawValue), ("reject", GrantStatus.requested.rawValue):
                guard PlatformDuties.mayDecide(g, by: principal.id) else { throw PlatformDuties.refusal }
                g.status = action == "approve" ? GrantStatus.approved.rawValue : GrantStatus.rejected.rawValue
                try await repository.setGrant(g.id, status: g.status, by: principal.id, at: now, confirmedOn: action == "approve" ? today : nil, on: sql)
            case ("revoke", GrantStatus.approved.rawValue):
                g.status = GrantStatus.revoked.rawValue
                try await repository.setGrant(g.id, status: g.status, by: nil, at: nil, confirmedOn: nil, on: sql)
            case ("approve", _), ("reject", _), ("revoke", _):
                throw CommonError.staleVersion.error
            default:
                throw AppError.invalid([FieldError(field: "action", code: "invalid_choice")])
            }
            try await AuditLog.record("platform.grant_\(g.status)", tenantId: g.tenantId, actor: .init(principal), targetType: "environment",
                                      targetId: g.environmentId, after: ["grant": g.id, "status": g.status], on: sql)
            try await notifier?.notify([g.requestedBy, g.personId], of: .grantDecided, params: ["role": g.role, "grantStatus": g.status],
                                       link: "/platform/environments/\(g.environmentId)", except: principal.id, on: sql)
            return g
        }
    }

    /// A use of a break-glass grant, recorded by the tenant's managers or its holder; reviewed by a manager who did not record it.
    func recordUse(_ grantId: String, usedOn: String?, reason: String?, principal: Principal) async throws {
        let access = PlatformAccess(principal: principal)
        var v = Validator()
        let day = v.date("usedOn", usedOn, required: true)
        if let day, day > TokyoDate.today() { v.fail("usedOn", "date_in_future") }
        let reason = v.longText("useReason", reason, max: 1_000, required: true)
        try v.check()
        let repository = self.repository
        try await database.transaction { sql in
            guard let g = try await repository.grant(grantId, on: sql), access.mayRead(g.tenantId) else { throw AppError.notFound }
            guard access.mayManage(g.tenantId) || g.personId == principal.id else { throw AppError.forbidden }
            guard g.accountKind == AccountKind.breakglass.rawValue else { throw PlatformError.notBreakglass.error }
            let use = BreakglassUse(id: UUIDs.make(), grantId: g.id, usedOn: day!.iso, reason: reason!, recordedBy: principal.id, reviewedBy: nil, reviewedAt: nil)
            try await repository.insert(use, on: sql)
            try await AuditLog.record("platform.breakglass_used", tenantId: g.tenantId, actor: .init(principal), targetType: "environment",
                                      targetId: g.environmentId, after: use, on: sql)
        }
    }

    func reviewUse(_ useId: String, principal: Principal) async throws {
        let access = PlatformAccess(principal: principal)
        let repository = self.repository
        try await database.transaction { sql in
            guard let use = try await repository.use(useId, on: sql), let g = try await repository.grant(use.grantId, on: sql), access.mayRead(g.tenantId) else {
                throw AppError.notFound
            }
            guard access.mayManage(g.tenantId) else { throw AppError.forbidden }
            guard PlatformDuties.mayReview(use, of: g, by: principal.id) else { throw PlatformDuties.refusal }
            guard use.reviewedAt == nil else { throw CommonError.staleVersion.error }
            try await repository.reviewUse(useId, by: principal.id, at: Timestamp.now(), on: sql)
            try await AuditLog.record("platform.breakglass_reviewed", tenantId: g.tenantId, actor: .init(principal), targetType: "environment",
                                      targetId: g.environmentId, after: ["use": useId], on: sql)
        }
    }

    /// The rules each approved grant of the environments breaks today, by grant id.
    static func violations(_ grants: [AccessGrant], environments: [String: PlatformEnvironment], on sql: any SQLDatabase) async throws -> [String: [AccessRule]] {
        let approved = grants.filter(\.isApproved)
        guard !approved.isEmpty else { return [:] }
        let today = TokyoDate.today()
        let transfers = try await PlatformRepository().latestMembershipStarts(of: Array(Set(approved.map(\.personId))), on: sql)
        let uses = try await PlatformRepository().uses(of: approved.map(\.id), on: sql)
        let exceptionIds = approved.compactMap(\.exceptionId)
        var activeExceptions = Set<String>()
        if !exceptionIds.isEmpty {
            struct Row: Decodable { let id: String; let status: String; let expires: String }
            let rows = try await sql.select().column("id").column("status").column("expires").from("baseline_exceptions").where("id", .in, exceptionIds)
                .all(decoding: Row.self, with: .snake)
            activeExceptions = Set(rows.filter { $0.status == "approved" && $0.expires >= today.iso }.map(\.id))
        }
        var out: [String: [AccessRule]] = [:]
        for g in approved {
            guard let starts = LocalDate(iso: g.startsOn), let ends = LocalDate(iso: g.endsOn) else { continue }
            let facts = GrantFacts(role: g.role, stage: environments[g.environmentId]?.stage ?? "", accountKind: g.accountKind, mfa: g.mfa, vendor: g.vendor,
                                   contractEnds: g.contractEnds.flatMap { LocalDate(iso: $0) }, startsOn: starts, endsOn: ends,
                                   exceptionActive: g.exceptionId.map(activeExceptions.contains) ?? false,
                                   lastTransfer: transfers[g.personId].flatMap { LocalDate(iso: $0) },
                                   confirmedOn: g.confirmedOn.flatMap { LocalDate(iso: $0) } ?? starts,
                                   unreviewedBreakglassUses: uses.filter { $0.grantId == g.id && $0.reviewedAt == nil }.count)
            let broken = AccessRules.violations(facts, today: today)
            if !broken.isEmpty { out[g.id] = broken }
        }
        return out
    }
}
