import KakehashiCore
import SQLKit

/// How loaded each specialist and desk officer is: active engagements, the effort they were
/// assigned, and the gates coming up on them.
struct WorkloadRepository: Sendable {
    struct PersonLoad: Decodable, Sendable {
        let personId: String
        let login: String
        let displayName: String
        let team: String
        let engagements: Int
        let effort: Int
        let nextGate: String?
        let gatesSoon: Int
    }

    /// The same, with gates counted over the workload page's horizon (for pickers that show the load).
    func people(on sql: any SQLDatabase) async throws -> [PersonLoad] {
        try await people(gatesBefore: TokyoDate.today().adding(days: WorkloadRoutes.horizonDays), on: sql)
    }

    /// Every specialist (and desk officer, as team `desk`) of the desk's tenant, busiest first.
    /// Leading an engagement counts as one, with no assigned effort.
    func people(gatesBefore horizon: LocalDate, on sql: any SQLDatabase) async throws -> [PersonLoad] {
        try await sql.raw("""
            SELECT g.person_id, p.login, p.display_name, CASE WHEN g.role = 'deskOfficer' THEN 'desk' ELSE g.team END AS team,
                   COALESCE(l.engagements, 0) AS engagements, COALESCE(l.effort, 0) AS effort,
                   n.next_gate, COALESCE(n.gates_soon, 0) AS gates_soon
            FROM role_grants g
            JOIN people p ON p.id = g.person_id AND p.active = \(bind: true)
            LEFT JOIN (
                SELECT x.person_id, COUNT(DISTINCT x.engagement_id) AS engagements, SUM(x.effort) AS effort
                FROM (SELECT engagement_id, person_id, effort_percent AS effort FROM engagement_members WHERE left_on IS NULL
                      UNION ALL SELECT id AS engagement_id, lead_id AS person_id, 0 AS effort FROM engagements) x
                JOIN engagements e ON e.id = x.engagement_id AND e.state = 'active'
                GROUP BY x.person_id
            ) l ON l.person_id = g.person_id
            LEFT JOIN (
                SELECT x.person_id, MIN(ph.gate_due) AS next_gate,
                       SUM(CASE WHEN ph.gate_due <= \(bind: horizon.iso) THEN 1 ELSE 0 END) AS gates_soon
                FROM engagement_phases ph
                JOIN engagements e ON e.id = ph.engagement_id AND e.state = 'active'
                JOIN (SELECT engagement_id, person_id FROM engagement_members WHERE left_on IS NULL
                      UNION SELECT id AS engagement_id, lead_id AS person_id FROM engagements) x ON x.engagement_id = e.id
                WHERE ph.status = 'current' AND ph.gate_due IS NOT NULL GROUP BY x.person_id
            ) n ON n.person_id = g.person_id
            WHERE g.tenant_id = \(bind: DeskAccess.deskTenantId) AND g.role IN ('specialist', 'deskOfficer')
            ORDER BY effort DESC, engagements DESC, p.display_name
            """).all(decoding: PersonLoad.self, with: .snake)
    }
}
