import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
@testable import KakehashiServer
import KakehashiCore
import SQLKit
import Testing

/// システム台帳: spreadsheets checked row by row and written all or nothing, the system page with
/// its dependency neighbourhood, and one tenant's catalog hidden from every other.
@Suite struct PortfolioTests {
    static let systemsHeader = "システムID,システム名,所管組織,目的,機密性,完全性,可用性,マイナンバー,ネットワーク区分,現行基盤,出典,出典日,依存先"

    /// Platform engineers of 東京都 and of 千代田区 (the fixture has none), added once it is seeded.
    static func addPlatformEngineers(_ env: TestEnvironment) async throws {
        let hash = try await Passwords(cost: 4).hash(Fixture.password)
        try await env.db { db in
            try await db.transaction { sql in
                _ = try await Fixture.person("tokyo-platform", "藤田 和也", tenant: "tokyo", unit: "tokyo-digital", roles: [.platformEngineer], hash: hash, on: sql)
                _ = try await Fixture.person("chiyoda-platform", "基盤 三郎", tenant: Fixture.chiyoda, unit: "\(Fixture.chiyoda)-dx",
                                             roles: [.platformEngineer], hash: hash, on: sql)
            }
        }
    }

    /// A platform engineer signed in, on the import page (a form, so the CSRF token is at hand).
    static func engineer(_ login: String, _ client: any TestClientProtocol) async throws -> Browser {
        let browser = Browser(client)
        try await browser.signIn(login, password: Fixture.password)
        try await browser.get("/portfolio/import")
        return browser
    }

    /// Commits a CSV through the import page; the status of the answer.
    static func commit(_ browser: Browser, tenant: String, _ csv: String) async throws -> HTTPResponse.Status {
        try await browser.upload("/portfolio/import", [("mode", "commit"), ("tenant", tenant)], files: [Self.csv(csv)]).status
    }

    static func csv(_ text: String, encoding: String.Encoding = .utf8) -> Browser.File {
        Browser.File(field: "file", name: "台帳.csv", type: "text/csv", data: text.data(using: encoding)!)
    }

    static func count(_ env: TestEnvironment, _ table: String, where condition: SQLQueryString = "1 = 1") async throws -> Int {
        try await env.db { db in
            try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? -1
            }
        }
    }

    /// JSON as the API writes it (pretty-printed), with `"key" : value` made `"key":value` to compare.
    static func compact(_ json: String) -> String { json.replacingOccurrences(of: "\" : ", with: "\":") }

    /// The base64 file the report page carries to its commit form.
    static func carried(_ body: String) -> String? {
        guard let range = body.range(of: "name=\"data\" value=\"") else { return nil }
        return String(body[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func aSpreadsheetIsCheckedRowByRowAndWrittenAllOrNothing() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await Self.addPlatformEngineers(env)
            let platform = Browser(client)
            try await platform.signIn("tokyo-platform", password: Fixture.password)
            #expect(try await platform.get("/portfolio/import").status == .ok)

            // One good row, three bad ones: the report names each, and a commit writes nothing.
            let bad = [Self.systemsHeader,
                       "WEL-001,生活保護システム,福祉局/企画課,保護の決定,3,2,2,あり,該当なし,オンプレミス,調査票,2026-04-01,",
                       "WEL-002,名前,存在しない局,,3,2,2,,,オンプレミス,,,",
                       "WEL-003,日付,福祉局,,3,2,2,,,オンプレミス,,2026-02-30,",
                       "WEL-004,依存,福祉局,,3,2,2,,,オンプレミス,,,NOPE-1"].joined(separator: "\r\n")
            let report = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")], files: [Self.csv(bad)])
            #expect(report.status == .unprocessableContent)
            for expected in ["「存在しない局」という組織がありません", "「2026-02-30」は日付として正しくありません", "システムID「NOPE-1」が台帳にもこのファイルにもありません",
                             "3件の誤りがあります"] {
                #expect(report.body.contains(expected), "missing: \(expected)")
            }
            #expect(Self.carried(report.body) == nil)
            let refused = try await platform.upload("/portfolio/import", [("mode", "commit"), ("tenant", "tokyo")], files: [Self.csv(bad)])
            #expect(refused.status == .unprocessableContent)
            #expect(try await Self.count(env, "systems") == 0)

            // Shift_JIS as Excel saves it: checked, then committed from the report page.
            let good = [Self.systemsHeader,
                        "WEL-001,生活保護システム①,福祉局/企画課,保護の決定,3,2,2,あり,該当なし,オンプレミス,調査票,2026/4/1,WEL-002",
                        "WEL-002,福祉総合システム,福祉局,,2,1,1,なし,,データセンター,,,WEL-001",
                        "ENV-001,大気汚染常時監視システム,環境局 総務課,,1,1,2,,,ＳａａＳ,,,"].joined(separator: "\r\n") + "\r\n"
            let checked = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")], files: [Self.csv(good, encoding: .shiftJIS)])
            #expect(checked.status == .ok, "\(checked.body.prefix(2000))")
            #expect(checked.body.contains("Shift_JIS") && checked.body.contains("3行に誤りはありません"))
            let data = try #require(Self.carried(checked.body))
            #expect(try await Self.count(env, "systems") == 0, "a dry run writes nothing")
            let committed = try await platform.upload("/portfolio/import", [("mode", "commit"), ("tenant", "tokyo"), ("data", data)], files: [])
            #expect(committed.status == .seeOther)
            #expect(try await Self.count(env, "systems") == 3)
            // 依存先 both ways: two systems that feed each other.
            #expect(try await Self.count(env, "system_interfaces") == 2)
            #expect(try await Self.count(env, "audit_events", where: "action = 'system.created'") == 3)
            #expect(try await Self.count(env, "audit_events", where: "action = 'interface.created'") == 2, "依存先's interfaces are audited too")
            let list = try await platform.get("/portfolio")
            #expect(list.body.contains("生活保護システム①") && list.body.contains("3件"))
            #expect(try await platform.get("/portfolio?zone=none&c=3").body.contains("1件"))
            #expect(try await platform.get("/portfolio?q=%E5%A4%A7%E6%B0%97").body.contains("大気汚染常時監視システム"))   // 大気

            // The same id again updates the system (version 2, audited), nothing duplicated.
            let again = Self.systemsHeader + "\nWEL-002,福祉総合システム（改修後）,福祉局,,2,1,1,なし,,パブリッククラウド,,,\n"
            let second = try await platform.upload("/portfolio/import", [("mode", "commit"), ("tenant", "tokyo")], files: [Self.csv(again)])
            #expect(second.status == .seeOther)
            #expect(try await Self.count(env, "systems") == 3)
            #expect(try await Self.count(env, "systems", where: "code = 'WEL-002' AND version = 2 AND hosting = 'public_cloud'") == 1)
            #expect(try await Self.count(env, "audit_events", where: "action = 'system.updated'") == 1)
            #expect(try await Self.count(env, "system_interfaces") == 2, "依存先 adds interfaces, never removes them")
        }
    }

    @Test func componentsContractsAndInterfacesShowOnTheSystemPageWithItsNeighbourhood() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await Self.addPlatformEngineers(env)
            let platform = try await Self.engineer("tokyo-platform", client)
            let systems = Self.systemsHeader + "\nA-1,窓口システム,福祉局,,2,1,1,,,オンプレミス,,,\nB-1,基幹システム,福祉局,,2,1,1,,,オンプレミス,,,\nC-1,分析基盤,環境局,,1,1,1,,,SaaS,,,\n"
            #expect(try await Self.commit(platform, tenant: "tokyo", systems) == .seeOther)
            let links = "利用側システムID,提供側システムID,連携方式,頻度,重要度\nA-1,B-1,API,リアルタイム,高\nB-1,A-1,ファイル,日次,中\nC-1,A-1,,,\n"
            #expect(try await Self.commit(platform, tenant: "tokyo", links) == .seeOther)
            let parts = "システムID,種別,製品名,バージョン,サポート終了日\nA-1,OS,Windows Server,2012 R2,2023-10-10\nA-1,DB,PostgreSQL,16,2028-11-09\n"
            #expect(try await Self.commit(platform, tenant: "tokyo", parts) == .seeOther)
            let deals = "システムID,契約先,契約開始日,契約終了日,年額（円）\nA-1,株式会社テスト,2024-04-01,2029-03-31,\"12,000,000\"\n"
            #expect(try await Self.commit(platform, tenant: "tokyo", deals) == .seeOther)

            let id = try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'A-1'").first(decodingColumn: "id", as: String.self) }
            }
            let page = try await platform.get("/portfolio/systems/\(try #require(id))")
            #expect(page.status == .ok)
            #expect(page.body.contains("<svg") && page.body.contains("role=\"group\""))
            #expect(page.body.contains("marker-start"), "a two-way interface is drawn with arrows at both ends")
            #expect(page.body.contains("基幹システム") && page.body.contains("分析基盤"))
            #expect(page.body.contains("サポート終了済み"), "Windows Server 2012 R2 is past its end of support")
            #expect(page.body.contains("12,000,000円"))
            // The same catalog for a developer portal: Backstage entities with ASCII names and Japanese titles.
            let export = try await platform.get("/portfolio/backstage.yaml")
            #expect(export.status == .ok)
            for expected in ["kind: System\nmetadata:\n  name: tokyo-a-1\n  title: \"窓口システム\"", "kakehashi/code: \"A-1\"",
                             "kind: API\nmetadata:\n  name: tokyo-b-1-api", "  consumesApis:\n    - \"tokyo-b-1-api\"",
                             "kind: Resource\nmetadata:\n  name: tokyo-a-1-r1\n  title: \"Windows Server 2012 R2\"",
                             "kakehashi/end-of-life: \"2023-10-10\"", "kind: Group", "owner: \"group:default/tokyo-welfare\"",
                             "kakehashi/interfaces: \"B-1|API|realtime|high|\""] {
                #expect(export.body.contains(expected), "missing: \(expected)")
            }
            // A second components sheet replaces the first.
            let newer = "システムID,種別,製品名,バージョン,サポート終了日\nA-1,OS,Red Hat Enterprise Linux,9,2032-05-31\n"
            #expect(try await Self.commit(platform, tenant: "tokyo", newer) == .seeOther)
            #expect(try await Self.count(env, "system_components") == 1)
            #expect(try await platform.get("/portfolio/systems/no-such-id").status == .notFound)
        }
    }

    @Test func aTenantsCatalogIsHiddenFromEveryOtherTenant() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await Self.addPlatformEngineers(env)
            let tokyo = try await Self.engineer("tokyo-platform", client)
            let rows = Self.systemsHeader + "\nTKY-1,都の内部システム,福祉局,,3,2,2,,,オンプレミス,,,\n"
            #expect(try await Self.commit(tokyo, tenant: "tokyo", rows) == .seeOther)
            let tokyoSystem = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'TKY-1'").first(decodingColumn: "id", as: String.self) }
            })

            let chiyoda = try await Self.engineer("chiyoda-platform", client)
            let ward = Self.systemsHeader + "\nCHY-1,住民記録システム,デジタル推進課,,3,2,2,あり,マイナンバー利用事務系,ガバメントクラウド,,,\n"
            #expect(try await Self.commit(chiyoda, tenant: Fixture.chiyoda, ward) == .seeOther)
            let wardList = try await chiyoda.get("/portfolio")
            #expect(wardList.body.contains("住民記録システム") && !wardList.body.contains("都の内部システム"))
            #expect(try await chiyoda.get("/portfolio/systems/\(tokyoSystem)").status == .notFound)
            #expect(try await chiyoda.get("/portfolio/backstage.yaml?tenant=tokyo").status == .notFound)
            #expect(!(try await chiyoda.get("/portfolio/backstage.yaml").body.contains("都の内部システム")))
            #expect(try await chiyoda.get("/portfolio?tenant=tokyo").body.contains("都の内部システム") == false)
            // Importing into another tenant is refused, and writes nothing.
            let intrusion = try await chiyoda.upload("/portfolio/import", [("mode", "commit"), ("tenant", "tokyo")],
                                                     files: [Self.csv(Self.systemsHeader + "\nX-1,侵入,福祉局,,1,1,1,,,SaaS,,,\n")])
            #expect(intrusion.status == .forbidden)
            #expect(try await Self.count(env, "systems", where: "code = 'X-1'") == 0)

            // The ward's administrator reads its catalog; its requester and 東京都's requester have none.
            let admin = Browser(client)
            try await admin.signIn("chiyoda-admin", password: Fixture.password)
            #expect(try await admin.get("/portfolio").body.contains("住民記録システム"))
            #expect(try await admin.get("/portfolio/import").status == .notFound)
            let requester = Browser(client)
            try await requester.signIn("chiyoda-user", password: Fixture.password)
            #expect(try await requester.get("/portfolio").status == .notFound)
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let deskList = try await desk.get("/portfolio")
            #expect(deskList.body.contains("都の内部システム") && !deskList.body.contains("住民記録システム"))
        }
    }

    @Test func brokenFilesAreReportedNotFatal() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await Self.addPlatformEngineers(env)
            let platform = try await Self.engineer("tokyo-platform", client)
            let binary = Browser.File(field: "file", name: "a.csv", type: "text/csv", data: Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0xFF]))
            let page = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")], files: [binary])
            #expect(page.status == .unprocessableContent && page.body.contains("CSVではないファイル"))
            let none = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")], files: [])
            #expect(none.status == .unprocessableContent && none.body.contains("ファイルを選んでください"))
            let junk = try await platform.upload("/portfolio/import", [("mode", "commit"), ("tenant", "tokyo"), ("data", "%%%not base64")], files: [])
            #expect(junk.status == .unprocessableContent)
            #expect(try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "nowhere")], files: [binary]).status == .forbidden)
            #expect(try await platform.get("/portfolio?zone=%00&c=99&unit=" + String(repeating: "x", count: 500)).status == .ok)
        }
    }

    @Test func theAPIListsReadsAndImportsWithThePagesRules() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            try await Self.addPlatformEngineers(env)
            let platform = try await env.token(for: "p-tokyo-platform")
            let ward = try await env.token(for: f.chiyoda.admin)
            func post(_ uri: String, _ csv: String, token: String) async throws -> (status: HTTPResponse.Status, body: String) {
                let response = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                                                         body: ByteBuffer(data: csv.data(using: .shiftJIS)!))
                return (response.status, Self.compact(String(buffer: response.body)))
            }
            let bad = Self.systemsHeader + "\nAPI-1,窓口,福祉局,,5,1,1,,,オンプレミス,,,\n"
            let dry = try await post("/api/v1/catalog/import?tenant=tokyo", bad, token: platform)
            #expect(dry.status == .ok)
            #expect(dry.body.contains("\"code\":\"bad_level\"") && dry.body.contains("\"line\":2") && dry.body.contains("Shift_JIS"))
            let refused = try await post("/api/v1/catalog/import?tenant=tokyo&dryRun=false", bad, token: platform)
            #expect(refused.status == .unprocessableContent && refused.body.contains("line 2 機密性"))
            let good = Self.systemsHeader + "\nAPI-1,窓口システム,福祉局,,2,1,1,,,オンプレミス,,,\nAPI-2,基幹システム,福祉局,,3,2,2,あり,,データセンター,,,API-1\n"
            let done = try await post("/api/v1/catalog/import?tenant=tokyo&dryRun=false", good, token: platform)
            #expect(done.status == .ok && done.body.contains("\"committed\":true") && done.body.contains("\"created\":2"))
            #expect(try await post("/api/v1/catalog/import?tenant=tokyo&dryRun=false", good, token: ward).status == .forbidden)

            var list = try await client.api("/api/v1/systems?q=api", token: platform)
            list.body = Self.compact(list.body)
            #expect(list.status == .ok && list.body.contains("\"code\":\"API-2\"") && list.body.contains("\"owner\":\"福祉局\""))
            let id = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'API-2'").first(decodingColumn: "id", as: String.self) }
            })
            var detail = try await client.api("/api/v1/systems/\(id)", token: platform)
            detail.body = Self.compact(detail.body)
            #expect(detail.status == .ok && detail.body.contains("\"providerCode\":\"API-1\""))
            #expect(try await client.api("/api/v1/systems/\(id)", token: ward).status == .notFound)
            #expect(try await client.api("/api/v1/systems?tenant=tokyo", token: ward).body.contains("API-2") == false)
            #expect(try await client.api("/api/v1/systems?limit=0", token: platform).status == .unprocessableContent)
            // Search finds catalog systems for their tenant's readers only, in the same transaction as the import.
            let search = "/api/v1/search?q=%E5%9F%BA%E5%B9%B9&type=system"   // 基幹
            #expect(SearchTests.total(try await client.api(search, token: platform).body) == 1)
            #expect(SearchTests.total(try await client.api(search, token: ward).body) == 0)
        }
    }

    @Test func theAPIPlansWavesLikeTheCommand() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let token = try await env.token(for: f.desk.deskOfficer)
            let example = try String(contentsOfFile: #filePath.replacingOccurrences(of: "KakehashiServerTests/Features/PortfolioTests.swift",
                                                                                     with: "fixtures/plan.json"), encoding: .utf8)
            let plan = try await client.api("/api/v1/waves/plan?seconds=1", method: .post, token: token, json: example)
            let body = Self.compact(plan.body)
            #expect(plan.status == .ok && body.contains("\"feasible\":true") && body.contains("\"violations\":0"), "\(plan.body.prefix(600))")
            #expect(body.contains("\"CMN-001\":1") && body.contains("\"CMN-006\":3"), "pinned systems stay in their waves")
            let broken = #"{"waves": 2, "resources": {"ops": [1, -1]}, "systems": [{"id": "A", "fixedWave": 9}], "interfaces": [{"consumer": "A", "provider": "B"}]}"#
            let refused = try await client.api("/api/v1/waves/plan", method: .post, token: token, json: broken)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("unknown provider") && refused.body.contains("fixedWave 9"))
            #expect(try await client.api("/api/v1/waves/plan?seconds=99", method: .post, token: token, json: example).status == .unprocessableContent)
            #expect(try await client.api("/api/v1/waves/plan", method: .post, token: nil, json: example).status == .unauthorized)
        }
    }

    @Test func theSystemPageComparesCloudsAndTheCostPageSumsPerBureauAndMunicipality() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await Self.addPlatformEngineers(env)
            let chiyoda = try await Self.engineer("chiyoda-platform", client)
            let ward = Self.systemsHeader + "\nJUKI-1,住民記録システム,デジタル推進課,,3,2,2,あり,マイナンバー利用事務系,オンプレミス,,,\nWEB-1,ホームページ,デジタル推進課,,1,1,1,なし,インターネット接続系,データセンター,,,\n"
            #expect(try await Self.commit(chiyoda, tenant: Fixture.chiyoda, ward) == .seeOther)
            let deals = "システムID,契約先,契約開始日,契約終了日,年額（円）\nJUKI-1,株式会社テスト,2020-04-01,2099-03-31,30000000\n"
            #expect(try await Self.commit(chiyoda, tenant: Fixture.chiyoda, deals) == .seeOther)
            let id = try #require(try await env.db { db in
                try await db.read { sql in try await sql.raw("SELECT id FROM systems WHERE code = 'JUKI-1'").first(decodingColumn: "id", as: String.self) }
            })
            let page = try await chiyoda.get("/portfolio/systems/\(id)")
            #expect(page.body.contains("移行先の候補と費用") && page.body.contains("ガバメントクラウド（マイナンバー利用事務系の標準準拠システムのため）"))
            #expect(page.body.contains("条件付き"), "a conditional Government Cloud selection is marked")
            #expect(page.body.contains("年額30,000,000円"))
            // Assumptions change the sums; a value out of range is named and the default used.
            let longer = try await chiyoda.get("/portfolio/systems/\(id)?years=10&serverPrice=abc")
            #expect(longer.status == .ok && longer.body.contains("value=\"10\"") && longer.body.contains("既定値で計算しています"))
            let costs = try await chiyoda.get("/portfolio/costs")
            #expect(costs.status == .ok && costs.body.contains("千代田区"))
            #expect(costs.body.contains("<td class=\"number\">2</td>"), "both systems are counted")
            let tokyo = Browser(client)
            try await tokyo.signIn("tokyo-platform", password: Fixture.password)
            #expect(!(try await tokyo.get("/portfolio/costs").body.contains("千代田区")))

            // The ward saves its own assumptions: its pages start from them; every value is checked; only its engineers may.
            #expect(page.body.contains("この前提を千代田区の既定として保存"))
            var values = CostAssumptionsForm.names.map { ($0, String(CostAssumptions()[$0] ?? 0)) }
            values = values.map { $0.0 == "years" ? ($0.0, "8") : $0 }
            let saved = try await chiyoda.post("/portfolio/costs/assumptions", [("tenant", Fixture.chiyoda), ("back", "/portfolio/systems/\(id)")] + values)
            #expect(saved.status == .seeOther && saved.location == "/portfolio/systems/\(id)?done=cost_assumptions_saved")
            let after = try await chiyoda.get(try #require(saved.location))
            #expect(after.body.contains("id=\"a-years\" name=\"years\" inputmode=\"numeric\" value=\"8\"") && after.body.contains("費用の前提を保存しました"))
            let bad = try await chiyoda.post("/portfolio/costs/assumptions", [("tenant", Fixture.chiyoda), ("back", "https://evil.example/")]
                                             + values.map { $0.0 == "serverPrice" ? ($0.0, "-5") : $0 })
            #expect(bad.status == .unprocessableContent)
            let elsewhere = try await chiyoda.post("/portfolio/costs/assumptions", [("tenant", Fixture.chiyoda), ("back", "https://evil.example/")] + values)
            #expect(elsewhere.location == "/portfolio/costs?done=cost_assumptions_saved", "only our own pages are returned to")
            #expect(try await tokyo.post("/portfolio/costs/assumptions", [("tenant", Fixture.chiyoda), ("back", "/portfolio/costs")] + values).status == .forbidden)
            #expect(!(try await tokyo.get("/portfolio/costs").body.contains("千代田区の既定として保存")))
            #expect(try await Self.count(env, "audit_events", where: "action = 'cost_assumptions.saved'") == 2)
        }
    }

    @Test func aBackstageExportImportsBackToTheSameCatalog() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            try await Self.addPlatformEngineers(env)
            let platform = try await Self.engineer("tokyo-platform", client)
            let systems = Self.systemsHeader + "\nA-1,窓口システム,福祉局/企画課,\"受付\n予約\",3,2,2,あり,該当なし,オンプレミス,調査票,2026-04-01,\nB-1,基幹システム,環境局,,1,1,1,なし,,SaaS,,,A-1\n"
            for sheet in [systems, "利用側システムID,提供側システムID,連携方式,頻度,重要度\nA-1,B-1,API,日次,高\n",
                          "システムID,種別,製品名,バージョン,サポート終了日\nA-1,DB,PostgreSQL,16,2028-11-09\nB-1,OS,RHEL,9,\n"] {
                #expect(try await Self.commit(platform, tenant: "tokyo", sheet) == .seeOther)
            }
            struct Row: Decodable, Equatable { let code: String; let name: String; let ownerUnitId: String; let purpose: String; let confidentiality: Int
                                               let personalNumber: Bool; let networkZone: String; let hosting: String; let sourceDate: String? }
            func snapshot() async throws -> ([Row], [String], [String]) {
                try await env.db { db in
                    try await db.read { sql in
                        (try await sql.raw("SELECT * FROM systems ORDER BY code").all(decoding: Row.self, with: .snake),
                         try await sql.raw("SELECT c.code || '<' || p.code || ':' || i.protocol || ':' || i.frequency || ':' || i.criticality AS v FROM system_interfaces i JOIN systems c ON c.id = i.consumer_id JOIN systems p ON p.id = i.provider_id ORDER BY v")
                            .all(decodingColumn: "v", as: String.self),
                         try await sql.raw("SELECT s.code || ':' || k.kind || ':' || k.name || ':' || k.version || ':' || COALESCE(k.end_of_life, '') AS v FROM system_components k JOIN systems s ON s.id = k.system_id ORDER BY v")
                            .all(decodingColumn: "v", as: String.self))
                    }
                }
            }
            let before = try await snapshot()
            #expect(before.0.count == 2 && before.1.count == 2 && before.2.count == 2)
            let yaml = try await platform.get("/portfolio/backstage.yaml").body
            for table in ["system_interfaces", "system_components", "system_contracts", "systems"] {
                try await env.execute("DELETE FROM \(ident: table)")
            }
            try await platform.get("/portfolio/import")
            let file = Browser.File(field: "file", name: "catalog-info.yaml", type: "application/yaml", data: Data(yaml.utf8))
            let checked = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")], files: [file])
            #expect(checked.status == .ok && checked.body.contains("Backstageのカタログ"), "\(checked.body.prefix(1500))")
            #expect(try await platform.upload("/portfolio/import", [("mode", "commit"), ("tenant", "tokyo")], files: [file]).status == .seeOther)
            let after = try await snapshot()
            #expect(after.0 == before.0)
            #expect(after.1 == before.1)
            #expect(after.2 == before.2)

            // A broken entity is named; a YAML syntax error or an alias bomb is a message, not a crash.
            let wrong = yaml.replacingOccurrences(of: "kakehashi/confidentiality: \"3\"", with: "kakehashi/confidentiality: \"7\"")
            let refused = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")],
                                                    files: [Browser.File(field: "file", name: "c.yaml", type: "application/yaml", data: Data(wrong.utf8))])
            #expect(refused.status == .unprocessableContent && refused.body.contains("System tokyo-a-1 / 機密性"))
            let broken = "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: [unclosed\n"
            let syntax = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")],
                                                   files: [Browser.File(field: "file", name: "c.yaml", type: "application/yaml", data: Data(broken.utf8))])
            #expect(syntax.status == .unprocessableContent && syntax.body.contains("YAMLとして読めません"))
            var bomb = "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: boom\nspec:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for level in 1...20 { bomb += "  a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
            let exploded = try await platform.upload("/portfolio/import", [("mode", "check"), ("tenant", "tokyo")],
                                                     files: [Browser.File(field: "file", name: "c.yaml", type: "application/yaml", data: Data(bomb.utf8))])
            #expect(exploded.status == .unprocessableContent)
        }
    }
}
