import Foundation
@testable import KakehashiServer
import Testing

/// Similar past consultations at intake and in triage, within what each person may read.
@Suite struct SimilarCasesTests {
    @Test func pastCasesLikeThisOneAreShownWithTheirReasonsToThoseWhoMayReadThem() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            let earlier = try await DeskSteps.draft(requester, title: "児童手当のオンライン申請化", kinds: ["specReview", "dxAdvice"])
            #expect(try await DeskSteps.submit(requester, earlier).status == .seeOther)
            let unrelated = try await DeskSteps.draft(requester, title: "庁内ネットワーク機器の更改", phase: "operations", kinds: ["operationsReadiness"],
                                                      summary: "保守期限を迎えるスイッチとルーターを入れ替えたい。", details: "本庁舎の3フロア分。")
            #expect(try await DeskSteps.submit(requester, unrelated).status == .seeOther)

            // At intake, on the draft's review page: the earlier case, and why.
            let draft = try await DeskSteps.draft(requester, title: "福祉手当のオンライン申請", kinds: ["specReview", "uxDesign"])
            let page = try await requester.get("/desk/consultations/\(draft)")
            let similar = try #require(page.body.components(separatedBy: "id=\"similar\"").last?.components(separatedBy: "id=\"messages\"").first)
            #expect(similar.contains("児童手当のオンライン申請化"))
            #expect(similar.contains("同じ福祉局"))
            #expect(similar.contains("共通の支援：仕様書チェック"))
            #expect(similar.contains("「オンライン申請」"))
            #expect(!similar.contains("庁内ネットワーク機器の更改"))

            // In triage, the desk sees it beside the rubric.
            #expect(try await DeskSteps.submit(requester, draft).status == .seeOther)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let form = try await desk.get("/desk/consultations/\(draft)/decision")
            #expect(form.body.contains("似ている過去の相談"))
            #expect(form.body.contains("児童手当のオンライン申請化"))

            // Another tenant's requester with the same idea sees none of 東京都's cases.
            let municipality = Browser(client)
            try await municipality.signIn("chiyoda-user", password: Fixture.password)
            let theirs = try await DeskSteps.draft(municipality, title: "福祉手当のオンライン申請")
            let theirPage = try await municipality.get("/desk/consultations/\(theirs)")
            #expect(!theirPage.body.contains("児童手当のオンライン申請化"))
            #expect(theirPage.body.contains("似ている過去の相談は見つかりませんでした"))
        }
    }
}
