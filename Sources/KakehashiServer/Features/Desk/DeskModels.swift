import KakehashiCore

/// A consultation (相談) as stored. Dates are ISO `YYYY-MM-DD`, instants ISO timestamps.
struct Consultation: Codable, Sendable, Equatable {
    var id: String
    var tenantId: String
    var number: String?
    var title: String
    var summary: String
    var orgUnitId: String
    var requesterId: String
    var phase: String
    var budgetRange: String
    var desiredStart: String?
    var desiredEnd: String?
    var procurementStart: String?
    var procurementNote: String?
    var details: String
    var state: String
    var fiscalYear: Int?
    var submittedAt: String?
    var submittedOn: String?
    var firstResponseDue: String?
    var firstResponseOn: String?
    var decisionDue: String?
    var decidedOn: String?
    var version: Int
    var createdAt: String
    var updatedAt: String
    /// Where an imported case came from (`ledger`, `kintone`, `access`) and its key there.
    var externalSource: String? = nil
    var externalKey: String? = nil

    var stateValue: ConsultationState { ConsultationState(rawValue: state) ?? .draft }
    var phaseValue: ProjectPhase { ProjectPhase(rawValue: phase) ?? .concept }
}

struct ConsultationMessage: Codable, Sendable, Equatable {
    var id: String
    var consultationId: String
    var authorId: String
    var body: String
    var isInternal: Bool
    var createdAt: String
}

/// The desk's recorded decision, with the rubric that led to it.
struct TriageDecisionRecord: Codable, Sendable, Equatable {
    var id: String
    var consultationId: String
    var outcome: String
    var scope: String?
    var reason: String?
    var redirectTo: String?
    var impact: Int
    var impactReason: String
    var urgency: Int
    var urgencyReason: String
    var complexity: Int
    var complexityReason: String
    var readiness: Int
    var readinessReason: String
    var priority: Int
    var decidedBy: String
    var decidedAt: String
}

struct Engagement: Codable, Sendable, Equatable {
    var id: String
    var consultationId: String
    var tenantId: String
    var leadId: String
    var state: String
    var currentPhase: String
    var scope: String
    var outcome: String?
    var lessons: String?
    var satisfaction: Int?
    var satisfactionComment: String?
    var closedOn: String?
    var version: Int
    var createdAt: String
    var updatedAt: String

    var isClosed: Bool { state == EngagementState.closed.rawValue }
}

struct EngagementMember: Codable, Sendable, Equatable {
    var id: String
    var engagementId: String
    var personId: String
    var team: String
    var effortPercent: Int
    var joinedOn: String
    var leftOn: String?
}

struct EngagementPhase: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable { case pending, current, passed, stopped }

    var id: String
    var engagementId: String
    var phase: String
    var position: Int
    var status: String
    var startedOn: String?
    var gateDue: String?
    var endedOn: String?
}

struct ChecklistItem: Codable, Sendable, Equatable {
    var id: String
    var phaseId: String
    var label: String
    var position: Int
    var done: Bool
    var doneBy: String?
    var doneAt: String?
}

struct GateDecisionRecord: Codable, Sendable, Equatable {
    var id: String
    var phaseId: String
    var decision: String
    var reason: String
    var decidedBy: String
    var decidedOn: String
    var createdAt: String
}

struct Activity: Codable, Sendable, Equatable {
    var id: String
    var engagementId: String
    var kind: String
    var phase: String
    var occurredOn: String
    var minutes: Int
    var participants: String
    var notes: String
    var createdBy: String
    var createdAt: String
}
