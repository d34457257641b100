import SQLKit

/// The desk demo's rows, collected in memory and written in multi-row INSERTs in foreign-key
/// order: one statement per hundred rows instead of one per row (on PostgreSQL, over a
/// network, that is the difference between seconds and a quarter of a minute).
struct DemoRows {
    struct SupportKindRow: Encodable, Sendable { let consultationId: String; let kind: String }

    var consultations: [Consultation] = []
    var supportKinds: [SupportKindRow] = []
    var messages: [ConsultationMessage] = []
    var decisions: [TriageDecisionRecord] = []
    var engagements: [Engagement] = []
    var members: [EngagementMember] = []
    var phases: [EngagementPhase] = []
    var checklist: [ChecklistItem] = []
    var gates: [GateDecisionRecord] = []
    var activities: [Activity] = []
    var reviews: [DeliverableReview] = []
    var reviewItems: [DeliverableReviewItem] = []

    func write(on sql: any SQLDatabase) async throws {
        try await Self.insert(consultations, into: "consultations", on: sql)
        try await Self.insert(supportKinds, into: "consultation_support_kinds", on: sql)
        try await Self.insert(messages, into: "consultation_messages", on: sql)
        try await Self.insert(decisions, into: "triage_decisions", on: sql)
        try await Self.insert(engagements, into: "engagements", on: sql)
        try await Self.insert(members, into: "engagement_members", on: sql)
        try await Self.insert(phases, into: "engagement_phases", on: sql)
        try await Self.insert(checklist, into: "phase_checklist_items", on: sql)
        try await Self.insert(gates, into: "gate_decisions", on: sql)
        try await Self.insert(activities, into: "activities", on: sql)
        try await Self.insert(reviews, into: "deliverable_reviews", on: sql)
        try await Self.insert(reviewItems, into: "deliverable_review_items", on: sql)
    }

    /// Multi-row INSERTs of a hundred rows each.
    static func insert<Row: Encodable & Sendable>(_ rows: [Row], into table: String, on sql: any SQLDatabase) async throws {
        var start = 0
        while start < rows.count {
            let chunk = Array(rows[start..<min(rows.count, start + 100)])
            try await sql.insert(into: table).models(chunk, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
            start += chunk.count
        }
    }
}
