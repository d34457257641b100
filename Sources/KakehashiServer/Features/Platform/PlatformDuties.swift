/// Separation of duties on the platform, in one place, for pages and API alike: nobody decides,
/// reviews or confirms their own work — "own" meaning the requester of an environment, the
/// requester or holder of a grant, whoever recorded a break-glass use or holds its grant.
enum PlatformDuties {
    static func mayDecide(_ environment: PlatformEnvironment, by personId: String) -> Bool {
        environment.requestedBy != personId
    }

    static func mayDecide(_ grant: AccessGrant, by personId: String) -> Bool {
        grant.requestedBy != personId && grant.personId != personId
    }

    static func mayReview(_ use: BreakglassUse, of grant: AccessGrant, by personId: String) -> Bool {
        use.recordedBy != personId && grant.personId != personId
    }

    /// Whether `personId` may confirm or revoke `grant` in an access review.
    static func mayReview(_ grant: AccessGrant, by personId: String) -> Bool { grant.personId != personId }

    /// The reviewer of a grant in an access review: its approver while they still manage the
    /// tenant, else the campaign's creator while they do, else another manager — never the grant's
    /// holder. `managers` are the active ones, so a leaver is never chosen.
    static func reviewer(of grant: AccessGrant, managers: [String], creator: String) -> String? {
        ([grant.decidedBy, creator].compactMap { $0 } + managers.sorted())
            .first { managers.contains($0) && mayReview(grant, by: $0) }
    }

    /// 403: the row is visible, the duty is not theirs.
    static let refusal = PlatformError.ownRequest.error
}
