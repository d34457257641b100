import Foundation
import KakehashiCore
@testable import KakehashiServer
import SQLKit

/// Real ids from the demo for every path parameter the router has, so that the route matrix calls
/// each route on a row that exists (a made-up id would be refused for the wrong reason).
struct DemoRows: Sendable {
    static let otherTenantLogin = "hachioji-all-roles"
    static let noRoleLogin = "tokyo-no-role"
    static let leaverLogin = "tokyo-leaver"

    /// Values by "<first path segment after the prefix>:<parameter>", then by parameter alone.
    let values: [String: String]

    /// Paths whose parameters name a row (beyond the tenant itself, which is covered by `/t/{tenant}` routes).
    static func namesARow(_ template: String) -> Bool { template.contains("{") }

    func fill(_ template: String) -> String {
        var segments = template.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for (index, segment) in segments.enumerated() {
            guard let open = segment.firstIndex(of: "{"), let close = segment.firstIndex(of: "}") else { continue }
            let name = String(segment[segment.index(after: open)..<close])
            let owner = segments[..<index].last { !$0.contains("{") && !$0.isEmpty && $0 != "api" && $0 != "v1" } ?? ""
            let value = values["\(owner):\(name)"] ?? values[name] ?? "no-such-row"
            segments[index] = segment.replacingCharacters(in: open...close, with: value)
        }
        return segments.joined(separator: "/")
    }

    static func load(_ env: TestEnvironment) async throws -> DemoRows {
        try await env.db { db in
            try await db.read { sql in
                func first(_ query: SQLQueryString) async throws -> String {
                    try await sql.raw(query).first(decodingColumn: "id", as: String.self) ?? "no-such-row"
                }
                let consultation = try await first("""
                    SELECT c.id FROM consultations c JOIN engagements e ON e.consultation_id = c.id
                    JOIN procurement_checks p ON p.engagement_id = e.id ORDER BY c.id LIMIT 1
                    """)
                let engagement = try await first("SELECT engagement_id AS id FROM procurement_checks ORDER BY id LIMIT 1")
                // Not one shared with 八王子市: a sharing tenant reads that one's summary by design (its details are
                // refused: PlatformTests.sharingTenantsReadTheSummaryOnly).
                let environment = try await first("""
                    SELECT id FROM environments WHERE shared_with NOT LIKE '%132012%' ORDER BY status, id LIMIT 1
                    """)
                let system = try await first("SELECT system_id AS id FROM environments WHERE id = \(bind: environment)")
                let grant = try await first("SELECT id FROM access_grants ORDER BY id LIMIT 1")
                let review = try await first("SELECT id FROM access_reviews ORDER BY id LIMIT 1")
                let check = try await first("SELECT id FROM procurement_checks ORDER BY id LIMIT 1")
                let article = try await first("SELECT id FROM articles WHERE tier <> 'public' ORDER BY id LIMIT 1")
                let values: [String: String] = [
                    "tenant": "tokyo", "tenantId": "tokyo",
                    "consultations:id": consultation, "consultationId": consultation,
                    "engagements:id": engagement, "engagementId": engagement,
                    "attachments:id": try await first("SELECT id FROM attachments ORDER BY id LIMIT 1"),
                    "attachmentId": try await first("SELECT id FROM attachments ORDER BY id LIMIT 1"),
                    "members:member": try await first("SELECT id FROM engagement_members WHERE engagement_id = \(bind: engagement) LIMIT 1"),
                    "checklist:item": try await first("""
                        SELECT i.id FROM phase_checklist_items i JOIN engagement_phases p ON p.id = i.phase_id
                        WHERE p.engagement_id = \(bind: engagement) ORDER BY i.id LIMIT 1
                        """),
                    "procurement:check": check, "checkId": check, "procurement-checks:checkId": check,
                    "rules:kind": "spec", "versions:id": try await first("SELECT id FROM procurement_rule_sets ORDER BY id LIMIT 1"),
                    "views:id": try await first("SELECT id FROM saved_views ORDER BY id LIMIT 1"),
                    "knowledge:id": article, "articleId": article, "versions:version": "1", "version": "1",
                    "notifications:id": try await first("SELECT id FROM notifications WHERE person_id = 'demo-desk' ORDER BY id LIMIT 1"),
                    "environments:id": environment, "environmentId": environment,
                    "grants:grant": grant, "grantId": grant,
                    "uses:use": try await first("SELECT id FROM breakglass_uses ORDER BY id LIMIT 1"),
                    "reviews:id": review, "reviewId": review,
                    "items:item": try await first("SELECT id FROM access_review_items WHERE review_id = \(bind: review) LIMIT 1"),
                    "itemId": try await first("SELECT id FROM access_review_items WHERE review_id = \(bind: review) LIMIT 1"),
                    "questionnaires:id": try await first("SELECT id FROM questionnaires ORDER BY id LIMIT 1"),
                    "systems:id": system, "systemId": system,
                    "exceptions:exceptionId": try await first("SELECT id FROM baseline_exceptions ORDER BY id LIMIT 1"),
                    "files:fileId": try await first("SELECT id FROM baseline_files ORDER BY id LIMIT 1"),
                    "runs:runId": try await first("SELECT id FROM baseline_runs ORDER BY id LIMIT 1"),
                    "waves:id": try await first("SELECT id FROM wave_plans ORDER BY id LIMIT 1"),
                    "planId": try await first("SELECT id FROM wave_plans ORDER BY id LIMIT 1"),
                    "people:id": "demo-desk", "personId": "demo-desk",
                    "units:id": try await first("SELECT id FROM org_units WHERE tenant_id = 'tokyo' ORDER BY id LIMIT 1"),
                    "roles:grant": try await first("SELECT id FROM role_grants WHERE person_id = 'demo-desk' LIMIT 1"),
                    "tokens:id": try await first("SELECT id FROM api_tokens ORDER BY id LIMIT 1"),
                    "fiscalYear": String(FiscalYear(containing: TokyoDate.today()).startYear),
                ]
                return DemoRows(values: values)
            }
        }
    }

    /// 八王子市's person with every local role, a 東京都 person with none, and one who will leave.
    static func addWrongPeople(_ env: TestEnvironment) async throws {
        let hash = try await Passwords(cost: 4).hash(DemoData.password)
        try await env.db { db in
            try await db.transaction { sql in
                let hachiojiUnit = try await sql.raw("SELECT id FROM org_units WHERE tenant_id = '132012' ORDER BY id LIMIT 1")
                    .first(decodingColumn: "id", as: String.self) ?? ""
                let tokyoUnit = try await sql.raw("SELECT id FROM org_units WHERE tenant_id = 'tokyo' AND parent_id IS NOT NULL ORDER BY id LIMIT 1")
                    .first(decodingColumn: "id", as: String.self) ?? ""
                _ = try await Fixture.person(otherTenantLogin, "八王子 全権", tenant: "132012", unit: hachiojiUnit,
                                             roles: [.tenantAdmin, .requester, .platformEngineer, .auditor], hash: hash, on: sql)
                _ = try await Fixture.person(noRoleLogin, "権限 なし", tenant: "tokyo", unit: tokyoUnit, roles: [], hash: hash, on: sql)
                _ = try await Fixture.person(leaverLogin, "退職 予定", tenant: "tokyo", unit: tokyoUnit, roles: [.requester],
                                             hash: hash, on: sql)
            }
        }
    }
}
