import Foundation
import HummingbirdTesting
@testable import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing

/// 移行ウェーブ計画: scenarios made from the catalog and the decisions on it, shown as a timeline
/// with capacity use, re-planned around fixed waves, compared, and one approved per tenant.
@Suite struct WavePlanTests {
    /// Another 東京都 platform engineer, to approve what the first one planned.
    static func secondEngineer(_ env: TestEnvironment, _ client: any TestClientProtocol) async throws -> Browser {
        let hash = try await Passwords(cost: 4).hash(Fixture.password)
        _ = try await env.db { db in
            try await db.transaction { sql in
                try await Fixture.person("tokyo-platform-2", "基盤 二郎", tenant: "tokyo", unit: "tokyo-digital", roles: [.platformEngineer],
                                         hash: hash, on: sql)
            }
        }
        return try await PortfolioTests.engineer("tokyo-platform-2", client)
    }

    @Test func theBuilderTakesEffortDeadlinesAndExclusionsFromTheCatalog() {
        func system(_ id: String, unit: String, shared: String = "") -> CatalogSystem {
            CatalogSystem(id: id, tenantId: "tokyo", code: id.uppercased(), name: id, ownerUnitId: unit, purpose: "", users: "", userCount: nil,
                          confidentiality: 2, integrity: 1, availability: 1, personalNumber: false, networkZone: "none", hosting: "on_premises",
                          sharedPlatform: shared, inServiceSince: nil, source: "", sourceDate: nil, version: 1, createdAt: "", updatedAt: "")
        }
        func review(_ id: String, _ strategy: String, effort: Double, status: String = "not_started") -> SystemReview {
            SystemReview(id: "r-" + id, systemId: id, assessmentId: nil, strategy: strategy, effort: effort, targetCloud: "", status: status,
                         comment: "", decidedBy: "p", decidedAt: "")
        }
        let catalog = WavePlanBuilder.Catalog(
            systems: [system("a", unit: "w1", shared: "基盤X"), system("b", unit: "w2", shared: "基盤X"), system("c", unit: "e1"),
                      system("gone", unit: "w1"), system("kept", unit: "e1"), system("done", unit: "e1")],
            interfaces: [SystemInterface(id: "i1", tenantId: "tokyo", consumerId: "a", providerId: "c", protocol: "", frequency: "daily", criticality: "high", description: ""),
                         SystemInterface(id: "i2", tenantId: "tokyo", consumerId: "a", providerId: "gone", protocol: "", frequency: "daily", criticality: "low", description: "")],
            reviews: ["a": review("a", "replatform", effort: 7.5), "gone": review("gone", "retire", effort: 1), "kept": review("kept", "retain", effort: 1),
                      "done": review("done", "rehost", effort: 2, status: "done")],
            contractEnds: ["a": LocalDate(iso: "2027-09-30")!, "b": LocalDate(iso: "2027-08-15")!, "c": LocalDate(iso: "2026-12-31")!],
            bureauOf: ["w1": ("w", "福祉局"), "w2": ("w", "福祉局"), "e1": ("e", "環境局")])
        var settings = WavePlanSettings(startMonth: "2027-04")
        settings.waves = 4
        settings.groupSharedPlatforms = true
        let (input, notes) = WavePlanBuilder.build(catalog, settings: settings, previous: ["a": 2, "gone": 1])
        #expect(input.systems.map(\.id) == ["a", "b", "c"])
        #expect(notes.excluded == ["strategy_retire": 1, "strategy_retain": 1, "status_done": 1])
        // Wave 2 is 2027-07…09: a's contract runs to the end of September, so wave 2 is in time; b's ends mid-August: wave 1.
        #expect(input.systems.map(\.deadline) == [2, 1, nil])
        #expect(notes.deadlines == 2 && notes.contractBeforeStart == 1 && notes.groups == 1)
        #expect(input.systems[0].effort == ["platform": 7.5, "bureau:w": 7.5] && input.systems[2].effort == ["platform": 3, "bureau:e": 3])
        #expect(input.systems[0].group == "shared:基盤X" && input.systems[1].group == "shared:基盤X" && input.systems[2].group == nil)
        #expect(input.interfaces == [.init(consumer: "a", provider: "c", weight: 9)])
        #expect(Set(input.resources.keys) == ["platform", "bureau:w", "bureau:e"] && input.resources["platform"] == [40, 40, 40, 40])
        #expect(input.previous == ["a": 2] && input.approvedWaves == nil)
        #expect(settings.months(of: 4) == ("2028-01", "2028-03"))
    }

    static func plan(_ browser: Browser, _ fields: [(String, String)]) async throws -> Browser.Page {
        let defaults: [(String, String)] = [("tenant", "tokyo"), ("name", "標準案"), ("waves", "4"), ("start_month", "2027-04"), ("months_per_wave", "3"),
                                            ("platform_capacity", "20"), ("bureau_capacity", "12"), ("default_effort", "3"), ("rules", "contract_deadlines"), ("seconds", "1")]
        let names = Set(fields.map(\.0))
        return try await browser.post("/portfolio/waves", defaults.filter { !names.contains($0.0) } + fields)
    }

    @Test func scenariosArePlannedComparedReplannedAndOneApproved() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await PortfolioTests.addPlatformEngineers(env)
            let platform = try await PortfolioTests.engineer("tokyo-platform", client)
            var rows = [PortfolioTests.systemsHeader]
            for n in 1...8 { rows.append("W-\(n),福祉システム\(n),福祉局,,2,1,1,,,オンプレミス,,,\(n > 1 ? "W-\(n - 1)" : "")") }
            for n in 1...4 { rows.append("E-\(n),環境システム\(n),環境局,,1,1,1,,,オンプレミス,,,") }
            #expect(try await PortfolioTests.commit(platform, tenant: "tokyo", rows.joined(separator: "\n")) == .seeOther)

            // Bad settings: every field named, what was typed kept, nothing planned.
            let bad = try await Self.plan(platform, [("waves", "0"), ("start_month", "2027-13"), ("platform_capacity", "abc"), ("name", "")])
            #expect(bad.status == .unprocessableContent)
            for expected in ["1〜60の範囲で指定してください", "YYYY-MM の形式で", "0〜100000の範囲", "入力してください", "value=\"abc\""] {
                #expect(bad.body.contains(expected), "missing: \(expected)")
            }
            #expect(try await PortfolioTests.count(env, "wave_plans") == 0)

            let made = try await Self.plan(platform, [])
            #expect(made.status == .seeOther)
            let firstId = try #require(made.location?.split(separator: "/").last?.split(separator: "?").first.map(String.init))
            let page = try await platform.get("/portfolio/waves/\(firstId)")
            #expect(page.status == .ok)
            for expected in ["<svg", "class=\"timeline\"", "第1ウェーブ（2027-04〜2027-06）", "共通基盤チーム", "福祉局", "環境局", "12システム・連携7件",
                             "すべての制約を満たす", "ほかの担当者が承認します"] {
                #expect(page.body.contains(expected), "missing: \(expected)")
            }
            // 12 systems × 3 person-months over 4 waves of 20: it fits; the chain of welfare systems is cut at most where capacity forces it.
            let stored = try await env.db { db in try await db.read { sql in try await WavePlanRepository().find(firstId, tenants: .every(.systemTask), on: sql) } }
            let view = try #require(stored.flatMap(WavePlanView.init))
            #expect(view.result.feasible && view.result.assignment.count == 12)
            #expect(view.result.waves.allSatisfy { $0.load["platform", default: 0] <= 20 })
            #expect(view.result.waves.allSatisfy { ($0.load.first { $0.key.hasPrefix("bureau:") && $0.value > 12 }) == nil })

            // Approve — by another engineer: whoever made a plan does not approve it; re-plan from it with wave 1
            // fixed after one system was retired.
            let mine = try await platform.get("/portfolio/waves/\(firstId)")
            #expect(mine.body.contains("ほかの担当者が承認します") && !mine.body.contains("この計画を承認する"))
            let own = try await platform.post("/portfolio/waves/\(firstId)/approve", [])
            #expect(own.status == .forbidden && own.body.contains("ご自身が作成した移行計画は承認できません"))
            let approver = try await Self.secondEngineer(env, client)
            #expect(try await approver.get("/portfolio/waves/\(firstId)").body.contains("この計画を承認する"))
            #expect(try await approver.post("/portfolio/waves/\(firstId)/approve", []).status == .seeOther)
            let w8 = try await env.db { db in try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'W-8'").first(decodingColumn: "id", as: String.self) } }
            #expect(try await platform.post("/portfolio/systems/\(try #require(w8))/review", [("strategy", "retire"), ("effort", "0"), ("target_cloud", ""), ("status", "not_started")]).status == .seeOther)
            let form = try await platform.get("/portfolio/waves/new?tenant=tokyo&based_on=\(firstId)")
            #expect(form.status == .ok && form.body.contains("標準案（再計画）") && form.body.contains("そのままにするウェーブ"))
            let replanned = try await Self.plan(platform, [("name", "再計画"), ("based_on", firstId), ("fixed_waves", "1")])
            #expect(replanned.status == .seeOther)
            let secondId = try #require(replanned.location?.split(separator: "/").last?.split(separator: "?").first.map(String.init))
            let second = try await env.db { db in try await db.read { sql in try await WavePlanRepository().find(secondId, tenants: .every(.systemTask), on: sql) } }
            let secondView = try #require(second.flatMap(WavePlanView.init))
            #expect(secondView.result.assignment.count == 11 && secondView.input.approvedWaves == [1])
            for (id, wave) in view.result.assignment where wave == 1 && id != w8 {
                #expect(secondView.result.assignment[id] == 1, "wave 1 was fixed")
            }
            #expect(secondView.result.assignment.values.filter { $0 == 1 }.count == view.result.assignment.filter { $0.value == 1 && $0.key != w8 }.count,
                    "nothing joins a fixed wave")
            let secondPage = try await platform.get("/portfolio/waves/\(secondId)")
            #expect(secondPage.body.contains("元の計画から移したシステム") && secondPage.body.contains("廃止（リタイア）と判断した1システム"))
            #expect(secondPage.body.contains("承認済みの計画と比べる"))

            let compare = try await platform.get("/portfolio/waves/compare?a=\(firstId)&b=\(secondId)")
            #expect(compare.status == .ok && compare.body.contains("ウェーブが異なるシステム") && compare.body.contains("計画外"))
            try await approver.get("/portfolio/waves/\(secondId)")
            #expect(try await approver.post("/portfolio/waves/\(secondId)/approve", []).status == .seeOther)
            let statuses = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT status FROM wave_plans ORDER BY created_at, id").all(decodingColumn: "status", as: String.self) }
            }
            #expect(Set(statuses) == ["superseded", "approved"] && statuses.filter { $0 == "approved" }.count == 1)

            // No capacity at all: no plan keeps the constraints; it says why and cannot be approved.
            let starved = try await Self.plan(platform, [("name", "工数なし"), ("platform_capacity", "0")])
            let starvedId = try #require(starved.location?.split(separator: "/").last?.split(separator: "?").first.map(String.init))
            let starvedPage = try await platform.get("/portfolio/waves/\(starvedId)")
            #expect(starvedPage.body.contains("制約を満たせない") && starvedPage.body.contains("次の制約がぶつかっています") && !starvedPage.body.contains("この計画を承認する"))
            #expect(starvedPage.body.contains("の移行には共通基盤チームの工数が3人月必要ですが、第1〜第4ウェーブの上限は各0人月です。"), "said in Japanese with names")
            #expect(starvedPage.body.contains("福祉システム") && !starvedPage.body.contains("needs 3 of platform"))
            #expect(try await platform.post("/portfolio/waves/\(starvedId)/approve", []).status == .conflict)

            // Progress: 12 systems, W-8 retired, the approved re-plan covers the other 11.
            let w1 = try await env.db { db in try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'W-1'").first(decodingColumn: "id", as: String.self) } }
            #expect(try await platform.post("/portfolio/systems/\(try #require(w1))/review", [("strategy", "rehost"), ("effort", "2"), ("target_cloud", "aws"), ("status", "done")]).status == .seeOther)
            let progress = try await platform.get("/portfolio/progress")
            #expect(progress.status == .ok)
            for expected in ["<th scope=\"row\">東京都 福祉局</th><td class=\"number\">8</td><td class=\"number\">0</td><td class=\"number\">2</td><td class=\"number\">7</td><td class=\"number\">0</td><td class=\"number\">1</td><td class=\"number\">1</td><td class=\"number\">14%</td>",
                             "<th scope=\"row\">東京都 環境局</th><td class=\"number\">4</td>", "リタイア（廃止）</th><td class=\"number\">1</td>",
                             "<th scope=\"row\">未評価</th><td class=\"number\">10</td>", "第1ウェーブ（2027-04〜2027-06）"] {
                #expect(progress.body.contains(expected), "missing: \(expected)")
            }

            let list = try await platform.get("/portfolio/waves")
            #expect(list.body.contains("再計画") && list.body.contains("承認済み") && list.body.contains("旧承認") && list.body.contains("シナリオの比較"))
            // The plans sort by their columns; the order reverses with the header's link.
            func names(_ query: String) async throws -> [String] {
                let body = try await platform.get("/portfolio/waves\(query)").body
                return body.components(separatedBy: #"<th scope="row"><a href="/portfolio/waves/"#).dropFirst()
                    .map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
            }
            let byName = try await names("?sort=name&dir=asc")
            #expect(byName.count >= 2 && byName == byName.sorted())
            #expect(try await names("?sort=name&dir=desc") == byName.reversed())
            #expect(try await names("?sort=nothing&page=5").count == byName.count)

            // Readers see plans but do not make or approve them; another tenant sees nothing.
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            #expect(try await desk.get("/portfolio/waves/\(firstId)").status == .ok)
            #expect(try await desk.get("/portfolio/waves/new").status == .forbidden)
            #expect(try await desk.post("/portfolio/waves/\(starvedId)/approve", []).status == .forbidden)
            let outsider = Browser(client)
            try await outsider.signIn("chiyoda-platform", password: Fixture.password)
            #expect(try await outsider.get("/portfolio/waves/\(firstId)").status == .notFound)
            #expect(try await outsider.get("/portfolio/waves/compare?a=\(firstId)&b=\(secondId)").status == .notFound)
            #expect(try await Self.plan(outsider, []).status == .unprocessableContent, "tokyo is not a tenant chiyoda's engineer may plan")
        }
    }
}
