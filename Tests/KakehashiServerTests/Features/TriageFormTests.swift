import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// The triage form shows the consultation it judges, and a refused decision says so at the top
/// and in the page title, keeping what was typed.
@Suite struct TriageFormTests {
    @Test func theTriageFormShowsTheCaseAndItsErrorsFirst() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let draft = try await DeskPickerTests.submittedCase(env, client, f, title: "介護認定の電子申請")
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let form = try await desk.get("/desk/consultations/\(draft.id)/decision")
            let subject = try #require(form.body.range(of: #"<section class="subject""#))
            let section = String(form.body[subject.lowerBound...].prefix { $0 != "§" }.prefix(3000))
            #expect(section.contains("判断する相談の内容") && section.contains("窓口の予約をオンライン化したい"))
            #expect(section.contains("UI/UXデザイン") && section.contains("要件定義") && section.contains("1,000万円未満"))

            let refused = try await desk.post("/desk/consultations/\(draft.id)/decision",
                                              [("version", DeskSteps.versionField(form.body)), ("outcome", "decline"),
                                               ("scope", "書きかけの範囲")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("<title>入力内容にエラーがあります：支援可否の判断"))
            let summary = try #require(refused.body.range(of: #"class="error-summary""#))
            let facts = try #require(refused.body.range(of: #"<section class="subject""#))
            #expect(summary.lowerBound < facts.lowerBound, "the errors come before everything else")
            #expect(refused.body.contains("書きかけの範囲"), "nothing typed is lost")
        }
    }
}
