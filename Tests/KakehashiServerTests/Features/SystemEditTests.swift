import Foundation
import HummingbirdTesting
@testable import KakehashiServer
import Testing

/// One system added and changed by hand, by the import's rules.
@Suite struct SystemEditTests {
    @Test func aSystemIsAddedAndChangedByHandWithTheImportsRules() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let (platform, id) = try await AssessmentTests.catalog(env, client)
            let form = try await platform.get("/portfolio/systems/new?tenant=tokyo")
            #expect(form.status == .ok && form.body.contains("システムの登録") && form.body.contains("所管組織"))
            let welfare = try #require(form.body.range(of: "<option value=\"tokyo-welfare\"") != nil ? "tokyo-welfare" : nil)
            func fields(_ changes: [(String, String)]) -> [(String, String)] {
                let base: [(String, String)] = [("tenant", "tokyo"), ("code", "NEW-1"), ("name", "新規システム"), ("owner", welfare), ("purpose", "試験"),
                                                ("users", "職員"), ("userCount", "120"), ("confidentiality", "2"), ("integrity", "1"), ("availability", "1"),
                                                ("personalNumber", "なし"), ("zone", "none"), ("hosting", "on_premises"), ("sharedPlatform", ""),
                                                ("inService", "2019-04-01"), ("source", "聞き取り"), ("sourceDate", "2026-10-01")]
                let names = Set(changes.map(\.0))
                return base.filter { !names.contains($0.0) } + changes
            }
            let bad = try await platform.post("/portfolio/systems/new", fields([("code", "1bad"), ("inService", "2019-02-30"), ("userCount", "many")]))
            #expect(bad.status == .unprocessableContent)
            for expected in ["システムIDは英字で始まる", "「2019-02-30」は日付として正しくありません", "「many」は0以上の整数ではありません", "value=\"新規システム\""] {
                #expect(bad.body.contains(expected), "missing: \(expected)")
            }
            let taken = try await platform.post("/portfolio/systems/new", fields([("code", "A-1")]))
            #expect(taken.status == .unprocessableContent && taken.body.contains("システムID「A-1」はすでに台帳にあります"))
            let made = try await platform.post("/portfolio/systems/new", fields([]))
            #expect(made.status == .seeOther)
            let page = try await platform.get(try #require(made.location))
            #expect(page.body.contains("NEW-1 新規システム") && page.body.contains("台帳に保存しました"))

            // A change: the code stays; a stale version is refused; the audit trail has before and after.
            let edit = try await platform.get("/portfolio/systems/\(id)/edit")
            #expect(edit.status == .ok && edit.body.contains("value=\"A-1\"") && edit.body.contains("name=\"version\" value=\"1\""))
            let changed = try await platform.post("/portfolio/systems/\(id)/edit", fields([("code", "ZZZ"), ("name", "窓口システム（更新）"), ("version", "1"), ("hosting", "data_centre")]))
            #expect(changed.status == .seeOther)
            let after = try await platform.get("/portfolio/systems/\(id)")
            #expect(after.body.contains("A-1 窓口システム（更新）") && !after.body.contains("ZZZ"))
            let stale = try await platform.post("/portfolio/systems/\(id)/edit", fields([("name", "古い画面から"), ("version", "1")]))
            #expect(stale.status == .conflict && stale.body.contains("ほかの人がこの内容を先に更新しました"))
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action = 'system.updated'") >= 1)

            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            #expect(try await desk.get("/portfolio/systems/\(id)/edit").status == .forbidden)
            #expect(try await desk.get("/portfolio/systems/new").status == .forbidden)
        }
    }
}
