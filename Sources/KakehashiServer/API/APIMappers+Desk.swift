import KakehashiAPI
import KakehashiCore

/// Conversions between the desk's rows and the spec's schemas.
extension IntakeInput {
    init(_ b: Components.Schemas.IntakeInput) {
        self.init(title: b.title, summary: b.summary, orgUnitId: b.orgUnitId, contactLogins: b.contacts, phase: b.phase,
                  supportKinds: b.supportKinds, details: b.details, desiredStart: b.desiredStart, desiredEnd: b.desiredEnd,
                  budgetRange: b.budgetRange, procurementStart: b.procurementStart, procurementNote: b.procurementNote, version: b.version)
    }
}

extension Components.Schemas.ConsultationSummary {
    init(_ r: ConsultationListRow) {
        self.init(id: r.id, number: r.number, title: r.title, state: r.state, phase: r.phase, tenantId: r.tenantId, tenantName: r.tenantName,
                  unitName: r.unitName, requesterName: r.requesterName, submittedOn: r.submittedOn, firstResponseDue: r.firstResponseDue,
                  decisionDue: r.decisionDue, decidedOn: r.decidedOn, priority: r.priority)
    }
}

extension Components.Schemas.Consultation {
    init(_ c: Consultation, kinds: [SupportKind], decision: Components.Schemas.Decision?, engagementId: String?) {
        self.init(id: c.id, tenantId: c.tenantId, number: c.number, title: c.title, summary: c.summary, orgUnitId: c.orgUnitId,
                  requesterId: c.requesterId, phase: c.phase, supportKinds: kinds.map(\.rawValue), budgetRange: c.budgetRange,
                  desiredStart: c.desiredStart, desiredEnd: c.desiredEnd, procurementStart: c.procurementStart, procurementNote: c.procurementNote,
                  details: c.details, state: c.state, fiscalYear: c.fiscalYear, submittedOn: c.submittedOn, firstResponseDue: c.firstResponseDue,
                  firstResponseOn: c.firstResponseOn, decisionDue: c.decisionDue, decidedOn: c.decidedOn, version: c.version,
                  decision: decision, engagementId: engagementId)
    }
}

extension Components.Schemas.Decision {
    /// The rubric's priority is for desk staff only, as on the pages.
    init(_ d: TriageDecisionRecord, engagementId: String?, showPriority: Bool) {
        self.init(outcome: d.outcome, scope: d.scope, reason: d.reason, redirectTo: d.redirectTo,
                  priority: showPriority ? d.priority : nil, decidedAt: d.decidedAt, engagementId: engagementId)
    }
}

extension Components.Schemas.Member {
    init(_ m: EngagementMember) {
        self.init(id: m.id, personId: m.personId, team: m.team, effortPercent: m.effortPercent, joinedOn: m.joinedOn)
    }
}

extension Components.Schemas.Activity {
    init(_ a: Activity) {
        self.init(id: a.id, kind: a.kind, phase: a.phase, occurredOn: a.occurredOn, minutes: a.minutes, participants: a.participants,
                  notes: a.notes, createdBy: a.createdBy)
    }
}

extension Components.Schemas.Engagement {
    init(_ e: Engagement, members: [EngagementMember], phases: [EngagementPhase], activities: [Activity]) {
        self.init(id: e.id, consultationId: e.consultationId, leadId: e.leadId, state: e.state, currentPhase: e.currentPhase, scope: e.scope,
                  outcome: e.outcome, lessons: e.lessons, satisfaction: e.satisfaction, satisfactionComment: e.satisfactionComment,
                  closedOn: e.closedOn, version: e.version, members: members.map(Components.Schemas.Member.init),
                  phases: phases.map { .init(phase: $0.phase, status: $0.status, startedOn: $0.startedOn, gateDue: $0.gateDue, endedOn: $0.endedOn) },
                  activities: activities.map(Components.Schemas.Activity.init))
    }
}

extension Components.Schemas.Attachment {
    init(_ a: Attachment) {
        self.init(id: a.id, consultationId: a.consultationId, activityId: a.activityId, filename: a.filename, contentType: a.contentType,
                  sizeBytes: a.sizeBytes, sha256: a.sha256, uploadedBy: a.uploadedBy, uploadedAt: a.uploadedAt)
    }
}

extension Components.Schemas.Review {
    init(_ r: DeliverableReview, items: [DeliverableReviewItem]) {
        self.init(id: r.id, deliverable: r.deliverable, versionLabel: r.versionLabel, reviewedOn: r.reviewedOn, verdict: r.verdict, summary: r.summary,
                  phase: r.phase, reviewerId: r.reviewerId, items: items.map { .init(reference: $0.reference, verdict: $0.verdict, comment: $0.comment) })
    }
}
