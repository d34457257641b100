import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
import Testing

/// `serve --demo`'s data: the organisation and a year of the desk, consistent on both engines.
@Suite struct DemoDataTests {
    @Test func theDemoHasEveryStateOfTheDeskAndLoadsOnce() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        #expect(try await Maintenance.prepareForServe(env.config, demo: true) == false)

        struct Count: Decodable { let state: String; let n: Int }
        let (states, tenants, unmatched, engagementStates, duplicates, activities) = try await env.db { db in
            try await db.read { sql in
                (try await sql.raw("SELECT state, COUNT(*) AS n FROM consultations GROUP BY state").all(decoding: Count.self),
                 try await sql.raw("SELECT COUNT(*) AS n FROM tenants").first(decodingColumn: "n", as: Int.self) ?? 0,
                 // Accepted consultations and engagements pair one to one.
                 try await sql.raw("""
                    SELECT COUNT(*) AS n FROM consultations c LEFT JOIN engagements e ON e.consultation_id = c.id
                    WHERE (c.state = 'accepted') <> (e.id IS NOT NULL)
                    """).first(decodingColumn: "n", as: Int.self) ?? -1,
                 try await sql.raw("SELECT state, COUNT(*) AS n FROM engagements GROUP BY state").all(decoding: Count.self),
                 try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT number FROM consultations WHERE number IS NOT NULL GROUP BY number HAVING COUNT(*) > 1) d")
                    .first(decodingColumn: "n", as: Int.self) ?? -1,
                 try await sql.raw("SELECT COUNT(*) AS n FROM activities").first(decodingColumn: "n", as: Int.self) ?? 0)
            }
        }
        #expect(tenants == 63)
        #expect(states.reduce(0) { $0 + $1.n } == DemoDesk.consultationCount)
        #expect(Set(states.map(\.state)) == Set(ConsultationState.allCases.map(\.rawValue)), "\(states)")
        #expect(unmatched == 0)
        #expect(Set(engagementStates.map(\.state)) == ["active", "closed"])
        #expect(duplicates == 0)
        #expect(activities > 1000)
        // A catalog of about 300 systems: every bureau and four municipalities, interfaces some of which run both ways.
        let (systems, owners, mutual, municipal) = try await env.db { db in
            try await db.read { sql in
                (try await sql.raw("SELECT COUNT(*) AS n FROM systems").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await sql.raw("SELECT COUNT(DISTINCT owner_unit_id) AS n FROM systems WHERE tenant_id = 'tokyo'").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await sql.raw("""
                    SELECT COUNT(*) AS n FROM system_interfaces a JOIN system_interfaces b ON a.consumer_id = b.provider_id AND a.provider_id = b.consumer_id
                    """).first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await sql.raw("SELECT COUNT(*) AS n FROM systems WHERE network_zone = 'mynumber' AND tenant_id <> 'tokyo'").first(decodingColumn: "n", as: Int.self) ?? 0)
            }
        }
        #expect((280...330).contains(systems), "\(systems) systems")
        #expect(owners >= 23)
        #expect(mutual >= 8)
        #expect(municipal == 4 * 10)
        // About half of 東京都's systems assessed, most of those decided, and one approved plan that keeps every constraint.
        let (assessed, decided, approved, drafts) = try await env.db { db in
            try await db.read { sql in
                (try await sql.raw("SELECT COUNT(*) AS n FROM system_assessments").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await sql.raw("SELECT COUNT(*) AS n FROM system_reviews").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await sql.raw("SELECT COUNT(*) AS n FROM wave_plans WHERE status = 'approved' AND feasible AND tenant_id = 'tokyo'").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await sql.raw("SELECT COUNT(*) AS n FROM wave_plans WHERE status = 'draft'").first(decodingColumn: "n", as: Int.self) ?? 0)
            }
        }
        #expect((80...160).contains(assessed), "\(assessed) assessed")
        #expect(decided > assessed / 2 && decided < assessed, "\(decided) decided")
        #expect(approved == 1 && drafts == 1)
        // Deliverable reviews exist, each with a verdict that agrees with its points.
        let (reviews, items) = try await env.db { db in
            try await db.read { sql in
                (try await sql.select().column("*").from("deliverable_reviews").all(decoding: DeliverableReview.self, with: .snake),
                 try await sql.select().column("*").from("deliverable_review_items").all(decoding: DeliverableReviewItem.self, with: .snake))
            }
        }
        #expect(reviews.count > 30)
        #expect(Set(reviews.map(\.verdict)) == Set(DeliverableVerdict.allCases.map(\.rawValue)))
        for review in reviews {
            let verdicts = items.filter { $0.reviewId == review.id }.compactMap { ReviewItemVerdict(rawValue: $0.verdict) }
            #expect(!verdicts.isEmpty && DeliverableReviewRules.isConsistent(DeliverableVerdict(rawValue: review.verdict)!, items: verdicts), "\(review.id)")
        }

        // The desk account sees a queue; the demo requester sees their own history.
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let desk = Browser(client)
            try await desk.signIn("desk", password: DemoData.password)
            let queue = try await desk.get("/desk/consultations")
            #expect(queue.body.contains("受付中（判断待ち）"))
            let requester = Browser(client)
            try await requester.signIn("requester", password: DemoData.password)
            let mine = try await requester.get("/desk/consultations?state=accepted")
            #expect(mine.body.contains("支援決定"))
            // Knowledge of every state; visitors read the public articles only, found by search too.
            let visitor = Browser(client)
            let shelf = try await visitor.get("/knowledge")
            #expect(shelf.body.contains("ガバメントクラウドの使い方 Q&amp;A"))
            #expect(shelf.body.contains("アクセシビリティ要件の書き方"))
            #expect(!shelf.body.contains("仕様書チェックの進め方"))
            #expect(try await visitor.get("/search?q=%E8%AB%8B%E6%B1%82").body.contains("ガバメントクラウドの使い方"))   // 請求
            let drafts = try await desk.get("/knowledge?view=draft")
            #expect(drafts.body.contains("生成AI活用のガイドライン（案）"))
            #expect(try await requester.get("/knowledge/demo-article-case-study").status == .ok)
        }
        // The demo's case study names nobody from its case.
        let left = try await env.db { db in
            try await db.read { sql -> [String] in
                let article = try #require(try await ArticleRepository().find("demo-article-case-study", on: sql))
                let names = try await CaseStudy.names(ofEngagement: try #require(article.sourceEngagementId), on: sql)
                #expect(!names.isEmpty)
                return Redaction.remaining(in: article.body, names: names)
            }
        }
        #expect(left.isEmpty)
    }
}
