import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import SQLKit
import Testing

/// The demo reads like a year of a real DX support desk: titles do not repeat, its words are the
/// desk's own, and searching them finds something.
@Suite struct DemoTextTests {
    @Test func titlesDoNotRepeatAndTheDesksWordsAreFound() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        let titles = try await env.db { db in
            try await db.read { sql in try await sql.raw("SELECT title FROM consultations").all(decodingColumn: "title", as: String.self) }
        }
        #expect(titles.count > 250)
        #expect(Set(titles).count == titles.count,
            "repeated: \(Dictionary(grouping: titles, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted().prefix(5))")
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let desk = Browser(client)
            try await desk.signIn("desk", password: DemoData.password)
            for word in ["DX", "ガバメントクラウド", "仕様書", "見積", "ユーザーテスト", "窓口DX"] {
                let page = try await desk.get("/search?q=\(Browser.encode(word))")
                let found = page.body.range(of: #"(\d+)件見つかりました"#, options: .regularExpression).map { String(page.body[$0]) } ?? ""
                #expect(!found.isEmpty && !found.hasPrefix("0件"), "「\(word)」 finds \(found)")
            }
            // A tag is found even where the article's text does not say it.
            let tagged = try await desk.get("/search?q=\(Browser.encode("好事例"))&type=article")
            #expect(tagged.body.contains("窓口予約のオンライン化で待ち時間を半減"))
        }
    }
}
