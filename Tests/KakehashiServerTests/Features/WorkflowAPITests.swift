import Foundation
import HummingbirdTesting
import SQLKit
import Testing

@testable import KakehashiServer

/// The smaller steps through the API, on the demo's rows: each taken by the person whose work it
/// is (and the row changes), refused to someone else (and nothing changes).
@Suite struct WorkflowAPITests {
    static func one(_ env: TestEnvironment, _ query: SQLQueryString) async throws -> String {
        try #require(
            try await env.db { db in
                try await db.read { sql in try await sql.raw(query).first(decodingColumn: "id", as: String.self) }
            })
    }

    @Test func theSmallerStepsAreTakenByThoseWhoseWorkTheyAre() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        let desk = try await env.token(for: "demo-desk")
        let requester = try await env.token(for: "demo-requester")
        let platform = try await env.token(for: "demo-platform")
        let auditor = try await env.token(for: "demo-auditor")
        let chiyodaAdmin = try await env.token(for: "demo-chiyoda-admin")
        let admin = try await env.token(for: "demo-admin")
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            // A person's name, the rest kept; an administrator of another tenant does not find them.
            let person = try await Self.one(
                env,
                "SELECT id FROM people WHERE tenant_id = '131016' AND id <> 'demo-chiyoda-admin' ORDER BY id LIMIT 1")
            let emailBefore = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT email FROM people WHERE id = \(bind: person)").first(
                        decodingColumn: "email", as: String?.self)
                }
            }
            let renamed = try await client.api(
                "/api/v1/tenants/131016/people/\(person)", method: .patch, token: chiyodaAdmin,
                json: #"{"displayName":"改名 後子"}"#)
            #expect(renamed.status == .ok, "\(renamed.body)")
            #expect(
                try await PortfolioTests.count(env, "people", where: "id = \(bind: person) AND display_name = '改名 後子'")
                    == 1)
            let emailAfter = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw("SELECT email FROM people WHERE id = \(bind: person)").first(
                        decodingColumn: "email", as: String?.self)
                }
            }
            #expect(emailAfter == emailBefore)
            #expect(
                try await client.api(
                    "/api/v1/tenants/131016/people/\(person)", method: .patch, token: chiyodaAdmin,
                    json: #"{"displayName":""}"#
                ).status == .unprocessableContent)
            #expect(
                try await client.api(
                    "/api/v1/tenants/tokyo/people/demo-desk", method: .patch, token: chiyodaAdmin,
                    json: #"{"displayName":"乗っ取り"}"#
                ).status == .notFound)

            // The checklist of an open engagement: its members tick; the auditor does not.
            let item = try await Self.one(
                env,
                """
                SELECT i.id FROM phase_checklist_items i JOIN engagement_phases p ON p.id = i.phase_id
                JOIN engagements e ON e.id = p.engagement_id
                WHERE e.state <> 'closed' AND i.done = \(bind: false) ORDER BY i.id LIMIT 1
                """)
            let engagement = try await Self.one(
                env,
                """
                SELECT p.engagement_id AS id FROM phase_checklist_items i JOIN engagement_phases p ON p.id = i.phase_id
                WHERE i.id = \(bind: item)
                """)
            let checklist = "/api/v1/engagements/\(engagement)/checklist/\(item)"
            #expect(
                try await client.api(checklist, method: .put, token: auditor, json: #"{"done":true}"#).status
                    == .forbidden)
            #expect(
                try await client.api(checklist, method: .put, token: desk, json: #"{"done":"yes"}"#).status
                    == .badRequest)
            #expect(
                try await client.api(checklist, method: .put, token: desk, json: #"{"done":true}"#).status == .noContent
            )
            #expect(
                try await PortfolioTests.count(
                    env, "phase_checklist_items", where: "id = \(bind: item) AND done = \(bind: true)") == 1)

            // A specialist off the team: the desk manages it, the requester may not.
            let member = try await Self.one(
                env, "SELECT id FROM engagement_members WHERE engagement_id = \(bind: engagement) ORDER BY id LIMIT 1")
            let memberPath = "/api/v1/engagements/\(engagement)/members/\(member)"
            let refused = try await client.api(memberPath, method: .delete, token: requester)
            #expect(refused.status == .forbidden || refused.status == .notFound)
            #expect(try await client.api(memberPath, method: .delete, token: desk).status == .noContent)
            #expect(
                try await PortfolioTests.count(
                    env, "engagement_members", where: "id = \(bind: member) AND left_on IS NOT NULL") == 1)

            // The requester rates a closed engagement once; the desk does not rate for them.
            let closed = try await Self.one(
                env,
                """
                SELECT e.id FROM engagements e JOIN consultations c ON c.id = e.consultation_id
                WHERE e.state = 'closed' AND c.requester_id = 'demo-requester' ORDER BY e.id LIMIT 1
                """)
            try await env.execute(
                "UPDATE engagements SET satisfaction = NULL, satisfaction_comment = NULL WHERE id = \(bind: closed)")
            let rating = "/api/v1/engagements/\(closed)/rating"
            #expect(
                try await client.api(rating, method: .post, token: desk, json: #"{"satisfaction":5}"#).status
                    == .forbidden)
            #expect(
                try await client.api(rating, method: .post, token: requester, json: #"{"satisfaction":9}"#).status
                    == .unprocessableContent)
            let rated = try await client.api(
                rating, method: .post, token: requester, json: #"{"satisfaction":4,"comment":"助かりました"}"#)
            #expect(rated.status == .ok, "\(rated.body)")
            #expect(
                try await client.api(rating, method: .post, token: requester, json: #"{"satisfaction":5}"#).status
                    == .conflict)

            // An estimate check accepted by the desk.
            let check = try await Self.one(
                env, "SELECT id FROM procurement_checks WHERE kind = 'estimate' ORDER BY id LIMIT 1")
            #expect(
                try await client.api(
                    "/api/v1/procurement-checks/\(check)/mark", method: .post, token: requester,
                    json: #"{"action":"accept"}"#
                ).status != .ok)
            let marked = try await client.api(
                "/api/v1/procurement-checks/\(check)/mark", method: .post, token: desk, json: #"{"action":"accept"}"#)
            #expect(marked.status == .ok, "\(marked.body)")

            // Break-glass: the holder records a use; the platform team reviews it, never the holder.
            let grant = try await Self.one(
                env,
                """
                SELECT id FROM access_grants WHERE account_kind = 'breakglass' AND status = 'approved'
                AND person_id = 'demo-admin' ORDER BY id LIMIT 1
                """)
            let uses = "/api/v1/platform/grants/\(grant)/uses"
            let noReason = try await client.api(
                uses, method: .post, token: admin, json: #"{"usedOn":"2026-11-30","reason":""}"#)
            #expect(noReason.status == .unprocessableContent && noReason.body.contains(#""field":"reason""#))
            #expect(
                try await client.api(
                    uses, method: .post, token: requester, json: #"{"usedOn":"2026-11-30","reason":"x"}"#
                ).status != .noContent)
            #expect(
                try await client.api(
                    uses, method: .post, token: admin, json: #"{"usedOn":"2026-11-30","reason":"障害対応"}"#
                ).status == .noContent)
            let use = try await Self.one(
                env, "SELECT id FROM breakglass_uses WHERE grant_id = \(bind: grant) AND reason = '障害対応'")
            #expect(
                try await client.api("/api/v1/platform/uses/\(use)/review", method: .post, token: auditor).status
                    == .forbidden)
            let own = try await client.api("/api/v1/platform/uses/\(use)/review", method: .post, token: admin)
            #expect(own.status == .forbidden && own.body.contains("platform_own_request"))
            #expect(
                try await client.api("/api/v1/platform/uses/\(use)/review", method: .post, token: platform).status
                    == .noContent)
            #expect(
                try await PortfolioTests.count(
                    env, "breakglass_uses", where: "id = \(bind: use) AND reviewed_by = 'demo-platform'") == 1)

            // An access review closed by the platform team.
            let review = try await Self.one(
                env, "SELECT id FROM access_reviews WHERE status = 'open' ORDER BY id LIMIT 1")
            #expect(
                try await client.api("/api/v1/platform/reviews/\(review)/close", method: .post, token: requester).status
                    != .ok)
            #expect(
                try await client.api("/api/v1/platform/reviews/\(review)/close", method: .post, token: platform).status
                    == .ok)
            #expect(
                try await PortfolioTests.count(
                    env, "access_reviews", where: "id = \(bind: review) AND status = 'closed'") == 1)

            // A wave plan approved by those who keep the catalog.
            let plan = try await Self.one(
                env, "SELECT id FROM wave_plans WHERE status = 'draft' AND feasible = \(bind: true) ORDER BY id LIMIT 1"
            )
            #expect(
                try await client.api("/api/v1/wave-plans/\(plan)/approve", method: .post, token: auditor).status
                    == .forbidden)
            #expect(
                try await client.api("/api/v1/wave-plans/\(plan)/approve", method: .post, token: platform).status
                    == .forbidden, "its maker")
            #expect(
                try await client.api("/api/v1/wave-plans/\(plan)/approve", method: .post, token: admin).status == .ok)
            #expect(
                try await PortfolioTests.count(env, "wave_plans", where: "id = \(bind: plan) AND status = 'approved'")
                    == 1)

            // Cost assumptions: read, refused out of range (every bad value named), saved.
            struct Costs: Decodable {
                let years: Int
                let serverPrice: Int
            }
            let costs = try await client.api("/api/v1/tenants/tokyo/cost-assumptions", token: platform)
            #expect(costs.status == .ok)
            var values = try JSONSerialization.jsonObject(with: Data(costs.body.utf8)) as? [String: Int] ?? [:]
            values["years"] = 99
            values["serverPrice"] = -1
            let bad = try await client.api(
                "/api/v1/tenants/tokyo/cost-assumptions", method: .put, token: platform,
                json: String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self))
            #expect(
                bad.status == .unprocessableContent && bad.body.contains(#""field":"years""#)
                    && bad.body.contains(#""field":"serverPrice""#))
            values["years"] = 7
            values["serverPrice"] = 2_500_000
            let saved = try await client.api(
                "/api/v1/tenants/tokyo/cost-assumptions", method: .put, token: platform,
                json: String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self))
            #expect(saved.status == .ok, "\(saved.body)")
            let reread = try JSONDecoder().decode(
                Costs.self,
                from: Data(
                    try await client.api(
                        "/api/v1/tenants/tokyo/cost-assumptions",
                        token: platform
                    ).body.utf8))
            #expect(reread.years == 7 && reread.serverPrice == 2_500_000)
            #expect(
                try await client.api(
                    "/api/v1/tenants/tokyo/cost-assumptions", method: .put, token: chiyodaAdmin,
                    json: "{}"
                ).status == .notFound)
        }
    }
}
