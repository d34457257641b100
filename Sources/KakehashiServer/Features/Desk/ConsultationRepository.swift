import KakehashiCore
import SQLKit

/// What the queue and the lists can be narrowed by (all optional, combined with AND).
struct ConsultationFilter: Sendable, Equatable {
    var states: [ConsultationState] = []
    var tenantId: String?
    var phase: ProjectPhase?
    var supportKind: SupportKind?
    var fiscalYear: Int?
    var text: String?
    /// Only cases whose decision target is on or before this date (overdue / due soon).
    var decisionDueBy: String?
}

/// One line of a consultation list, with the names the list shows.
struct ConsultationListRow: Decodable, Sendable {
    var id: String
    var number: String?
    var title: String
    var state: String
    var phase: String
    var tenantId: String
    var tenantName: String
    var unitName: String
    var requesterName: String
    var submittedOn: String?
    var firstResponseDue: String?
    var firstResponseOn: String?
    var decisionDue: String?
    var decidedOn: String?
    var priority: Int?
    var updatedAt: String
}

/// All SQL of consultations and their triage. Reads take the caller's `DeskAccess`, so a
/// row the person may not read is never returned ("not found", whatever the reason).
struct ConsultationRepository: Sendable {
    func consultation(_ id: String, access: DeskAccess, on sql: any SQLDatabase) async throws -> Consultation? {
        try await sql.raw("SELECT * FROM consultations WHERE id = \(bind: id) AND \(access.visibleConsultations)")
            .first(decoding: Consultation.self, with: .snake)
    }

    /// The row for a change, locked until the transaction ends on PostgreSQL (SQLite's
    /// `BEGIN IMMEDIATE` already holds the database).
    func consultationForUpdate(_ id: String, access: DeskAccess, on sql: any SQLDatabase) async throws -> Consultation? {
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await sql.raw("SELECT * FROM consultations WHERE id = \(bind: id) AND \(access.visibleConsultations)\(lock)")
            .first(decoding: Consultation.self, with: .snake)
    }

    func list(_ filter: ConsultationFilter, access: DeskAccess, order: SQLQueryString? = nil, limit: Int, offset: Int,
              on sql: any SQLDatabase) async throws -> [ConsultationListRow] {
        let order = order ?? """
            CASE WHEN consultations.decision_due IS NULL THEN 1 ELSE 0 END, consultations.decision_due,
            consultations.updated_at DESC, consultations.id
            """
        let query: SQLQueryString = """
            SELECT consultations.id, consultations.number, consultations.title, consultations.state, consultations.phase,
                   consultations.tenant_id, tenants.name AS tenant_name, org_units.name AS unit_name, people.display_name AS requester_name,
                   consultations.submitted_on, consultations.first_response_due, consultations.first_response_on,
                   consultations.decision_due, consultations.decided_on, triage_decisions.priority, consultations.updated_at
            FROM consultations
            JOIN tenants ON tenants.id = consultations.tenant_id
            JOIN org_units ON org_units.id = consultations.org_unit_id
            JOIN people ON people.id = consultations.requester_id
            LEFT JOIN triage_decisions ON triage_decisions.consultation_id = consultations.id
            WHERE \(access.visibleConsultations)\(conditions(filter))
            ORDER BY \(order)
            LIMIT \(literal: limit) OFFSET \(literal: offset)
            """
        return try await sql.raw(query).all(decoding: ConsultationListRow.self, with: .snake)
    }

    func count(_ filter: ConsultationFilter, access: DeskAccess, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM consultations WHERE \(access.visibleConsultations)\(conditions(filter))")
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    private func conditions(_ filter: ConsultationFilter) -> SQLQueryString {
        var clause: SQLQueryString = ""
        if !filter.states.isEmpty { clause += " AND consultations.state IN \(SQLBind.group(filter.states.map(\.rawValue)))" }
        if let tenantId = filter.tenantId { clause += " AND consultations.tenant_id = \(bind: tenantId)" }
        if let phase = filter.phase { clause += " AND consultations.phase = \(bind: phase.rawValue)" }
        if let year = filter.fiscalYear { clause += " AND consultations.fiscal_year = \(bind: year)" }
        if let due = filter.decisionDueBy { clause += " AND consultations.decision_due <= \(bind: due)" }
        if let kind = filter.supportKind {
            clause += """
                 AND EXISTS (SELECT 1 FROM consultation_support_kinds k WHERE k.consultation_id = consultations.id AND k.kind = \(bind: kind.rawValue))
                """
        }
        if let text = filter.text, !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "").lowercased() + "%"
            clause += """
                 AND (LOWER(consultations.title) LIKE \(bind: pattern) OR LOWER(consultations.summary) LIKE \(bind: pattern)
                      OR LOWER(COALESCE(consultations.number, '')) LIKE \(bind: pattern))
                """
        }
        return clause
    }

    func insert(_ consultation: Consultation, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "consultations").model(consultation, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    /// Writes `consultation` (whose `version` the caller has already raised).
    func update(_ consultation: Consultation, on sql: any SQLDatabase) async throws {
        try await sql.update("consultations").set(model: consultation, keyEncodingStrategy: .convertToSnakeCase)
            .where("id", .equal, consultation.id).run()
    }

    /// The next number of a fiscal year (e.g. 2026-0042). Call under `.consultationNumber`.
    /// After the highest number the year has, so imported cases with their own numbers are never met again.
    func nextNumber(fiscalYear: Int, on sql: any SQLDatabase) async throws -> String {
        "\(fiscalYear)-" + String(format: "%04d", try await highestNumber(fiscalYear: fiscalYear, on: sql) + 1)
    }

    /// The highest sequence of the year's numbers (2026-0042 → 42), 0 when there is none.
    func highestNumber(fiscalYear: Int, on sql: any SQLDatabase) async throws -> Int {
        let highest = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "n").from("consultations")
            .where("number", .like, "\(fiscalYear)-%").first(decodingColumn: "n", as: String?.self) ?? nil
        return highest.flatMap { Int($0.dropFirst(5)) } ?? 0
    }

    // MARK: Support kinds and contacts

    func supportKinds(of ids: [String], on sql: any SQLDatabase) async throws -> [String: [SupportKind]] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { let consultationId: String; let kind: String }
        let rows = try await sql.select().column("consultation_id").column("kind").from("consultation_support_kinds")
            .where("consultation_id", .in, ids).all(decoding: Row.self, with: .snake)
        var result: [String: [SupportKind]] = [:]
        for row in rows { if let kind = SupportKind(rawValue: row.kind) { result[row.consultationId, default: []].append(kind) } }
        return result.mapValues { kinds in SupportKind.allCases.filter(kinds.contains) }
    }

    func replaceSupportKinds(of id: String, with kinds: [SupportKind], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "consultation_support_kinds").where("consultation_id", .equal, id).run()
        for kind in kinds {
            try await sql.insert(into: "consultation_support_kinds").columns("consultation_id", "kind").values(id, kind.rawValue).run()
        }
    }

    func contactIds(of id: String, on sql: any SQLDatabase) async throws -> [String] {
        try await sql.select().column("person_id").from("consultation_contacts").where("consultation_id", .equal, id)
            .orderBy("person_id").all(decodingColumn: "person_id", as: String.self)
    }

    func replaceContacts(of id: String, with personIds: [String], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "consultation_contacts").where("consultation_id", .equal, id).run()
        for personId in personIds {
            try await sql.insert(into: "consultation_contacts").columns("consultation_id", "person_id").values(id, personId).run()
        }
    }

    // MARK: Messages and decisions

    func messages(of id: String, includeInternal: Bool, on sql: any SQLDatabase) async throws -> [ConsultationMessage] {
        var select = sql.select().column("*").from("consultation_messages").where("consultation_id", .equal, id)
        if !includeInternal { select = select.where("is_internal", .equal, SQLBind(false)) }
        return try await select.orderBy("created_at").all(decoding: ConsultationMessage.self, with: .snake)
    }

    func insert(_ message: ConsultationMessage, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "consultation_messages").model(message, keyEncodingStrategy: .convertToSnakeCase).run()
    }

    func decision(of id: String, on sql: any SQLDatabase) async throws -> TriageDecisionRecord? {
        try await sql.select().column("*").from("triage_decisions").where("consultation_id", .equal, id)
            .first(decoding: TriageDecisionRecord.self, with: .snake)
    }

    func insert(_ decision: TriageDecisionRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "triage_decisions").model(decision, keyEncodingStrategy: .convertToSnakeCase).run()
    }
}
