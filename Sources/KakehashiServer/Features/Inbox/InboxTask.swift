import KakehashiCore

/// One thing that awaits a person (やること): what it is, which record, by when.
struct InboxTask: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        // Requester
        case draft, deskReply
        // Desk officer
        case firstReply, decision, unanswered, gateDue
        // Specialist
        case engagement, procurementVerdicts
        // Reviewers
        case articleReview
        // Platform
        case environmentDecision, securityReview, exceptionExpiring, supportEnding
        // Tenant administrator
        case exceptionDecision, grantDecision, accessReview, peopleWithoutRole
        // Auditor
        case auditRecent

        /// The areas, in the order the page offers them as filters.
        static let modules = ["desk", "procurement", "knowledge", "platform", "baseline", "portfolio", "directory", "audit"]

        /// The module the task belongs to, for grouping and the API.
        var module: String {
            switch self {
            case .draft, .deskReply, .firstReply, .decision, .unanswered, .gateDue, .engagement: "desk"
            case .procurementVerdicts: "procurement"
            case .articleReview: "knowledge"
            case .environmentDecision, .securityReview, .grantDecision, .accessReview: "platform"
            case .exceptionExpiring, .exceptionDecision: "baseline"
            case .supportEnding: "portfolio"
            case .peopleWithoutRole: "directory"
            case .auditRecent: "audit"
            }
        }
    }

    let kind: Kind
    /// The record's own name (a case title, a system, an environment).
    let title: String
    /// Where the work is done.
    let href: String
    /// The day it is due, when it has one.
    var due: LocalDate?
    /// When the thing arrived (ISO timestamp or date), for ordering what has no due date.
    var since: String = ""
    /// Catalog parameters of the kind's detail line (`inbox_detail_<kind>`).
    var params: [String: String] = [:]
    /// A number the task is about (files to decide, people without a role), when it counts.
    var count: Int?
    /// The record the task is about, for the API.
    var targetType: String = ""
    var targetId: String = ""

    /// Business days from `today` to the due day (negative when overdue).
    func businessDaysLeft(today: LocalDate) -> Int? {
        due.map { BusinessCalendar.businessDays(from: today, to: $0) }
    }

    func isOverdue(today: LocalDate) -> Bool { due.map { $0 < today } ?? false }
}

enum InboxOrder {
    /// Overdue first, then by due day; undated work after, newest first; ties by title.
    static func sorted(_ tasks: [InboxTask]) -> [InboxTask] {
        tasks.sorted { a, b in
            switch (a.due, b.due) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if a.since != b.since { return a.since > b.since }
                return (a.title, a.href) < (b.title, b.href)
            }
        }
    }
}
