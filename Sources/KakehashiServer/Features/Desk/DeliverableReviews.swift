import KakehashiCore
import SQLKit

/// A review of one version of a deliverable (要件定義書 v1.2, 設計書…).
struct DeliverableReview: Codable, Sendable {
    var id: String
    var engagementId: String
    var phase: String
    var deliverable: String
    var versionLabel: String
    var reviewedOn: String
    var verdict: String
    var summary: String
    var reviewerId: String
    var createdAt: String
}

/// One point of a review: where in the deliverable, the verdict, and what to do.
struct DeliverableReviewItem: Codable, Sendable {
    var id: String
    var reviewId: String
    var position: Int
    var reference: String
    var verdict: String
    var comment: String
}

struct DeliverableReviewRepository: Sendable {
    func reviews(of engagementId: String, on sql: any SQLDatabase) async throws -> [DeliverableReview] {
        try await sql.select().column("*").from("deliverable_reviews").where("engagement_id", .equal, engagementId)
            .orderBy("reviewed_on", .descending).orderBy("created_at", .descending).all(decoding: DeliverableReview.self, with: .snake)
    }

    func items(of reviewIds: [String], on sql: any SQLDatabase) async throws -> [DeliverableReviewItem] {
        guard !reviewIds.isEmpty else { return [] }
        return try await sql.select().column("*").from("deliverable_review_items").where("review_id", .in, reviewIds)
            .orderBy("review_id").orderBy("position").all(decoding: DeliverableReviewItem.self, with: .snake)
    }

    func insert(_ review: DeliverableReview, items: [DeliverableReviewItem], on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "deliverable_reviews").model(review, keyEncodingStrategy: .convertToSnakeCase).run()
        guard !items.isEmpty else { return }
        try await sql.insert(into: "deliverable_review_items").models(items, keyEncodingStrategy: .convertToSnakeCase).run()
    }
}

/// What the review form (or the API) sends.
struct ReviewInput: Sendable {
    struct Item: Sendable {
        var reference: String?
        var verdict: String?
        var comment: String?
        var isBlank: Bool { [reference, verdict, comment].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
    }

    var deliverable: String?
    var versionLabel: String?
    var reviewedOn: String?
    var verdict: String?
    var summary: String?
    /// Rows in form order; blank rows are ignored, and errors name the row (`item_reference_3`).
    var items: [Item] = []
}

/// Records deliverable reviews on an open engagement, for the team that works on it.
struct DeliverableReviewService: Sendable {
    let database: AppDatabase
    let repository = DeliverableReviewRepository()

    func record(_ engagementId: String, _ input: ReviewInput, access: DeskAccess, actor: AuditLog.Actor) async throws -> DeliverableReview {
        var v = Validator()
        let deliverable = v.text("deliverable", input.deliverable, max: 200, required: true)
        let versionLabel = v.text("versionLabel", input.versionLabel, max: 50) ?? ""
        let date = v.date("reviewedOn", input.reviewedOn, required: true)
        if let date, date > TokyoDate.today() { v.fail("reviewedOn", "date_in_future") }
        let verdict = v.choice("verdict", input.verdict, as: DeliverableVerdict.self, required: true)
        let summary = v.longText("summary", input.summary, max: 4000) ?? ""
        var rows: [(String, ReviewItemVerdict, String)] = []
        for (index, item) in input.items.enumerated() where !item.isBlank {
            let n = index + 1
            let reference = v.text("item_reference_\(n)", item.reference, max: 200, required: true)
            let itemVerdict = v.choice("item_verdict_\(n)", item.verdict, as: ReviewItemVerdict.self, required: true)
            let comment = v.longText("item_comment_\(n)", item.comment, max: 2000, required: itemVerdict?.needsComment ?? false) ?? ""
            if let reference, let itemVerdict { rows.append((reference, itemVerdict, comment)) }
        }
        if input.items.allSatisfy(\.isBlank) { v.fail("item_reference_1", "review_needs_items") }
        if let verdict, v.errors.isEmpty, !DeliverableReviewRules.isConsistent(verdict, items: rows.map(\.1)) {
            v.fail("verdict", "review_verdict_\(verdict.rawValue)_inconsistent")
        }
        try v.check()
        let repository = self.repository, points = rows
        return try await database.transaction { sql in
            let engagement = try await EngagementService.openEngagement(engagementId, for: .work, access: access,
                                                                       engagements: EngagementRepository(), on: sql)
            let review = DeliverableReview(id: UUIDs.make(), engagementId: engagementId, phase: engagement.currentPhase, deliverable: deliverable!,
                                           versionLabel: versionLabel, reviewedOn: date!.iso, verdict: verdict!.rawValue, summary: summary,
                                           reviewerId: access.personId, createdAt: Timestamp.now())
            let items = points.enumerated().map { index, row in
                DeliverableReviewItem(id: UUIDs.make(), reviewId: review.id, position: index + 1, reference: row.0, verdict: row.1.rawValue, comment: row.2)
            }
            try await repository.insert(review, items: items, on: sql)
            try await AuditLog.record("engagement.review_recorded", tenantId: engagement.tenantId, actor: actor,
                                      targetType: "engagement", targetId: engagementId, after: review, on: sql)
            return review
        }
    }
}
