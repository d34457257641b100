import KakehashiCore
import SQLKit

/// What awaits the platform's and the tenants' people: environment requests to decide or review,
/// grants and exceptions to decide, access reviews assigned to them, exceptions about to expire,
/// systems whose support ends, people without a role, and the auditor's recent changes. The
/// tenants each query reaches come from the same access types as the pages, and nobody is asked
/// to decide their own request (PlatformDuties, ExceptionDeciders).
struct PlatformTasks: Sendable {
    let principal: Principal
    let today: LocalDate

    var personId: String { principal.id }
    private var platform: PlatformAccess { PlatformAccess(principal: principal) }
    private var cap: Int { DeskTasks.cap }

    func all(on sql: any SQLDatabase) async throws -> [InboxTask] {
        var tasks: [InboxTask] = []
        if platform.isPlatformTeam || platform.isSecurityReviewer { tasks += try await environmentDecisions(on: sql) }
        tasks += try await grantDecisions(on: sql)
        tasks += try await accessReviews(on: sql)
        tasks += try await exceptions(on: sql)
        tasks += try await supportEnding(on: sql)
        tasks += try await peopleWithoutRole(on: sql)
        tasks += try await auditRecent(on: sql)
        return tasks
    }

    /// Tenants where the person holds `role` themselves (a system administrator's reach over
    /// every tenant is not everyone's inbox).
    private func held(_ role: Role) -> [String] {
        Array(Set(principal.grants.filter { $0.role == role.rawValue }.map(\.tenantId))).sorted()
    }

    private struct EnvironmentRow: Decodable {
        let id: String
        let code: String
        let name: String
        let stage: String
        let submittedAt: String?
        let kind: String
    }

    func environmentDecisions(on sql: any SQLDatabase) async throws -> [InboxTask] {
        var parts: [SQLQueryString] = []
        if platform.isPlatformTeam { parts.append("e.platform_decision IS NULL") }
        if platform.isSecurityReviewer {
            parts.append("(e.needs_security = \(bind: true) AND e.security_decision IS NULL)")
        }
        let rows = try await sql.raw(
            """
            SELECT e.id, s.code, s.name, e.stage, e.submitted_at,
                   CASE WHEN \(unsafeRaw: platform.isPlatformTeam ? "e.platform_decision IS NULL" : "1 = 0")
                     THEN 'platform' ELSE 'security' END AS kind
            FROM environments e JOIN systems s ON s.id = e.system_id
            WHERE e.status = \(bind: EnvironmentStatus.submitted.rawValue) AND e.requested_by <> \(bind: personId)
              AND (\(parts.joined(separator: " OR ")))
            ORDER BY e.submitted_at LIMIT \(literal: cap)
            """
        ).all(decoding: EnvironmentRow.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: row.kind == "platform" ? .environmentDecision : .securityReview, title: "\(row.code) \(row.name)",
                href: "/platform/environments/\(row.id)", since: row.submittedAt ?? "", params: ["stage": row.stage],
                targetType: "environment", targetId: row.id)
        }
    }

    func grantDecisions(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let reach: SQLQueryString =
            platform.isPlatformTeam ? "1 = 1" : TenantReach.only(held(.tenantAdmin)).sql(column: "g.tenant_id")
        struct Row: Decodable {
            let id: String
            let environmentId: String
            let code: String
            let name: String
            let holder: String
            let role: String
            let requestedAt: String
        }
        let rows = try await sql.raw(
            """
            SELECT g.id, g.environment_id, s.code, s.name, p.display_name AS holder, g.role, g.requested_at
            FROM access_grants g JOIN environments e ON e.id = g.environment_id JOIN systems s ON s.id = e.system_id
            JOIN people p ON p.id = g.person_id
            WHERE g.status = \(bind: GrantStatus.requested.rawValue) AND \(reach)
              AND g.requested_by <> \(bind: personId) AND g.person_id <> \(bind: personId)
            ORDER BY g.requested_at LIMIT \(literal: cap)
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: .grantDecision, title: "\(row.code) \(row.name)",
                href: "/platform/environments/\(row.environmentId)#grants",
                since: row.requestedAt, params: ["holder": row.holder, "role": row.role], targetType: "access_grant",
                targetId: row.id)
        }
    }

    func accessReviews(on sql: any SQLDatabase) async throws -> [InboxTask] {
        struct Row: Decodable {
            let id: String
            let title: String
            let dueOn: String
            let open: Int
        }
        let rows = try await sql.raw(
            """
            SELECT r.id, r.title, r.due_on, COUNT(*) AS open
            FROM access_reviews r JOIN access_review_items i ON i.review_id = r.id
            WHERE r.status = 'open' AND i.reviewer_id = \(bind: personId) AND i.decision IS NULL
            GROUP BY r.id, r.title, r.due_on ORDER BY r.due_on LIMIT \(literal: cap)
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: .accessReview, title: row.title, href: "/platform/reviews/\(row.id)",
                due: LocalDate(iso: row.dueOn),
                count: row.open, targetType: "access_review", targetId: row.id)
        }
    }

    /// Requests to decide (tenant administrators, never their own) and approved exceptions that
    /// expire within 30 days (for those who decide them and the tenant's platform engineers).
    func exceptions(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let deciders = held(.tenantAdmin)
        let watchers = Array(Set(deciders + held(.platformEngineer))).sorted()
        guard !watchers.isEmpty else { return [] }
        struct Row: Decodable {
            let id: String
            let systemId: String
            let code: String
            let name: String
            let control: String
            let expires: String
            let status: String
            let requestedAt: String
            let requestedBy: String
            let tenantId: String
        }
        let horizon = today.adding(days: 30).iso
        let rows = try await sql.raw(
            """
            SELECT x.id, x.system_id, s.code, s.name, x.control, x.expires, x.status, x.requested_at, x.requested_by,
                   x.tenant_id
            FROM baseline_exceptions x JOIN systems s ON s.id = x.system_id
            WHERE \(TenantReach.only(watchers).sql(column: "x.tenant_id"))
              AND (x.status = 'requested' OR (x.status = 'approved' AND x.expires >= \(bind: today.iso)
                AND x.expires <= \(bind: horizon)))
            ORDER BY x.expires LIMIT \(literal: cap)
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.compactMap { row in
            let href = "/portfolio/systems/\(row.systemId)/baseline#exceptions"
            if row.status == "requested" {
                guard deciders.contains(row.tenantId), row.requestedBy != personId else { return nil }
                return InboxTask(
                    kind: .exceptionDecision, title: "\(row.code) \(row.name)", href: href, since: row.requestedAt,
                    params: ["control": row.control], targetType: "baseline_exception", targetId: row.id)
            }
            return InboxTask(
                kind: .exceptionExpiring, title: "\(row.code) \(row.name)", href: href,
                due: LocalDate(iso: row.expires),
                params: ["control": row.control], targetType: "baseline_exception", targetId: row.id)
        }
    }

    /// Per tenant the person keeps the catalog of: systems whose support has ended, and those
    /// whose support ends within a year (the earliest end of life among their components).
    func supportEnding(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let tenants = held(.platformEngineer)
        guard !tenants.isEmpty else { return [] }
        struct Row: Decodable {
            let tenantId: String
            let tenantName: String
            let ended: Int
            let soon: Int
        }
        let yearAhead = SupportHorizon.yearAhead(of: today).iso
        let rows = try await sql.raw(
            """
            SELECT t.id AS tenant_id, t.name AS tenant_name,
                   SUM(CASE WHEN eol.first_end < \(bind: today.iso) THEN 1 ELSE 0 END) AS ended,
                   SUM(CASE WHEN eol.first_end >= \(bind: today.iso) AND eol.first_end <= \(bind: yearAhead)
                     THEN 1 ELSE 0 END) AS soon
            FROM (SELECT s.tenant_id, MIN(c.end_of_life) AS first_end FROM systems s
              JOIN system_components c ON c.system_id = s.id
                  WHERE c.end_of_life IS NOT NULL
                    AND \(TenantReach.only(tenants).sql(column: "s.tenant_id")) GROUP BY s.id, s.tenant_id) eol
            JOIN tenants t ON t.id = eol.tenant_id
            GROUP BY t.id, t.name ORDER BY t.id
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.flatMap { row in
            [("ended", row.ended), ("year", row.soon)].filter { $0.1 > 0 }.map { when, count in
                InboxTask(kind: .supportEnding, title: row.tenantName, href: "/portfolio?tenant=\(row.tenantId)&support=\(when)",
                          params: ["when": when], count: count, targetType: "tenant", targetId: row.tenantId)
            }
        }
    }

    func peopleWithoutRole(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let tenants = held(.tenantAdmin)
        guard !tenants.isEmpty else { return [] }
        struct Row: Decodable {
            let tenantId: String
            let tenantName: String
            let n: Int
        }
        let rows = try await sql.raw(
            """
            SELECT t.id AS tenant_id, t.name AS tenant_name, COUNT(*) AS n FROM people p
              JOIN tenants t ON t.id = p.tenant_id
            WHERE p.active = \(bind: true) AND \(TenantReach.only(tenants).sql(column: "p.tenant_id"))
              AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = p.id)
            GROUP BY t.id, t.name ORDER BY t.id
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: .peopleWithoutRole, title: row.tenantName, href: "/t/\(row.tenantId)/people?role=none",
                count: row.n,
                targetType: "tenant", targetId: row.tenantId)
        }
    }

    /// For auditors: how many changes their tenants recorded in the last seven days.
    func auditRecent(on sql: any SQLDatabase) async throws -> [InboxTask] {
        let tenants = held(.auditor)
        guard !tenants.isEmpty else { return [] }
        struct Row: Decodable {
            let tenantId: String
            let tenantName: String
            let n: Int
            let last: String?
        }
        let since = today.adding(days: -7).iso
        let rows = try await sql.raw(
            """
            SELECT t.id AS tenant_id, t.name AS tenant_name, COUNT(a.seq) AS n, MAX(a.at) AS last
            FROM tenants t LEFT JOIN audit_events a ON a.tenant_id = t.id AND a.at >= \(bind: since)
            WHERE \(TenantReach.only(tenants).sql(column: "t.id"))
            GROUP BY t.id, t.name ORDER BY t.id
            """
        ).all(decoding: Row.self, with: .snake)
        return rows.map { row in
            InboxTask(
                kind: .auditRecent, title: row.tenantName, href: "/t/\(row.tenantId)/audit", since: row.last ?? "",
                count: row.n,
                targetType: "tenant", targetId: row.tenantId)
        }
    }
}
