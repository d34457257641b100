import KakehashiCore

/// One version of a questionnaire as stored: the checked definition (JSON) and the YAML it came from.
struct StoredQuestionnaire: Codable, Sendable, Equatable {
    var id: String
    var version: Int
    var title: String
    /// `kakehashi` or `konveyor`.
    var format: String
    var definition: String
    var source: String
    var questionCount: Int
    var createdBy: String?
    var createdAt: String
}

/// An assessment of a system: the answers given and what they were scored to when saved.
struct SystemAssessment: Codable, Sendable, Equatable {
    var id: String
    var systemId: String
    var questionnaireId: String
    var questionnaireVersion: Int
    /// JSON object question id → answer id.
    var answers: String
    var risk: String
    var recommended: String?
    /// JSON of `AssessmentScoring.Outcome`.
    var outcome: String
    var createdBy: String
    var createdAt: String
}

/// The decision taken on a system (レビュー記録): strategy, effort, target cloud and where the
/// migration stands. Every change is a new record; the newest one holds.
struct SystemReview: Codable, Sendable, Equatable {
    var id: String
    var systemId: String
    var assessmentId: String?
    var strategy: String
    /// Person-months the migration takes.
    var effort: Double
    /// A `CloudProvider` code, or empty when it stays or is retired.
    var targetCloud: String
    var status: String
    var comment: String
    var decidedBy: String
    var decidedAt: String
}

/// Where a system's migration stands.
enum MigrationStatus: String, CaseIterable, Sendable {
    case notStarted = "not_started", preparing, migrating, done, cancelled
}
