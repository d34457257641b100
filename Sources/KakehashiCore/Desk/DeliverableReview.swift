/// The verdict on a contract deliverable (契約成果物のチェック) as a whole.
public enum DeliverableVerdict: String, Codable, Sendable, CaseIterable {
    /// Acceptable as it is.
    case approved
    /// Acceptable once the comments are addressed; no new review needed.
    case approvedWithComments
    /// Must be corrected and reviewed again.
    case rework
}

/// The verdict on one point of a deliverable (a section, page or requirement).
public enum ReviewItemVerdict: String, Codable, Sendable, CaseIterable {
    case ok
    /// A suggestion or question the vendor should answer.
    case comment
    /// A defect that must be corrected before acceptance.
    case mustFix

    /// Anything but "ok" needs words saying what is wrong.
    public var needsComment: Bool { self != .ok }
}

public enum DeliverableReviewRules {
    /// A deliverable with a must-fix point cannot be approved outright, and one with nothing
    /// to fix does not need rework only because of comments.
    public static func isConsistent(_ overall: DeliverableVerdict, items: [ReviewItemVerdict]) -> Bool {
        let mustFix = items.contains(.mustFix)
        switch overall {
        case .approved: return !mustFix && !items.contains(.comment)
        case .approvedWithComments: return !mustFix
        case .rework: return mustFix
        }
    }
}
