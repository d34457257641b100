import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// Every page of the portfolio in Japanese and English with no message key shown raw (the catalogs'
/// key sets are checked equal when they load).
@Suite struct PortfolioPagesTests {
    static let prefixes = ["plan", "plans", "assessment", "review", "questionnaire", "questionnaires", "progress", "strategy", "risk", "confidence",
                           "migration", "cost", "system", "wave", "capacity", "compare", "cut", "timeline", "resource", "history", "condition",
                           "issue", "zone", "hosting", "baseline", "compliance", "exception", "validation", "error", "notice", "catalog", "import", "field", "filter"]

    @Test func everyPortfolioPageRendersInBothLanguagesWithoutGaps() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await AssessmentTests.catalog(env, client)
            #expect(try await platform.post("/portfolio/systems/\(id)/assess", [("questionnaire", "kkh-migration-standard"), ("version", "1"),
                                                                                ("answer.app_type", "mainframe"), ("answer.os_support", "ended")]).status == .seeOther)
            #expect(try await platform.post("/portfolio/systems/\(id)/review", [("strategy", "refactor"), ("effort", "6"), ("target_cloud", "aws"),
                                                                                ("status", "preparing"), ("comment", "")]).status == .seeOther)
            let first = try #require(try await WavePlanTests.plan(platform, []).location?.components(separatedBy: "?").first)
            let approver = try await WavePlanTests.secondEngineer(env, client)
            try await approver.get(first)
            #expect(try await approver.post("\(first)/approve", []).status == .seeOther)
            let second = try #require(try await WavePlanTests.plan(platform, [("name", "工数なし"), ("platform_capacity", "0")]).location?.components(separatedBy: "?").first)
            let a = first.components(separatedBy: "/").last!, b = second.components(separatedBy: "/").last!
            for lang in ["ja", "en"] {
                try await platform.post("/preferences/lang", [("lang", lang), ("next", "/home")])
                for uri in ["/portfolio", "/portfolio/systems/\(id)", "/portfolio/systems/\(id)/assess", "/portfolio/systems/\(id)/review",
                            "/portfolio/systems/\(id)/edit", "/portfolio/systems/new", "/portfolio/questionnaires", "/portfolio/waves", first, second,
                            "/portfolio/waves/new?tenant=tokyo&based_on=\(a)", "/portfolio/waves/compare?a=\(a)&b=\(b)", "/portfolio/progress",
                            "/portfolio/costs", "/portfolio/import", "/portfolio/systems/\(id)/baseline", "/portfolio/compliance"] {
                    let page = try await platform.get(uri)
                    #expect(page.status == .ok, "\(lang) \(uri): \(page.status)")
                    #expect(page.body.contains("<html lang=\"\(lang)\">"), "\(uri)")
                    #expect(DeskPagesTests.rawKeys(page.body, prefixes: Self.prefixes).isEmpty,
                            "\(lang) \(uri): \(DeskPagesTests.rawKeys(page.body, prefixes: Self.prefixes))")
                }
            }
        }
    }
}
