/// An engagement (伴走支援) runs until it is closed with an outcome.
public enum EngagementState: String, Codable, Sendable, CaseIterable {
    case active, closed
}

/// The decision at the end of a phase (ゲート判定).
public enum GateDecision: String, Codable, Sendable, CaseIterable {
    /// Move to the next phase.
    case proceed
    /// Stay in this phase and redo what the gate found lacking.
    case rework
    /// End the project's accompaniment here.
    case stop
}

/// What a specialist or desk officer did for the project, as logged.
public enum ActivityKind: String, Codable, Sendable, CaseIterable {
    case vendorMeeting, specReview, estimateCheck, deliverableReview, userTest, advice, releaseAttendance, other
}

/// How an engagement ended.
public enum EngagementOutcome: String, Codable, Sendable, CaseIterable {
    case completed, partiallyCompleted, stopped, handedOver
}

/// Checklist items each phase starts with; the desk can add its own.
public enum PhaseChecklist {
    public static func defaultItems(for phase: ProjectPhase) -> [String] {
        switch phase {
        case .concept: ["checklist_concept_problem", "checklist_concept_users", "checklist_concept_kpi"]
        case .requirements: ["checklist_requirements_business_flow", "checklist_requirements_nonfunctional", "checklist_requirements_security"]
        case .procurement: ["checklist_procurement_spec", "checklist_procurement_estimate", "checklist_procurement_scheme"]
        case .designBuild: ["checklist_design_ux", "checklist_design_reviews", "checklist_design_security"]
        case .testing: ["checklist_testing_plan", "checklist_testing_users", "checklist_testing_accessibility"]
        case .release: ["checklist_release_plan", "checklist_release_support", "checklist_release_attendance"]
        case .operations: ["checklist_operations_handover", "checklist_operations_kpi", "checklist_operations_improvement"]
        }
    }
}
