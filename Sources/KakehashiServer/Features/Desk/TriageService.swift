import KakehashiCore
import SQLKit

/// The desk's decision form: the rubric (score and reason per criterion) and the outcome.
struct TriageInput: Sendable {
    var outcome: String?
    var scores: [TriageCriterion: String?] = [:]
    var reasons: [TriageCriterion: String?] = [:]
    /// Accept: what support the desk will give (支援範囲).
    var scope: String?
    /// Decline or redirect: why, in words the requester reads.
    var reason: String?
    /// Redirect: where the requester should go instead.
    var redirectTo: String?
    /// Accept: the desk officer or specialist who leads the engagement (default: the decider).
    var leadLogin: String?
    var version: Int?
}

/// 振り分け・支援可否: records the one decision that takes a consultation out of the queue,
/// and on acceptance opens the engagement with its phases and checklists.
struct TriageService: Sendable {
    let database: AppDatabase
    let notifier: Notifier
    let consultations = ConsultationRepository()
    let engagements = EngagementRepository()
    let directory = DirectoryRepository()

    func decide(_ id: String, _ input: TriageInput, access: DeskAccess, actor: AuditLog.Actor) async throws -> (TriageDecisionRecord, Engagement?) {
        guard access.isDeskOfficer else { throw AppError.forbidden }
        var v = Validator()
        let outcome = v.choice("outcome", input.outcome, as: TriageOutcome.self, required: true)
        var values: [TriageCriterion: Int] = [:]
        var reasons: [TriageCriterion: String] = [:]
        for criterion in TriageCriterion.allCases {
            let field = "score_\(criterion.rawValue)"
            if let text = v.text(field, input.scores[criterion] ?? nil, max: 1, required: true) {
                if let score = Int(text), TriageScores.range.contains(score) { values[criterion] = score } else { v.fail(field, "invalid_choice") }
            }
            reasons[criterion] = v.text("reason_\(criterion.rawValue)", input.reasons[criterion] ?? nil, max: 300, required: true)
        }
        let scope = v.longText("scope", input.scope, max: 2000, required: outcome == .accept)
        let reason = v.longText("reason", input.reason, max: 2000, required: outcome == .decline || outcome == .redirect)
        let redirectTo = v.text("redirectTo", input.redirectTo, max: 200, required: outcome == .redirect)
        let leadLogin = v.text("leadLogin", input.leadLogin, max: 128)
        try v.check()
        let priority = TriageScores(values).priority!
        let (scores, why) = (values, reasons)
        let consultations = self.consultations, engagements = self.engagements, directory = self.directory
        return try await database.transaction { sql in
            guard let before = try await consultations.consultationForUpdate(id, access: access, on: sql) else { throw AppError.notFound }
            // Nobody decides their own case: not its requester, not one of its contacts.
            guard DeskDuties.mayDecide(before, contacts: try await consultations.contactIds(of: id, on: sql), by: access.personId) else {
                throw DeskError.ownCase.error
            }
            try OptimisticLock.check(current: before.version, given: input.version)
            guard before.stateValue.canMove(to: outcome!.resultingState) else { throw DeskError.consultationNotInQueue.error }
            var leadId = access.personId
            if outcome == .accept, let leadLogin {
                guard let lead = try await directory.person(login: leadLogin.lowercased(), on: sql), lead.active,
                      try await Self.isDeskStaff(lead.id, directory: directory, on: sql) else {
                    throw AppError.invalid([FieldError(field: "leadLogin", code: "lead_not_desk_staff")])
                }
                leadId = lead.id
            }
            let now = Timestamp.now()
            let today = TokyoDate.today()
            let decision = TriageDecisionRecord(
                id: UUIDs.make(), consultationId: id, outcome: outcome!.rawValue, scope: scope, reason: reason, redirectTo: redirectTo,
                impact: scores[.impact]!, impactReason: why[.impact]!, urgency: scores[.urgency]!, urgencyReason: why[.urgency]!,
                complexity: scores[.complexity]!, complexityReason: why[.complexity]!,
                readiness: scores[.readiness]!, readinessReason: why[.readiness]!,
                priority: priority, decidedBy: access.personId, decidedAt: now)
            try await consultations.insert(decision, on: sql)
            var after = before
            after.state = outcome!.resultingState.rawValue
            after.decidedOn = today.iso
            if after.firstResponseOn == nil { after.firstResponseOn = today.iso }
            after.version += 1
            after.updatedAt = now
            try await consultations.update(after, on: sql)
            try await AuditLog.record("consultation.decided", tenantId: after.tenantId, actor: actor,
                                      targetType: "consultation", targetId: id, before: before, after: decision, on: sql)
            let told = [after.requesterId] + (try await consultations.contactIds(of: id, on: sql))
            try await notifier.notify(told, of: .consultationDecided, params: ["number": after.number ?? "", "title": after.title, "outcome": decision.outcome],
                                      link: "/desk/consultations/\(id)", except: access.personId, on: sql)
            guard outcome == .accept else { return (decision, nil) }
            let engagement = try await Self.open(after, scope: scope!, leadId: leadId, today: today, engagements: engagements, on: sql)
            try await AuditLog.record("engagement.opened", tenantId: after.tenantId, actor: actor,
                                      targetType: "engagement", targetId: engagement.id, after: engagement, on: sql)
            try await SearchIndex().engagement(engagement, title: after.title, fiscalYear: after.fiscalYear, on: sql)
            try await notifier.notify([engagement.leadId], of: .engagementAssigned, params: ["title": after.title],
                                      link: "/desk/engagements/\(engagement.id)", except: access.personId, on: sql)
            return (decision, engagement)
        }
    }

    /// Desk officers and specialists of the desk's tenant may lead or join engagements.
    static func isDeskStaff(_ personId: String, directory: DirectoryRepository, on sql: any SQLDatabase) async throws -> Bool {
        try await directory.grants(of: personId, on: sql).contains {
            $0.tenantId == DeskAccess.deskTenantId && ($0.role == Role.deskOfficer.rawValue || $0.role == Role.specialist.rawValue)
        }
    }

    private static func open(_ consultation: Consultation, scope: String, leadId: String, today: LocalDate,
                             engagements: EngagementRepository, on sql: any SQLDatabase) async throws -> Engagement {
        let now = Timestamp.now()
        let engagement = Engagement(
            id: UUIDs.make(), consultationId: consultation.id, tenantId: consultation.tenantId, leadId: leadId,
            state: EngagementState.active.rawValue, currentPhase: consultation.phase, scope: scope, outcome: nil, lessons: nil,
            satisfaction: nil, satisfactionComment: nil, closedOn: nil, version: 1, createdAt: now, updatedAt: now)
        try await engagements.insert(engagement, on: sql)
        for (position, phase) in consultation.phaseValue.remaining.enumerated() {
            let row = EngagementPhase(
                id: UUIDs.make(), engagementId: engagement.id, phase: phase.rawValue, position: position + 1,
                status: (position == 0 ? EngagementPhase.Status.current : .pending).rawValue,
                startedOn: position == 0 ? today.iso : nil, gateDue: nil, endedOn: nil)
            try await engagements.insert(row, on: sql)
            for (index, label) in PhaseChecklist.defaultItems(for: phase).enumerated() {
                try await engagements.insert(ChecklistItem(id: UUIDs.make(), phaseId: row.id, label: label, position: index + 1,
                                                           done: false, doneBy: nil, doneAt: nil), on: sql)
            }
        }
        return engagement
    }
}
