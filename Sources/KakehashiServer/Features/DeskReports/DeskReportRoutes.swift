import Hummingbird
import KakehashiCore

/// 年度 statistics of the desk: charts with the same numbers in tables, and a CSV that opens
/// correctly in Japanese Excel. For desk officers, 東京都's auditors and system administrators.
struct DeskReportRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let sla: DeskSLA
    let repository = DeskReportRepository()

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        // The desk's officers and 東京都's auditors (and system administrators) read every case's figures.
        let reports = router.group().add(middleware: Policy.desk([.deskOfficer, .auditor]))
        reports.get("/desk/reports", use: page).get("/desk/reports.csv", use: csv)
    }

    struct ReportPage: Sendable {
        let year: String
        let yearLabel: String
        let years: [Option]
        let total: Int
        let average: String
        let sections: [Section]
        let csvHref: String
    }

    struct Section: Sendable {
        let id: String
        let title: String
        let note: String?
        let svg: String
        let rows: [Line]
        let total: String?
    }

    struct Line: Sendable {
        let label: String
        let value: Int
    }

    /// One breakdown: its catalog title, rows with labels, and whether its rows sum to the total.
    private struct Breakdown {
        let id: String
        let rows: [DeskReport.Row]
        let label: (String) -> String
        let sumsToTotal: Bool
        var note: String? = nil
    }

    private func year(_ request: Request) throws -> FiscalYear {
        guard let text = request.uri.queryParameters.get("year"), !text.isEmpty else { return FiscalYear(containing: TokyoDate.today()) }
        guard let value = Int(text), (2000...2100).contains(value) else { throw AppError.malformed("year") }
        return FiscalYear(startYear: value)
    }

    private func breakdowns(_ report: DeskReport, lang: Lang) -> [Breakdown] {
        let l = pages.localizer
        return [
            Breakdown(id: "requester", rows: report.byRequester, label: { $0 }, sumsToTotal: true),
            Breakdown(id: "phase", rows: report.byPhase, label: { l.t("phase_\($0)", lang) }, sumsToTotal: true),
            Breakdown(id: "kind", rows: report.bySupportKind, label: { l.t("support_\($0)", lang) }, sumsToTotal: false,
                      note: l.t("report_note_kinds", lang)),
            Breakdown(id: "state", rows: report.byState, label: { l.t("cstate_\($0)", lang) }, sumsToTotal: true),
            Breakdown(id: "first_response", rows: report.firstResponse, label: { l.t("sla_\($0)", lang) }, sumsToTotal: true),
            Breakdown(id: "decision", rows: report.decision, label: { l.t("sla_\($0)", lang) }, sumsToTotal: false,
                      note: l.t("report_note_decision", lang)),
            Breakdown(id: "team", rows: report.byTeam, label: { l.t("team_\($0)", lang) }, sumsToTotal: false, note: l.t("report_note_team", lang)),
            Breakdown(id: "effort", rows: report.effortByTeam.map { .init(key: $0.key, value: ($0.value + 30) / 60) },
                      label: { $0 == "desk" ? l.t("report_desk_staff", lang) : l.t("team_\($0)", lang) }, sumsToTotal: false,
                      note: l.t("report_note_effort", lang)),
            Breakdown(id: "satisfaction", rows: report.satisfaction, label: { l.t("satisfaction_\($0)", lang) }, sumsToTotal: false),
        ]
    }

    @Sendable func page(_ request: Request, context: SignedInContext) async throws -> Response {
        let fiscal = try year(request)
        let today = TokyoDate.today()
        let repository = self.repository, sla = self.sla
        let report = try await database.read { sql in try await repository.report(fiscalYear: fiscal, today: today, sla: sla, on: sql) }
        let l = pages.localizer, lang = context.lang
        let sections = breakdowns(report, lang: lang).map { b in
            let lines = b.rows.map { Line(label: b.label($0.key), value: $0.value) }
            let title = l.t("report_\(b.id)", lang)
            let items = lines.map { "\($0.label) \($0.value)" }.joined(separator: l.t("list_separator", lang))
            let chart = BarChart(summary: l.t("chart_summary", lang, ["title": title, "items": items]), rows: lines.map { ($0.label, $0.value) })
            return Section(id: b.id, title: title, note: b.note, svg: chart.svg,
                           rows: lines, total: b.sumsToTotal ? String(lines.reduce(0) { $0 + $1.value }) : nil)
        }
        let current = FiscalYear(containing: today).startYear
        let years = (current - 4...current).reversed().map { y in
            Option(value: String(y), label: FiscalYear(startYear: y).label(lang),
                   selected: y == fiscal.startYear)
        }
        let page = ReportPage(
            year: String(fiscal.startYear), yearLabel: fiscal.label(lang), years: years,
            total: report.total, average: report.satisfactionAverage.map { String(format: "%.2f", $0) } ?? "—", sections: sections,
            csvHref: "/desk/reports.csv?year=\(fiscal.startYear)")
        return try pages.render("report", title: l.t("report_title", lang, ["year": page.yearLabel]), page, request: request, context: context)
    }

    /// One table per breakdown, one after the other: section, item, count.
    @Sendable func csv(_ request: Request, context: SignedInContext) async throws -> Response {
        let fiscal = try year(request)
        let repository = self.repository, sla = self.sla
        let report = try await database.read { sql in try await repository.report(fiscalYear: fiscal, today: TokyoDate.today(), sla: sla, on: sql) }
        let l = pages.localizer, lang = context.lang
        var lines = [CSV.row([l.t("report_csv_section", lang), l.t("report_csv_item", lang), l.t("report_csv_count", lang)])]
        lines.append(CSV.row([l.t("report_total", lang), fiscal.label(lang), String(report.total)]))
        for b in breakdowns(report, lang: lang) {
            let title = l.t("report_\(b.id)", lang)
            for row in b.rows { lines.append(CSV.row([title, b.label(row.key), String(row.value)])) }
        }
        return CSV.response(lines, filename: "desk-report-\(fiscal.startYear).csv")
    }
}
