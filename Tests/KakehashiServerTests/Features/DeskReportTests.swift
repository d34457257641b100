import Foundation
import HummingbirdTesting
import KakehashiCore
@testable import KakehashiServer
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
            #expect(page.body.contains("<td class=\"num\">\(report.total)</td>"))
            #expect(DeskPagesTests.rawKeys(page.body).isEmpty, "\(DeskPagesTests.rawKeys(page.body))")

            let csv = try await client.execute(uri: "/desk/reports.csv?year=\(year.startYear)", method: .get,
                                               headers: [.cookie: desk.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let byBureau = lines.filter { $0.hasPrefix("\"相談元（局・区市町村）別\"") }
            let sum = byBureau.compactMap { Int($0.split(separator: ",").last!.replacingOccurrences(of: "\"", with: "")) }.reduce(0, +)
            #expect(sum == report.total)
            #expect(lines[1] == "\"相談件数（合計）\",\"\(year.japaneseLabel)\",\"\(report.total)\"")

            // Bad years are a clear 400; requesters may not read the report.
            #expect(try await desk.get("/desk/reports?year=abc").status == .badRequest)
            let requester = Browser(client)
            try await requester.signIn("requester", password: DemoData.password)
            #expect(try await requester.get("/desk/reports").status == .forbidden)
        }
    }
}
