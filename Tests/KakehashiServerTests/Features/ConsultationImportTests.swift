import Foundation
import HTTPTypes
import HummingbirdTesting
import KakehashiCore
import NIOCore
import Testing

@testable import KakehashiServer

/// The desk's earlier records brought in: a 3,000-row Shift_JIS ledger twice is 3,000 cases, not
/// 6,000; every bad row is named and nothing is written; kintone's subtable rows become messages;
/// historic numbers and dates are kept; people no longer in the directory are kept by name.
@Suite struct ConsultationImportTests {
    struct Report: Decodable {
        struct Issue: Decodable {
            let line: Int
            let column: String?
            let code: String
            let message: String
        }
        let committed: Bool
        let cases: Int
        let created: Int
        let updated: Int
        let messages: Int
        let formerPeople: [String]
        let issues: [Issue]
        let encoding: String
    }

    static func send(
        _ client: any TestClientProtocol, _ bytes: Data, source: String, commit: Bool, token: String,
        type: String = "text/csv"
    ) async throws -> (status: HTTPResponse.Status, report: Report?, body: String) {
        let response = try await client.execute(
            uri: "/api/v1/consultations/import?source=\(source)&dryRun=\(!commit)", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: type],
            body: ByteBuffer(bytes: bytes))
        let body = String(buffer: response.body)
        return (response.status, try? JSONDecoder().decode(Report.self, from: Data(body.utf8)), body)
    }

    /// A ledger as the desk kept it in Excel and saved as CSV (Shift_JIS): mixed date styles,
    /// units as paths, municipal requesters, people who have left, ㈱ and ① in the text.
    static func ledger(rows: Int) -> String {
        var lines = ["管理番号,受付日,件名,相談者,所属,工程,支援内容,状態,判断日,概要"]
        let units = ["福祉局/企画課", "環境局 総務課", "千代田区 政策経営部/デジタル推進課", "デジタルサービス局"]
        let people = ["村上 健太", "加藤 誠", "小林 由美", "退職 一郎", "異動 花子"]
        let phases = ["構想・計画", "要件定義", "調達", "設計・開発", "テスト", "運用"]
        let states = ["受付", "支援見送り", "取り下げ", "他窓口へ案内"]
        for n in 1...rows {
            let year = 2019 + n % 6
            let month = 1 + n % 12
            let day = 1 + n % 27
            let date =
                switch n % 3 {
                case 0: "\(year)/\(month)/\(day)"
                case 1: "令和\(year - 2018)年\(month)月\(day)日"
                default: String(format: "%04d-%02d-%02d", year, month, day)
                }
            let state = states[n % states.count]
            let decided = state == "受付" ? "" : String(format: "%04d-%02d-%02d", year, month, min(day + 1, 28))
            lines.append(
                "K-\(n),\(date),窓口業務の見直し①（案件\(n)）,\(people[n % people.count]),\(units[n % units.count]),"
                    + "\(phases[n % phases.count]),\"仕様書チェック、ユーザーテスト支援\",\(state),\(decided),\"㈱サンプルとの契約更新\"")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test func aShiftJISLedgerImportedTwiceIsThreeThousandCasesNotSix() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let desk = try await env.token(for: f.desk.deskOfficer)
            let bytes = try #require(Self.ledger(rows: 3_000).data(using: .shiftJIS))
            let started = ContinuousClock.now
            let checked = try await Self.send(client, bytes, source: "ledger", commit: false, token: desk)
            #expect(checked.status == .ok, "\(checked.body.prefix(500))")
            let report = try #require(checked.report)
            #expect(report.issues.isEmpty, "\(report.issues.prefix(5))")
            #expect(
                report.cases == 3_000 && report.created == 3_000 && report.encoding == "Shift_JIS",
                "\(report.cases) \(report.created) \(report.encoding)")
            #expect(report.formerPeople == ["異動 花子", "退職 一郎"])
            #expect(try await PortfolioTests.count(env, "consultations") == 0, "a dry run writes nothing")

            let first = try #require(
                try await Self.send(client, bytes, source: "ledger", commit: true, token: desk).report)
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            #expect(first.committed && first.created == 3_000)
            let again = try #require(
                try await Self.send(client, bytes, source: "ledger", commit: true, token: desk).report)
            #expect(again.committed && again.created == 0 && again.updated == 3_000)
            #expect(try await PortfolioTests.count(env, "consultations") == 3_000)
            #expect(try await PortfolioTests.count(env, "consultations", where: "external_source = 'ledger'") == 3_000)
            #expect(
                try await PortfolioTests.count(env, "people", where: "id LIKE 'former-%' AND active = \(bind: false)")
                    == 2)
            #expect(try await PortfolioTests.count(env, "audit_events", where: "action = 'consultation.imported'") == 2)
            print(
                "consultation import: 3,000 Shift_JIS rows checked and committed in "
                    + String(format: "%.2f s", seconds)
            )

            // Historic dates kept; the text read as Shift_JIS (CP932: ①, ㈱); the municipality's case in its tenant.
            let k7 = try await env.db { db in
                try await db.read { sql in
                    try await sql.raw(
                        """
                        SELECT submitted_on, tenant_id, title, summary, fiscal_year, state, decided_on
                        FROM consultations WHERE external_key = 'K-7'
                        """
                    ).first(decoding: [String: String?].self)
                }
            }
            #expect(k7?["submitted_on"] == "2020-08-08" && k7?["tenant_id"] == "tokyo")
            #expect(k7?["title"] == "窓口業務の見直し①（案件7）" && k7?["summary"] == "㈱サンプルとの契約更新")
            #expect(
                try await PortfolioTests.count(
                    env, "consultations", where: "external_key = 'K-1' AND fiscal_year = 2019") == 1,
                "令和2年2月2日 is in FY2019")
            #expect(
                try await PortfolioTests.count(
                    env, "consultations", where: "external_key = 'K-6' AND tenant_id = '131016'") == 1,
                "a municipality's case is in its tenant")
            // Searchable like any case.
            struct Hits: Decodable { let total: Int }
            let hits = try await client.api(
                "/api/v1/search?q=" + "窓口業務".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
                token: desk)
            #expect(try JSONDecoder().decode(Hits.self, from: Data(hits.body.utf8)).total > 0)

            // A case submitted now gets a number after every imported one.
            let requester = try await env.token(for: f.desk.requester)
            let created = try await client.api(
                "/api/v1/consultations", method: .post, token: requester,
                json: #"{"title":"新しい相談","phase":"requirements","summary":"概要","supportKinds":["uxDesign"],"#
                    + #""desiredStart":"2026-12-01","budgetRange":"under10m"}"#)
            struct Draft: Decodable {
                let id: String
                let number: String?
            }
            let draft = try JSONDecoder().decode(Draft.self, from: Data(created.body.utf8))
            let submitted = try await client.api(
                "/api/v1/consultations/\(draft.id)/submit", method: .post, token: requester, json: "{}")
            #expect(submitted.status == .ok, "\(submitted.body)")
        }
    }

    @Test func everyBadRowIsNamedAndNothingIsWritten() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let desk = try await env.token(for: f.desk.deskOfficer)
            let csv = """
                管理番号,相談番号,受付日,件名,相談者,所属,工程,状態,判断日
                A-1,2019-0001,2019-04-01,正しい行,村上 健太,福祉局/企画課,要件定義,受付,
                ,2019-0002,2019-04-02,番号なし,村上 健太,福祉局/企画課,要件定義,受付,
                A-3,2019-0003,2021-02-30,日付が誤り,村上 健太,福祉局/企画課,要件定義,受付,
                A-4,2019-0004,2019-04-04,所属が不明,村上 健太,存在しない局,要件定義,受付,
                A-5,2019-0005,2019-04-05,工程が不明,村上 健太,福祉局/企画課,宇宙開発,受付,
                A-6,2019-0006,2019-04-06,判断が先,村上 健太,福祉局/企画課,要件定義,支援見送り,2019-04-01
                A-7,2019-0001,2019-04-07,番号の重複,村上 健太,福祉局/企画課,要件定義,受付,
                A-8,19-8,2019-04-08,番号の形,村上 健太,福祉局/企画課,要件定義,受付,
                A-9,2019-0009,2019-04-09,,村上 健太,福祉局/企画課,要件定義,受付,
                A-10,2019-0010,2019-04-10,所属なし,去った 人,,要件定義,受付,

                """
            let report = try #require(
                try await Self.send(client, Data(csv.utf8), source: "access", commit: false, token: desk).report)
            let found = Set(report.issues.map { "\($0.line) \($0.column ?? "") \($0.code)" })
            let expected: Set<String> = [
                "3 管理番号 required", "4 受付日 bad_date", "5 所属 unknown_unit", "6 工程 unknown_value",
                "7 判断日 decided_before_submitted", "8 相談番号 number_twice", "9 相談番号 bad_case_number",
                "10 件名 required", "11 所属 unit_required_for_former",
            ]
            #expect(found == expected, "found \(found.sorted()), missing \(expected.subtracting(found).sorted())")
            #expect(report.issues.allSatisfy { !$0.message.isEmpty && !$0.message.contains("import_issue") })
            let committed = try await Self.send(client, Data(csv.utf8), source: "access", commit: true, token: desk)
            #expect(committed.status == .unprocessableContent && committed.body.contains("line 4"))
            #expect(try await PortfolioTests.count(env, "consultations") == 0)
            #expect(try await PortfolioTests.count(env, "people", where: "id LIKE 'former-%'") == 0)

            // Not a file of ours; an unmapped required column; the wrong people.
            let binary = try await Self.send(
                client, Data([0x00, 0x01, 0x02]), source: "ledger", commit: false, token: desk)
            #expect(binary.report?.issues.first?.code == "binary")
            let noKey = try #require(
                try await Self.send(
                    client, Data("件名,相談者\nx,y\n".utf8), source: "ledger", commit: false,
                    token: desk
                ).report)
            #expect(
                noKey.issues.map(\.code).contains("unmapped_field")
                    && noKey.issues.contains { $0.message.contains("受付日") })
            for person in [f.desk.requester, f.chiyoda.auditor, f.desk.uxSpecialist] {
                let refused = try await Self.send(
                    client, Data(csv.utf8), source: "ledger", commit: true, token: try await env.token(for: person))
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test func kintonesSubtableRowsBecomeMessagesAndAWorkbookReads() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, f in
            let desk = try await env.token(for: f.desk.deskOfficer)
            let export = """
                レコード番号,作成日時,件名,相談者,所属,コメント日時,コメント作成者,コメント
                101,2024-05-10 09:12,電子申請の導入,村上 健太,福祉局/企画課,2024-05-11 10:00,森 さくら,初回ヒアリングを実施
                101,2024-05-10 09:12,電子申請の導入,村上 健太,福祉局/企画課,2024-05-20 15:30,森 さくら,要件整理の資料を受領
                102,2024-06-01 13:00,窓口の混雑対策,加藤 誠,環境局/総務課,,,

                """
            let report = try #require(
                try await Self.send(client, Data(export.utf8), source: "kintone", commit: true, token: desk).report)
            #expect(report.committed && report.cases == 2 && report.messages == 2, "\(report.issues)")
            #expect(try await PortfolioTests.count(env, "consultation_messages") == 2)
            let again = try #require(
                try await Self.send(client, Data(export.utf8), source: "kintone", commit: true, token: desk).report)
            #expect(again.updated == 2 && again.created == 0)
            #expect(try await PortfolioTests.count(env, "consultation_messages") == 2, "messages replaced, not doubled")
            // The same key from another source is another case.
            #expect(
                try await Self.send(client, Data(export.utf8), source: "access", commit: false, token: desk).report?
                    .issues.isEmpty
                    == false, "access has no saved mapping for these headers: its key column is not recognised")

            let sheet = WorkbookWriter.Sheet(
                name: "台帳", header: ["管理番号", "受付日", "件名", "相談者", "所属"],
                rows: [
                    [.text("X-1"), .number(45383), .text("Excelの台帳"), .text("加藤 誠"), .text("環境局/総務課")]
                ])
            let xlsx = try WorkbookWriter(sheets: [sheet]).data()
            let book = try #require(
                try await Self.send(
                    client, xlsx, source: "ledger", commit: true, token: desk,
                    type: "application/octet-stream"
                ).report)
            #expect(book.committed && book.encoding == "xlsx", "\(book.issues)")
            #expect(
                try await PortfolioTests.count(
                    env, "consultations", where: "external_key = 'X-1' AND submitted_on = '2024-04-01'") == 1)
        }
    }

    @Test func theDeskChoosesTheColumnsOnThePageAndImports() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        try await env.withApp { client, _ in
            let desk = Browser(client)
            try await desk.signIn("desk-officer", password: Fixture.password)
            let form = try await desk.get("/desk/import")
            #expect(form.status == .ok && form.body.contains("相談の取り込み") && form.body.contains("kintone の書き出し（CSV）"))
            #expect(try await desk.get("/desk/consultations").body.contains("href=\"/desk/import\""))
            // Headers the guesses do not know: the report asks for the columns, and keeps the file.
            let csv = "番号,日付,表題,相談した人,部署,状態\nL-1,2023-05-01,庁内ネットワークの更改,村上 健太,福祉局/企画課,支援決定\n"
            let file = Browser.File(field: "file", name: "ledger.csv", type: "text/csv", data: Data(csv.utf8))
            let first = try await desk.upload("/desk/import", [("mode", "check"), ("source", "ledger")], files: [file])
            #expect(first.status == .unprocessableContent && first.body.contains("「管理番号（取り込み元の番号）」にあたる列を選んでください。"))
            let upload = try #require(
                first.body.range(of: #"name="upload" value=""#).map { String(first.body[$0.upperBound...].prefix(36)) })
            let columns = [
                ("map_externalKey", "0"), ("map_submittedOn", "1"), ("map_title", "2"), ("map_requester", "3"),
                ("map_unit", "4"),
                ("map_state", "5"),
            ]
            let second = try await desk.post(
                "/desk/import", [("mode", "check"), ("source", "ledger"), ("upload", upload)] + columns)
            #expect(second.status == .ok && second.body.contains("1件の相談（新規1件・更新0件）"))
            let done = try await desk.post(
                "/desk/import", [("mode", "commit"), ("source", "ledger"), ("upload", upload)] + columns)
            #expect(done.status == .seeOther && done.location == "/desk/consultations?done=consultation_import_done")
            #expect(
                try await PortfolioTests.count(
                    env, "consultations", where: "external_key = 'L-1' AND state = 'accepted'") == 1)
            // An imported case reads like any other, for the desk and for its requester.
            let id = try await WorkflowAPITests.one(env, "SELECT id FROM consultations WHERE external_key = 'L-1'")
            let page = try await desk.get("/desk/consultations/\(id)")
            #expect(page.status == .ok && page.body.contains("庁内ネットワークの更改") && page.body.contains("支援決定"))
            let requester = Browser(client)
            try await requester.signIn("welfare-user", password: Fixture.password)
            #expect(try await requester.get("/desk/consultations/\(id)").status == .ok)
            // The columns are saved for the source: the same headers check clean next time.
            let again = try await desk.upload("/desk/import", [("mode", "check"), ("source", "ledger")], files: [file])
            #expect(again.status == .ok && again.body.contains("1件の相談（新規0件・更新1件）"))
            // A kept file that is gone (or never was, or is someone else's) is said so; nothing is written.
            let gone = try await desk.post(
                "/desk/import", [("mode", "commit"), ("source", "ledger"), ("upload", upload)] + columns)
            #expect(gone.status == .unprocessableContent && gone.body.contains("ファイルを選んでください。"))
            let forged = try await desk.post(
                "/desk/import", [("mode", "commit"), ("source", "ledger"), ("upload", "../../etc/passwd")] + columns)
            #expect(forged.status == .unprocessableContent)
            // Only desk officers import.
            #expect(try await requester.get("/desk/import").status == .forbidden)
        }
    }
}
