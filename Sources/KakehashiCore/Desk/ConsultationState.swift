/// Where a consultation (相談) stands. Drafts belong to the requester; once submitted the
/// form is locked and only a recorded triage decision moves it on.
public enum ConsultationState: String, Codable, Sendable, CaseIterable {
    case draft, submitted, accepted, declined, redirected, withdrawn

    /// Waiting in the desk's queue.
    public var isOpen: Bool { self == .submitted }
    /// The requester may still edit it.
    public var isEditable: Bool { self == .draft }

    public func canMove(to next: ConsultationState) -> Bool {
        switch (self, next) {
        case (.draft, .submitted), (.draft, .withdrawn): true
        case (.submitted, .accepted), (.submitted, .declined), (.submitted, .redirected), (.submitted, .withdrawn): true
        default: false
        }
    }
}

/// The desk's answer to a consultation (支援可否).
public enum TriageOutcome: String, Codable, Sendable, CaseIterable {
    case accept, decline, redirect

    public var resultingState: ConsultationState {
        switch self {
        case .accept: .accepted
        case .decline: .declined
        case .redirect: .redirected
        }
    }
}
