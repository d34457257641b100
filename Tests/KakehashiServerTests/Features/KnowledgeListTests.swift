import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// The knowledge list sorts and pages; an article sent for review waits in a reviewer's inbox,
/// never in its author's.
@Suite struct KnowledgeListTests {
    static func titles(_ html: String) -> [String] {
        html.components(separatedBy: #"<td data-label="タイトル"><a href=""#).dropFirst()
            .map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
    }

    @Test func editorsSortTheirArticlesAndReviewersFindThoseInReview() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let author = Browser(client)
            try await author.signIn("spec-pm", password: Fixture.password)
            try await author.get("/knowledge/new")
            var ids: [String] = []
            for title in ["あ：調達の進め方", "さ：要件定義の型", "か：UXの基本"] {
                let created = try await author.post("/knowledge/new", [("title", title), ("kind", "guide"), ("tier", "tokyo"),
                                                                       ("body", "本文"), ("tags", ""), ("related", ""), ("note", "")])
                ids.append(try #require(KnowledgeTests.id(from: created.location)))
            }
            #expect(Self.titles(try await author.get("/knowledge?view=mine").body) == ["か：UXの基本", "さ：要件定義の型", "あ：調達の進め方"])
            let byTitle = try await author.get("/knowledge?view=mine&sort=title&dir=asc")
            #expect(Self.titles(byTitle.body) == ["あ：調達の進め方", "か：UXの基本", "さ：要件定義の型"])
            #expect(byTitle.body.contains("3件中 1〜3件を表示") && byTitle.body.contains(#"aria-sort="ascending""#))
            #expect(try await author.get("/knowledge?view=mine&sort=body&page=9").status == .ok)

            try await author.get("/knowledge/\(ids[0])")
            #expect(try await author.post("/knowledge/\(ids[0])/submit", [("version", DeskSteps.versionField(author.lastBody))]).status
                    == .seeOther)
            let reviewer = try await InboxTests.tasks(client, try await env.token(for: f.desk.deskOfficer), "?module=knowledge")
            #expect(reviewer.tasks.map(\.targetId) == [ids[0]] && reviewer.tasks.first?.summary.contains("岡田 悠人さん") == true)
            #expect(try await InboxTests.tasks(client, try await env.token(for: f.desk.pmSpecialist), "?module=knowledge").tasks.isEmpty)
        }
    }
}
