import Foundation
@testable import KakehashiServer
import Testing

/// Saved views of the consultation list: one person's, canonical, limited, refusals explained.
@Suite struct SavedViewTests {
    @Test func aDeskOfficerSavesReopensAndDeletesAViewOfTheQueue() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let list = try await desk.get("/desk/consultations?state=submitted&phase=requirements&q=%E7%A6%8F%E7%A5%89")
            #expect(list.body.contains("name=\"query\" value=\"state=submitted&amp;phase=requirements&amp;q=%E7%A6%8F%E7%A5%89\""))
            // Unknown parameters and bad values are dropped; what is stored is the list's own form.
            let saved = try await desk.post("/desk/views", [("name", "要件定義の福祉案件"),
                                                            ("query", "state=submitted&phase=requirements&q=%E7%A6%8F%E7%A5%89&bogus=1&kind=nonsense")])
            #expect(saved.location == "/desk/consultations?state=submitted&phase=requirements&q=%E7%A6%8F%E7%A5%89&done=view_saved")
            let withView = try await desk.get(saved.location!)
            #expect(withView.body.contains("検索条件を保存しました"))
            #expect(withView.body.contains("<a href=\"/desk/consultations?state=submitted&amp;phase=requirements&amp;q=%E7%A6%8F%E7%A5%89\" aria-current=\"page\">要件定義の福祉案件</a>"))

            // The same name again, or none, is refused next to the field, keeping what was typed.
            let taken = try await desk.post("/desk/views", [("name", "要件定義の福祉案件"), ("query", "state=")])
            let refusedPage = try await desk.get(try #require(taken.location))
            #expect(refusedPage.body.contains("同じ名前の検索条件がすでにあります"))
            #expect(refusedPage.body.contains("value=\"要件定義の福祉案件\" aria-invalid=\"true\""))
            let blank = try await desk.post("/desk/views", [("name", " "), ("query", "state=")])
            #expect(try await desk.get(try #require(blank.location)).body.contains("入力してください"))
            let long = try await desk.post("/desk/views", [("name", String(repeating: "長", count: 51)), ("query", "state=")])
            #expect(try await desk.get(try #require(long.location)).body.contains("名前は50文字以内にしてください"))

            // Views are personal: another person neither sees nor deletes them.
            let viewId = try #require(withView.body.range(of: "action=\"/desk/views/").map { String(withView.body[$0.upperBound...].prefix { $0 != "/" }) })
            let other = Browser(client)
            try await other.signIn("spec-pm", password: Fixture.password)
            #expect(!(try await other.get("/desk/consultations")).body.contains("要件定義の福祉案件"))
            #expect(try await other.post("/desk/views/\(viewId)/delete", []).status == .notFound)
            try await desk.get("/desk/consultations")
            #expect(try await desk.post("/desk/views/\(viewId)/delete", []).location == "/desk/consultations?done=view_deleted")
            #expect(!(try await desk.get("/desk/consultations")).body.contains("要件定義の福祉案件"))

            // Twenty at most.
            for n in 1...SavedViewRoutes.maximumPerPerson {
                #expect(try await desk.post("/desk/views", [("name", "ビュー\(n)"), ("query", "state=&year=\(2000 + n)")]).status == .seeOther)
            }
            let tooMany = try await desk.post("/desk/views", [("name", "もう一つ"), ("query", "state=")])
            #expect(try await desk.get(try #require(tooMany.location)).body.contains("検索条件は20件まで保存できます"))
        }
    }
}
