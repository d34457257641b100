import SQLKit

/// 成果物レビュー: a deliverable of the bureau's vendor checked by the engagement team,
/// with a verdict on the whole and on each point.
enum M0011_CreateDeliverableReviews {
    static func apply(_ sql: any SQLDatabase) async throws {
        try await sql.create(table: "deliverable_reviews")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("engagement_id", type: .text, .notNull, .references("engagements", "id"))
            .column("phase", type: .text, .notNull)
            .column("deliverable", type: .text, .notNull)
            .column("version_label", type: .text, .notNull)
            .column("reviewed_on", type: .text, .notNull)
            .column("verdict", type: .text, .notNull)
            .column("summary", type: .text, .notNull)
            .column("reviewer_id", type: .text, .notNull, .references("people", "id"))
            .column("created_at", type: .text, .notNull)
            .run()
        try await sql.create(index: "deliverable_reviews_engagement").on("deliverable_reviews").column("engagement_id").run()

        try await sql.create(table: "deliverable_review_items")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("review_id", type: .text, .notNull, .references("deliverable_reviews", "id"))
            .column("position", type: .int, .notNull)
            .column("reference", type: .text, .notNull)
            .column("verdict", type: .text, .notNull)
            .column("comment", type: .text, .notNull)
            .run()
        try await sql.create(index: "deliverable_review_items_review").on("deliverable_review_items").column("review_id").run()
    }
}
