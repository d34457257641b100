import Foundation
import SQLKit

/// 退職・無効化. When a person's account is deactivated — on the administrator's page, by
/// `kakehashi user deactivate`, or by a directory's provisioning — everything they could still use
/// ends in the same transaction as the deactivation: their sessions and API tokens, their platform
/// grants (recorded as ended because the account was, not as someone's decision), their grant
/// requests still waiting, and the open access-review items over those grants. Review items the
/// person was to decide pass to another manager of the tenant. Whoever approved or requested a
/// grant that ended is told. Reactivating the account gives none of it back.
enum Leavers {
    struct Ended: Codable, Sendable, Equatable {
        var grants = 0
        var requests = 0
        var reviewItems = 0
        var reassigned = 0
    }

    /// Called after `person` has been written as inactive, in the same transaction.
    @discardableResult
    static func offboard(
        _ person: Person, actor: AuditLog.Actor, notifier: Notifier?,
        on sql: any SQLDatabase
    ) async throws -> Ended {
        try await SessionStore.endAll(personId: person.id, on: sql)
        try await APITokenStore.revokeAll(personId: person.id, on: sql)
        try await CalendarFeedStore.end(of: person.id, on: sql)
        try await OneTimePasswordStore.endChallenges(of: person.id, on: sql)
        let repository = PlatformRepository()
        let now = Timestamp.now()
        var ended = Ended()
        let live = try await repository.liveGrants(of: person.id, on: sql)
        for grant in live {
            let status: GrantStatus = grant.isApproved ? .revoked : .rejected
            try await repository.end(grant: grant.id, status: status, reason: .deactivated, at: now, on: sql)
            if grant.isApproved { ended.grants += 1 } else { ended.requests += 1 }
            try await AuditLog.record(
                "platform.grant_ended", tenantId: grant.tenantId, actor: actor,
                targetType: "environment", targetId: grant.environmentId,
                after: [
                    "grant": grant.id, "person": person.id, "status": status.rawValue,
                    "reason": GrantEnd.deactivated.rawValue,
                ], on: sql)
            try await notifier?.notify(
                [grant.decidedBy, grant.requestedBy].compactMap { $0 }, of: .grantEnded,
                params: ["person": person.displayName, "role": grant.role],
                link: "/platform/environments/\(grant.environmentId)", on: sql)
        }
        ended.reviewItems = try await repository.endOpenItems(grants: live.map(\.id), at: now, on: sql)
        ended.reassigned = try await reassignReviews(of: person, actor: actor, notifier: notifier, on: sql)
        try await AuditLog.record(
            "person.deactivated", tenantId: person.tenantId, actor: actor, targetType: "person",
            targetId: person.id, after: ended, on: sql)
        return ended
    }

    /// The person's undecided items in open reviews pass to the review's creator while they still
    /// manage its tenant, else to another manager who may review the grant; returns how many moved.
    private static func reassignReviews(
        of person: Person, actor: AuditLog.Actor, notifier: Notifier?,
        on sql: any SQLDatabase
    ) async throws -> Int {
        let rows = try await sql.raw(
            """
            SELECT i.id, i.grant_id, i.review_id FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id
            WHERE r.status = 'open' AND i.decision IS NULL AND i.reviewer_id = \(bind: person.id)
            """
        ).all()
        guard !rows.isEmpty else { return 0 }
        let repository = PlatformRepository()
        // Active managers only (the person is already inactive in this transaction), once per tenant.
        let systemAdmins = try await PlatformRecipients.holders(of: .systemAdmin, in: nil, on: sql)
        var managersOf: [String: [String]] = [:]
        var moved = 0
        for row in rows {
            let itemId = try row.decode(column: "id", as: String.self)
            guard
                let review = try await repository.review(try row.decode(column: "review_id", as: String.self), on: sql),
                let grant = try await repository.grant(try row.decode(column: "grant_id", as: String.self), on: sql)
            else { continue }
            if managersOf[review.tenantId] == nil {
                managersOf[review.tenantId] = try await PlatformRecipients.managers(of: review.tenantId, on: sql)
                    + systemAdmins
            }
            let managers = managersOf[review.tenantId] ?? []
            guard let next = PlatformDuties.reviewer(of: grant, managers: managers, creator: review.createdBy),
                  next != person.id
            else { continue }
            try await sql.update("access_review_items").set("reviewer_id", to: next).where("id", .equal, itemId).run()
            try await AuditLog.record(
                "platform.review_reassigned", tenantId: review.tenantId, actor: actor,
                targetType: "access_review", targetId: review.id,
                before: ["reviewer": person.id], after: ["reviewer": next, "grant": grant.id], on: sql)
            try await notifier?.notify(
                [next], of: .reviewReassigned,
                params: ["title": review.title, "due": review.dueOn, "person": person.displayName],
                link: "/platform/reviews/\(review.id)", on: sql)
            moved += 1
        }
        return moved
    }
}
