import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
import SQLKit
import Testing

/// The fiscal-year report on the demo year: totals agree with the database and with each
/// other, the page shows charts with tables, and the CSV opens in Japanese Excel.
@Suite struct DeskReportTests {
    @Test func theAnnualReportIsConsistentOnThePageAndInTheCSV() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        let year = FiscalYear(containing: TokyoDate.today())
        let (report, submitted, minutes) = try await env.db { db in
            try await db.read { sql in
                (try await DeskReportRepository().report(fiscalYear: year, today: TokyoDate.today(), sla: .standard, on: sql),
                 try await sql.raw("SELECT COUNT(*) AS n FROM consultations WHERE fiscal_year = \(bind: year.startYear) AND state <> 'draft'")
                    .first(decodingColumn: "n", as: Int.self) ?? -1,
                 try await sql.raw("""
                    SELECT SUM(minutes) AS n FROM activities WHERE occurred_on >= \(bind: year.firstDay.iso) AND occurred_on <= \(bind: year.lastDay.iso)
                    """).first(decodingColumn: "n", as: Int.self) ?? -1)
            }
        }
        #expect(report.effortByTeam.reduce(0) { $0 + $1.value } == minutes)
        #expect(report.total == submitted)
        #expect(report.total > 50)
        #expect(report.byRequester.reduce(0) { $0 + $1.value } == report.total)
        #expect(report.byRequester.contains { $0.key == "福祉局" })
        #expect(report.byRequester.contains { $0.key == "千代田区" })

        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let desk = Browser(client)
            try await desk.signIn("desk", password: DemoData.password)
            let page = try await desk.get("/desk/reports?year=\(year.startYear)")
            #expect(page.status == .ok)
            #expect(page.body.contains(year.japaneseLabel))
            #expect(page.body.contains("<svg"))
            #expect(page.body.contains("role=\"img\""))
            #expect(page.body.contains("<th scope=\"row\">合計（件数）</th><td class=\"num\">\(report.total)</td>"))
            #expect(page.body.contains("初回回答の期限内達成率"))
            #expect(page.body.contains("営業日以内に最初の回答をした割合"), "the rate says how it is defined")
            #expect(page.body.contains("月別の受付件数"))
            #expect(page.body.contains("<th scope=\"row\">合計（時間）</th>"))
            #expect(DeskPagesTests.rawKeys(page.body).isEmpty, "\(DeskPagesTests.rawKeys(page.body))")

            let csv = try await client.execute(uri: "/desk/reports.csv?year=\(year.startYear)", method: .get,
                                               headers: [.cookie: desk.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let byBureau = lines.filter { $0.hasPrefix("\"相談元（局・区市町村）別\"") && !$0.contains("\"合計（件数）\"") }
            let sum = byBureau.compactMap { Int($0.split(separator: ",")[2].replacingOccurrences(of: "\"",
                with: "")) }.reduce(0, +)
            #expect(sum == report.total)
            #expect(lines[0] == "\"集計\",\"項目\",\"値\",\"単位\"")
            #expect(lines[1] == "\"相談件数\",\"\(year.japaneseLabel)\",\"\(report.total)\",\"件数\"")
            #expect(lines.contains("\"相談元（局・区市町村）別\",\"合計（件数）\",\"\(report.total)\",\"件数\""))
            #expect(!lines.contains { $0.hasPrefix("\"支援内容別\",\"合計") }, "kinds overlap: no total")

            // Bad years are a clear 400; requesters may not read the report.
            #expect(try await desk.get("/desk/reports?year=abc").status == .badRequest)
            let requester = Browser(client)
            try await requester.signIn("requester", password: DemoData.password)
            #expect(try await requester.get("/desk/reports").status == .forbidden)
        }
    }

    /// Each table's total row says what it totals and is right against the database; the Excel file
    /// has one sheet per table with the same numbers.
    @Test func everyTotalIsRightAgainstTheDatabaseAndTheWorkbookHasASheetPerTable() async throws {
        let env = try TestEnvironment()
        defer { Task { await env.cleanUp() } }
        #expect(try await Maintenance.prepareForServe(env.config, demo: true))
        let year = FiscalYear(containing: TokyoDate.today())
        struct Counts: Sendable { let cases: Int; let decided: Int; let minutes: Int; let ratings: Int }
        let counts = try await env.db { db in
            try await db.read { sql -> Counts in
                func n(_ query: SQLQueryString) async throws -> Int { try await sql.raw(query).first(decodingColumn: "n", as: Int.self) ?? -1 }
                let y = year.startYear
                return Counts(
                    cases: try await n("SELECT COUNT(*) AS n FROM consultations WHERE fiscal_year = \(bind: y) AND state <> 'draft'"),
                    decided: try await n("""
                        SELECT COUNT(*) AS n FROM consultations WHERE fiscal_year = \(bind: y) AND state NOT IN ('draft', 'withdrawn')
                        AND decision_due IS NOT NULL
                        """),
                    minutes: try await n("""
                        SELECT COALESCE(SUM(minutes), 0) AS n FROM activities
                        WHERE occurred_on >= \(bind: year.firstDay.iso) AND occurred_on <= \(bind: year.lastDay.iso)
                        """),
                    ratings: try await n("""
                        SELECT COUNT(*) AS n FROM engagements e JOIN consultations c ON c.id = e.consultation_id
                        WHERE c.fiscal_year = \(bind: y) AND c.state <> 'draft' AND e.satisfaction IS NOT NULL
                        """))
            }
        }
        #expect(counts.cases > 50 && counts.minutes > 0 && counts.ratings > 0)
        let app = try await buildApplication(config: env.config)
        try await app.test(.router) { client in
            let desk = Browser(client)
            try await desk.signIn("desk", password: DemoData.password)
            let file = try await desk.get("/desk/reports.xlsx?year=\(year.startYear)")
            #expect(file.status == .ok)
            var archive = try OfficeArchive(file.bytes)
            let book = try Workbook.read(&archive)
            let names = book.sheets.map(\.name)
            #expect(names == ["概要", "月別の受付件数", "相談元（局・区市町村）別", "相談時の工程別", "支援内容別", "状態・支援可否別",
                              "初回回答の期限", "支援可否の判断期限", "専門チーム別の支援件数", "チーム別の活動時間", "満足度", "過去の年度との比較"])
            let expected: [String: (label: String, value: Double)] = [
                "月別の受付件数": ("合計（件数）", Double(counts.cases)), "相談元（局・区市町村）別": ("合計（件数）", Double(counts.cases)),
                "相談時の工程別": ("合計（件数）", Double(counts.cases)), "状態・支援可否別": ("合計（件数）", Double(counts.cases)),
                "初回回答の期限": ("合計（件数）", Double(counts.cases)), "支援可否の判断期限": ("合計（件数）", Double(counts.decided)),
                "チーム別の活動時間": ("合計（時間）", (Double(counts.minutes) / 60 * 100).rounded() / 100),
                "満足度": ("合計（回答数）", Double(counts.ratings)),
            ]
            for sheet in book.sheets where expected[sheet.name] != nil {
                let (label, value) = expected[sheet.name]!
                let last = try #require(sheet.rows.last)
                #expect(last[0] == label, "\(sheet.name) ends with its labelled total")
                #expect(Double(last[1]) == value, "\(sheet.name): \(last[1]) against \(value) in the database")
                if sheet.name != "チーム別の活動時間" {
                    let sum = sheet.rows.dropFirst().dropLast().compactMap { Double($0[1]) }.reduce(0, +)
                    #expect(sum == value, "\(sheet.name)'s rows add up to its total")
                }
            }
            for name in ["支援内容別", "専門チーム別の支援件数"] {
                let sheet = try #require(book.sheets.first { $0.name == name })
                #expect(!sheet.rows.contains { $0.first?.hasPrefix("合計") == true }, "\(name) overlaps: no total row")
            }
            let summary = try #require(book.sheets.first)
            #expect(summary.rows.contains { $0 == ["相談件数", String(counts.cases)] })
        }
    }
}
