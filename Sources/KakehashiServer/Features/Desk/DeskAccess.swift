import KakehashiCore
import SQLKit

/// Separation of duties on the desk, for pages and API alike: nobody decides their own case.
enum DeskDuties {
    static func mayDecide(_ consultation: Consultation, contacts: [String], by personId: String) -> Bool {
        consultation.requesterId != personId && !contacts.contains(personId)
    }
}

/// Who may read and act on desk records, decided once per request from the principal.
///
/// The desk (各局支援担当) sits in 東京都's tenant and serves every tenant. Requesters see
/// their own unit's cases (drafts only their own), specialists their engagements, auditors
/// their tenant's, and a municipality never another tenant's.
struct DeskAccess: Sendable {
    static let deskTenantId = "tokyo"

    let principal: Principal
    /// The person's current org units, for "my unit's cases".
    let unitIds: [String]

    static func load(_ principal: Principal, database: AppDatabase) async throws -> DeskAccess {
        let units = try await database.read { sql in
            try await DirectoryRepository().unitIds(of: principal.id, on: TokyoDate.today(), on: sql)
        }
        return DeskAccess(principal: principal, unitIds: units)
    }

    var personId: String { principal.id }
    var isDeskOfficer: Bool { principal.has(.deskOfficer, in: Self.deskTenantId) }
    var isSpecialist: Bool { principal.has(.specialist, in: Self.deskTenantId) }
    /// Desk officers, system administrators and 東京都's auditors read every submitted case.
    var readsEveryCase: Bool {
        isDeskOfficer || principal.isSystemAdmin || principal.roles(in: Self.deskTenantId).contains(.auditor)
    }
    var auditedTenantIds: [String] {
        principal.grants.filter { $0.role == Role.auditor.rawValue }.map(\.tenantId)
    }

    /// SQL that is true for the consultations (table `consultations`) this person may read.
    var visibleConsultations: SQLQueryString {
        var clause: SQLQueryString = """
            (consultations.requester_id = \(bind: personId)
             OR EXISTS (SELECT 1 FROM consultation_contacts cc WHERE cc.consultation_id = consultations.id AND cc.person_id = \(bind: personId))
             OR (consultations.state <> 'draft' AND (
            """
        if readsEveryCase {
            clause += "1 = 1"
        } else {
            clause += """
                EXISTS (SELECT 1 FROM engagements e WHERE e.consultation_id = consultations.id AND (e.lead_id = \(bind: personId)
                  OR EXISTS (SELECT 1 FROM engagement_members m WHERE m.engagement_id = e.id AND m.person_id = \(bind: personId))))
                """
            if !unitIds.isEmpty {
                clause += " OR (consultations.tenant_id = \(bind: principal.person.tenantId) AND consultations.org_unit_id IN \(SQLBind.group(unitIds)))"
            }
            if !auditedTenantIds.isEmpty {
                clause += " OR consultations.tenant_id IN \(SQLBind.group(auditedTenantIds))"
            }
        }
        clause += ")))"
        return clause
    }

    /// Who writes on a case (messages, files): its requester and contacts, the desk's officers, the
    /// engagement's lead and members, and colleagues of its unit who hold a role that writes.
    /// Readers of the case — auditors, system administrators reading — only read.
    func takesPart(in consultation: Consultation, on sql: any SQLDatabase) async throws -> Bool {
        if isDeskOfficer || consultation.requesterId == personId { return true }
        if unitIds.contains(consultation.orgUnitId) && principal.writes(in: consultation.tenantId) { return true }
        let rows = try await sql.raw("""
            SELECT 1 AS n FROM consultation_contacts WHERE consultation_id = \(bind: consultation.id) AND person_id = \(bind: personId)
            UNION ALL
            SELECT 1 AS n FROM engagements e WHERE e.consultation_id = \(bind: consultation.id) AND (e.lead_id = \(bind: personId)
              OR EXISTS (SELECT 1 FROM engagement_members m WHERE m.engagement_id = e.id AND m.person_id = \(bind: personId)
                         AND m.left_on IS NULL))
            """).all()
        return !rows.isEmpty
    }

    /// Whether this person may edit or submit a draft.
    func mayEditDraft(_ consultation: Consultation, contactIds: [String]) -> Bool {
        consultation.requesterId == personId || contactIds.contains(personId)
    }

    /// Lead, team members and desk officers work on an engagement.
    func mayWork(on engagement: Engagement, members: [EngagementMember]) -> Bool {
        isDeskOfficer || engagement.leadId == personId || members.contains { $0.personId == personId && $0.leftOn == nil }
    }

    /// Gate decisions, team changes and close-out belong to the lead and the desk.
    func mayManage(_ engagement: Engagement) -> Bool {
        isDeskOfficer || engagement.leadId == personId
    }

    /// Internal notes are for the desk and the specialists, never the requester.
    var readsInternalNotes: Bool { isDeskOfficer || isSpecialist || principal.isSystemAdmin }
}
