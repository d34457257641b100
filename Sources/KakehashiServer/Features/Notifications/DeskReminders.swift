import KakehashiCore
import SQLKit

/// The desk's reminders: gates coming due and consultations whose decision is at risk of
/// missing its SLA. Each has a key, so it is recorded once per person and due date.
struct DeskReminders: Reminders {
    let database: AppDatabase
    let notifier: Notifier
    let sla: DeskSLA
    /// Gates this many business days ahead are announced.
    var gateNoticeDays = 3

    func scan(today: LocalDate) async throws {
        let notifier = self.notifier
        let gateHorizon = BusinessCalendar.add(gateNoticeDays, to: today).iso
        let slaHorizon = BusinessCalendar.add(sla.warningDays, to: today).iso
        struct Gate: Decodable { let phaseId: String; let phase: String; let gateDue: String; let engagementId: String; let leadId: String; let title: String }
        struct AtRisk: Decodable { let id: String; let number: String?; let title: String; let decisionDue: String }
        // Looked for without the write lock: most scans find nothing new.
        let (gates, atRisk) = try await database.read { sql in
            let gates = try await sql.raw("""
                SELECT p.id AS phase_id, p.phase, p.gate_due, e.id AS engagement_id, e.lead_id, c.title
                FROM engagement_phases p JOIN engagements e ON e.id = p.engagement_id JOIN consultations c ON c.id = e.consultation_id
                WHERE p.status = 'current' AND e.state = 'active' AND p.gate_due IS NOT NULL AND p.gate_due <= \(bind: gateHorizon)
                """).all(decoding: Gate.self, with: .snake)
            let atRisk = try await sql.select().column("id").column("number").column("title").column("decision_due").from("consultations")
                .where("state", .equal, ConsultationState.submitted.rawValue).where("decision_due", .lessThanOrEqual, slaHorizon)
                .all(decoding: AtRisk.self, with: .snake)
            return (gates, atRisk)
        }
        guard !gates.isEmpty || !atRisk.isEmpty else { return }
        try await database.transaction { sql in
            for gate in gates {
                let members = try await sql.select().column("person_id").from("engagement_members")
                    .where("engagement_id", .equal, gate.engagementId).where("left_on", .is, SQLLiteral.null)
                    .all(decodingColumn: "person_id", as: String.self)
                try await notifier.notify([gate.leadId] + members, of: .gateDue,
                                          params: ["title": gate.title, "phase": gate.phase, "due": gate.gateDue],
                                          link: "/desk/engagements/\(gate.engagementId)", dedupeKey: "gate_due:\(gate.phaseId):\(gate.gateDue)", on: sql)
            }
            guard !atRisk.isEmpty else { return }
            let officers = try await Notifier.deskOfficers(on: sql)
            for c in atRisk {
                try await notifier.notify(officers, of: .slaAtRisk, params: ["number": c.number ?? "", "title": c.title, "due": c.decisionDue],
                                          link: "/desk/consultations/\(c.id)", dedupeKey: "sla_risk:\(c.id):\(c.decisionDue)", on: sql)
            }
        }
    }
}
