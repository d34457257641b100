import Foundation
import KakehashiCore
import SQLKit

/// 棚卸し: a campaign over a tenant's (or one environment's) current grants. Each grant goes to the
/// person who approved it (or the campaign's creator), who confirms or revokes it before the due
/// date; what is not decided by then is flagged. A revoked grant ends at once; a confirmed one
/// counts as reviewed (a transfer before it no longer shows). The result is exported as evidence.
struct AccessReviewService: Sendable {
    let database: AppDatabase
    var notifier: Notifier? = nil
    let repository = PlatformRepository()

    func create(tenant: String?, environment: String?, title: String?, dueOn: String?, principal: Principal) async throws -> AccessReview {
        let access = PlatformAccess(principal: principal)
        var v = Validator()
        let title = v.text("title", title, max: 200, required: true)
        let due = v.date("dueOn", dueOn, required: true)
        if let due, due < TokyoDate.today() { v.fail("dueOn", "platform_review_due") }
        let tenant = v.text("tenant", tenant, max: 64, required: true)
        try v.check()
        let repository = self.repository, notifier = self.notifier
        return try await database.transaction { sql in
            guard let tenant, access.mayRead(tenant) else { throw AppError.notFound }
            guard access.mayManage(tenant) else { throw AppError.forbidden }
            let environmentId = environment.flatMap { $0.isEmpty ? nil : $0 }
            if let environmentId {
                guard try await repository.environment(environmentId, tenants: [tenant], on: sql) != nil else {
                    throw AppError.invalid([FieldError(field: "environment", code: "invalid_choice")])
                }
            }
            let today = TokyoDate.today().iso
            let grants = try await repository.grants(tenant: tenant, environment: environmentId, on: sql)
                .filter { $0.isApproved && $0.endsOn >= today }
            guard !grants.isEmpty else { throw AppError.invalid([FieldError(field: "environment", code: "platform_review_empty")]) }
            let review = AccessReview(id: UUIDs.make(), tenantId: tenant, environmentId: environmentId, title: title!, dueOn: due!.iso, status: "open",
                                      createdBy: principal.id, createdAt: Timestamp.now(), closedAt: nil)
            // System administrators manage every tenant, so they may review too.
            let managers = try await PlatformRecipients.managers(of: tenant, on: sql)
                + PlatformRecipients.holders(of: .systemAdmin, in: nil, on: sql)
            let items = try grants.map { g in
                guard let reviewer = PlatformDuties.reviewer(of: g, managers: managers, creator: principal.id) else {
                    throw AppError.invalid([FieldError(field: "environment", code: "platform_review_no_reviewer")])
                }
                return AccessReviewItem(id: UUIDs.make(), reviewId: review.id, grantId: g.id, reviewerId: reviewer, decision: nil, note: "", decidedAt: nil)
            }
            try await repository.insert(review, items: items, on: sql)
            try await AuditLog.record("platform.review_opened", tenantId: tenant, actor: .init(principal), targetType: "access_review", targetId: review.id,
                                      after: ["title": review.title, "items": String(items.count), "due": review.dueOn], on: sql)
            try await notifier?.notify(Array(Set(items.map(\.reviewerId))), of: .reviewOpened, params: ["title": review.title, "due": review.dueOn],
                                       link: "/platform/reviews/\(review.id)", except: principal.id, on: sql)
            return review
        }
    }

    /// The reviewer's `confirm` or `revoke` on one grant of an open campaign.
    func decide(_ reviewId: String, item itemId: String, decision: String?, note: String?, principal: Principal) async throws {
        let access = PlatformAccess(principal: principal)
        var v = Validator()
        let decision = v.text("decision_\(itemId)", decision, max: 10, required: true)
        if let decision, !["confirm", "revoke"].contains(decision) { v.fail("decision_\(itemId)", "invalid_choice") }
        let note = v.longText("note_\(itemId)", note, max: 1_000, required: decision == "revoke") ?? ""
        try v.check()
        let repository = self.repository
        try await database.transaction { sql in
            guard let review = try await repository.review(reviewId, on: sql), access.mayRead(review.tenantId),
                  let item = try await repository.items(of: reviewId, on: sql).first(where: { $0.id == itemId }) else { throw AppError.notFound }
            guard item.reviewerId == principal.id else { throw AppError.forbidden }
            guard let grant = try await repository.grant(item.grantId, on: sql), PlatformDuties.mayReview(grant, by: principal.id) else {
                throw PlatformDuties.refusal
            }
            guard review.status == "open" else { throw PlatformError.reviewClosed.error }
            try await repository.decide(item: itemId, decision: decision!, note: note, at: Timestamp.now(), on: sql)
            if decision == "revoke" {
                try await repository.setGrant(item.grantId, status: GrantStatus.revoked.rawValue, by: nil, at: nil, confirmedOn: nil, on: sql)
            } else {
                try await repository.confirm(item.grantId, on: TokyoDate.today().iso, on: sql)
            }
            try await AuditLog.record("platform.review_\(decision!)", tenantId: review.tenantId, actor: .init(principal), targetType: "access_review",
                                      targetId: reviewId, after: ["grant": item.grantId, "note": note], on: sql)
        }
    }

    func close(_ reviewId: String, principal: Principal) async throws {
        let access = PlatformAccess(principal: principal)
        let repository = self.repository
        try await database.transaction { sql in
            guard let review = try await repository.review(reviewId, on: sql), access.mayRead(review.tenantId) else { throw AppError.notFound }
            guard access.mayManage(review.tenantId) else { throw AppError.forbidden }
            guard review.status == "open" else { throw PlatformError.reviewClosed.error }
            try await repository.close(review: reviewId, at: Timestamp.now(), on: sql)
            let open = try await repository.items(of: reviewId, on: sql).filter { $0.decision == nil }.count
            try await AuditLog.record("platform.review_closed", tenantId: review.tenantId, actor: .init(principal), targetType: "access_review",
                                      targetId: reviewId, after: ["undecided": String(open)], on: sql)
        }
    }
}
