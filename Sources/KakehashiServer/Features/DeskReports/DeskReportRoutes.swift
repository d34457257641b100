import Hummingbird
import KakehashiCore

/// 年度 statistics of the desk, as a director would present them: the year's headline figures
/// with the service-target achievement rates and their definitions, a monthly intake chart,
/// labelled tables with charts, a comparison with the earlier years the data holds, and the same
/// tables as CSV and as an Excel workbook (one sheet per table). For desk officers, 東京都's
/// auditors and system administrators.
struct DeskReportRoutes: Sendable {
    let database: AppDatabase
    let pages: Pages
    let sla: DeskSLA
    var export: DeskReportExport { DeskReportExport(database: database, sla: sla) }

    func addRoutes(to router: RouterGroup<SignedInContext>) {
        // The desk's officers and 東京都's auditors (and system administrators) read every case's figures.
        let reports = router.group().add(middleware: Policy.desk([.deskOfficer, .auditor]))
        reports.get("/desk/reports", use: page).get("/desk/reports.csv", use: csv).get("/desk/reports.xlsx", use: xlsx)
    }

    struct ReportPage: Sendable {
        struct Fact: Sendable {
            let label: String
            let value: String
            let hint: String?
        }

        struct Section: Sendable {
            let id: String
            let title: String
            let note: String?
            let svg: String
            let unit: String
            let lines: [DeskReportTables.Line]
            let total: DeskReportTables.Line?
        }

        let year: String
        let yearLabel: String
        let years: [Option]
        let facts: [Fact]
        let sections: [Section]
        struct Cell: Sendable {
            let label: String
            let value: String
        }

        struct ComparisonRow: Sendable { let cells: [Cell] }

        let comparisonHeader: [String]
        let comparison: [ComparisonRow]
        let hasComparison: Bool
        let csvHref: String
        let xlsxHref: String
    }

    private func year(_ request: Request) throws -> FiscalYear {
        guard let text = request.uri.queryParameters.get("year"), !text.isEmpty else { return FiscalYear(containing: TokyoDate.today()) }
        guard let value = Int(text), (2000...2100).contains(value) else { throw AppError.malformed("year") }
        return FiscalYear(startYear: value)
    }

    private func figures(_ request: Request) async throws -> DeskReportExport.Figures {
        try await export.figures(try year(request))
    }

    @Sendable func page(_ request: Request, context: SignedInContext) async throws -> Response {
        let f = try await figures(request)
        let l = pages.localizer, lang = context.lang
        let tables = DeskReportTables(l: l, lang: lang)
        let sections = tables.tables(f.report, monthly: f.monthly).map { t in
            let items = t.lines.map { "\($0.label) \($0.text)" }.joined(separator: l.t("list_separator", lang))
            let chart = BarChart(summary: l.t("chart_summary", lang, ["title": t.title, "items": items]),
                                 rows: t.lines.map { ($0.label, $0.value) }, texts: t.lines.map(\.text))
            return ReportPage.Section(id: t.id, title: t.title, note: t.note, svg: chart.svg,
                unit: tables.unitLabel(t.unit),
                                      lines: t.lines, total: t.total)
        }
        let current = FiscalYear(containing: TokyoDate.today()).startYear
        // The years offered are the ones the data holds, this year, and the one asked for: the label always agrees.
        let offered = Set(f.yearsHeld + [current, f.year.startYear]).filter { $0 <= current + 1 }.sorted(by: >)
        let years = offered.map { Option(value: String($0), label: FiscalYear(startYear: $0).label(lang),
            selected: $0 == f.year.startYear) }
        let r = f.report
        let facts = [
            ReportPage.Fact(label: l.t("report_total", lang), value: tables.text(r.total, .cases), hint: nil),
            ReportPage.Fact(label: l.t("report_accepted", lang), value: tables.text(r.accepted, .cases), hint: nil),
            ReportPage.Fact(label: l.t("report_first_response_rate", lang), value: tables.rate(r.firstResponseRate),
                            hint: l.t("report_rate_definition_first_response", lang,
                                ["days": String(sla.firstResponseDays)])),
            ReportPage.Fact(label: l.t("report_decision_rate", lang), value: tables.rate(r.decisionRate),
                            hint: l.t("report_rate_definition_decision", lang, ["days": String(sla.decisionDays)])),
            ReportPage.Fact(label: l.t("report_satisfaction_average", lang), value: tables.average(r),
                            hint: l.t("report_satisfaction_count", lang,
                                ["count": l.number(r.satisfaction.reduce(0) { $0 + $1.value }, lang)])),
        ]
        let page = ReportPage(
            year: String(f.year.startYear), yearLabel: f.year.label(lang), years: years, facts: facts, sections: sections,
            comparisonHeader: tables.comparisonHeader,
            comparison: tables.comparison(f.history).map { row in
                ReportPage.ComparisonRow(cells: zip(tables.comparisonHeader, row).map { ReportPage.Cell(label: $0,
                    value: $1) })
            },
            hasComparison: f.history.count > 1,
            csvHref: "/desk/reports.csv?year=\(f.year.startYear)", xlsxHref: "/desk/reports.xlsx?year=\(f.year.startYear)")
        return try pages.render("report", title: l.t("report_title", lang, ["year": page.yearLabel]), page, request: request, context: context)
    }

    @Sendable func csv(_ request: Request, context: SignedInContext) async throws -> Response {
        let f = try await figures(request)
        return CSV.response(export.csvLines(f, l: pages.localizer, lang: context.lang),
                            filename: "desk-report-\(f.year.startYear).csv")
    }

    @Sendable func xlsx(_ request: Request, context: SignedInContext) async throws -> Response {
        let f = try await figures(request)
        return try Spreadsheet.response(export.workbook(f, l: pages.localizer, lang: context.lang),
                                        filename: "desk-report-\(f.year.startYear).xlsx")
    }
}
