import HTTPTypes

/// One domain's refusals: each case is its stable code (the raw value, the catalog's `error_<code>`,
/// listed in openapi.yaml's `Problem` schema) with its status. Thrown as `.error`, the `AppError`
/// that pages and the API render; 403 for a rule of authority, 409 for a state that forbids it.
protocol DomainError: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    var status: HTTPResponse.Status { get }
}

extension DomainError {
    var status: HTTPResponse.Status { .conflict }

    var error: AppError { status == .forbidden ? .refused(code: rawValue) : .conflict(code: rawValue) }

    static var codes: [String] { allCases.map(\.rawValue) }
}

/// Every domain's codes, for the spec and catalog checks.
enum DomainErrors {
    static var codes: [String] {
        DirectoryError.codes + DeskError.codes + KnowledgeError.codes + PortfolioError.codes + BaselineError.codes
            + PlatformError.codes + ProcurementError.codes + CommonError.codes
    }
}

enum CommonError: String, DomainError {
    /// Someone else changed the record since it was read.
    case staleVersion = "stale_version"
}

enum DirectoryError: String, DomainError {
    case lastAdmin = "last_admin"
    case actsOnMoreAuthority = "acts_on_more_authority"
    case passwordChangeOnAccountPage = "password_change_on_account_page"
    /// A system administrator's second factor stays where the server requires one.
    case secondFactorRequired = "second_factor_required"

    var status: HTTPResponse.Status { self == .lastAdmin ? .conflict : .forbidden }
}

enum DeskError: String, DomainError {
    case consultationLocked = "consultation_locked"
    case consultationNotInQueue = "consultation_not_in_queue"
    case consultationNotWithdrawable = "consultation_not_withdrawable"
    case consultationIsDraft = "consultation_is_draft"
    case engagementClosed = "engagement_closed"
    case engagementNotClosed = "engagement_not_closed"
    case alreadyRated = "already_rated"
    case noCurrentPhase = "no_current_phase"
    case lastPhaseCloseInstead = "last_phase_close_instead"
    case attachmentCaseClosed = "attachment_case_closed"
    /// Nobody decides a case they brought (its requester or a contact).
    case ownCase = "triage_own_case"

    var status: HTTPResponse.Status { self == .ownCase ? .forbidden : .conflict }
}

enum KnowledgeError: String, DomainError {
    case articleArchived = "article_archived"
    case articleActionNotAllowed = "article_action_not_allowed"
    case caseStudyNeedsClosedEngagement = "case_study_needs_closed_engagement"
    /// Nobody publishes or returns a version they wrote.
    case ownWork = "own_work"

    var status: HTTPResponse.Status { self == .ownWork ? .forbidden : .conflict }
}

enum PortfolioError: String, DomainError {
    case planInfeasible = "plan_infeasible"
    /// A wave plan is approved by someone other than the person who made it.
    case ownPlan = "wave_plan_own"

    var status: HTTPResponse.Status { self == .ownPlan ? .forbidden : .conflict }
}

enum BaselineError: String, DomainError {
    /// Nobody decides an exception they requested.
    case exceptionOwnRequest = "exception_own_request"

    var status: HTTPResponse.Status { .forbidden }
}

enum PlatformError: String, DomainError {
    case notDraft = "platform_not_draft"
    case notSubmitted = "platform_not_submitted"
    case notApproved = "platform_not_approved"
    case noSecurityReview = "platform_no_security_review"
    case notBreakglass = "platform_not_breakglass"
    case reviewClosed = "platform_review_closed"
    /// Nobody decides, reviews or confirms their own request, grant or use.
    case ownRequest = "platform_own_request"

    var status: HTTPResponse.Status { self == .ownRequest ? .forbidden : .conflict }
}

enum ProcurementError: String, DomainError {
    case notEstimate = "procurement_not_estimate"
    case publishUnaccepted = "procurement_publish_unaccepted"
}
