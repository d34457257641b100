import KakehashiCore
import SQLKit

/// Reads what the fiscal-year report counts: the consultations submitted in the year, and the
/// activity logged during it.
struct DeskReportRepository: Sendable {
    private struct CaseRow: Decodable {
        let id: String
        let tenantId: String
        let orgUnitId: String
        let phase: String
        let state: String
        let firstResponseDue: String?
        let firstResponseOn: String?
        let decisionDue: String?
        let decidedOn: String?
        let satisfaction: Int?
    }

    private struct Pair: Decodable { let consultationId: String; let value: String }
    private struct EffortRow: Decodable { let minutes: Int; let team: String }

    func report(fiscalYear: FiscalYear, today: LocalDate, sla: DeskSLA, on sql: any SQLDatabase) async throws -> DeskReport {
        let year = fiscalYear.startYear
        let rows = try await sql.raw("""
            SELECT c.id, c.tenant_id, c.org_unit_id, c.phase, c.state, c.first_response_due, c.first_response_on,
                   c.decision_due, c.decided_on, e.satisfaction
            FROM consultations c LEFT JOIN engagements e ON e.consultation_id = c.id
            WHERE c.fiscal_year = \(bind: year) AND c.state <> 'draft'
            """).all(decoding: CaseRow.self, with: .snake)
        let kinds = try await pairs("""
            SELECT k.consultation_id, k.kind AS value FROM consultation_support_kinds k
            JOIN consultations c ON c.id = k.consultation_id WHERE c.fiscal_year = \(bind: year)
            """, on: sql)
        let teams = try await pairs("""
            SELECT e.consultation_id, m.team AS value FROM engagement_members m JOIN engagements e ON e.id = m.engagement_id
            JOIN consultations c ON c.id = e.consultation_id WHERE c.fiscal_year = \(bind: year)
            """, on: sql)
        // Summed in the database: a year holds thousands of activities, the answer a handful of rows.
        let effort = try await sql.raw("""
            SELECT COALESCE(m.team, 'desk') AS team, SUM(a.minutes) AS minutes FROM activities a
            LEFT JOIN engagement_members m ON m.engagement_id = a.engagement_id AND m.person_id = a.created_by
            WHERE a.occurred_on >= \(bind: fiscalYear.firstDay.iso) AND a.occurred_on <= \(bind: fiscalYear.lastDay.iso)
            GROUP BY COALESCE(m.team, 'desk')
            """).all(decoding: EffortRow.self, with: .snake)
        let groups = try await RequesterGroups.load(on: sql)

        func status(_ due: String?, _ done: String?) -> DeskSLA.Status? {
            guard let due = due.flatMap(LocalDate.init(iso:)) else { return nil }
            return sla.status(due: due, done: done.flatMap(LocalDate.init(iso:)), today: today)
        }
        let cases = rows.map { row in
            let state = ConsultationState(rawValue: row.state) ?? .submitted
            // A withdrawn case was never decided: it has no decision target to meet or miss.
            let decision = state == .withdrawn ? nil : status(row.decisionDue, row.decidedOn)
            return DeskReport.Case(
                requester: groups.name(tenantId: row.tenantId, orgUnitId: row.orgUnitId),
                phase: ProjectPhase(rawValue: row.phase) ?? .concept, kinds: (kinds[row.id] ?? []).compactMap(SupportKind.init(rawValue:)),
                state: state, firstResponse: status(row.firstResponseDue, row.firstResponseOn), decision: decision,
                teams: teams[row.id] ?? [], satisfaction: row.satisfaction)
        }
        return DeskReport(cases: cases, effort: effort.map { (team: $0.team, minutes: $0.minutes) })
    }

    /// The days the year's consultations were submitted, for the monthly intake chart.
    func submittedDays(fiscalYear: FiscalYear, on sql: any SQLDatabase) async throws -> [LocalDate] {
        try await sql.raw("""
            SELECT submitted_on FROM consultations
            WHERE fiscal_year = \(bind: fiscalYear.startYear) AND state <> 'draft' AND submitted_on IS NOT NULL
            """).all(decodingColumn: "submitted_on", as: String.self).compactMap { LocalDate(iso: $0) }
    }

    /// The fiscal years the data holds, newest first.
    func years(on sql: any SQLDatabase) async throws -> [Int] {
        try await sql.raw("SELECT DISTINCT fiscal_year FROM consultations WHERE state <> 'draft' ORDER BY fiscal_year DESC")
            .all(decodingColumn: "fiscal_year", as: Int.self)
    }

    private func pairs(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for pair in try await sql.raw(query).all(decoding: Pair.self, with: .snake) { result[pair.consultationId, default: []].append(pair.value) }
        return result
    }
}
