import KakehashiCore

/// The fiscal-year figures and their CSV and Excel forms, one source for the report page and the API.
struct DeskReportExport: Sendable {
    let database: AppDatabase
    let sla: DeskSLA
    let repository = DeskReportRepository()

    /// Everything the report shows for one year.
    struct Figures {
        let year: FiscalYear
        let report: DeskReport
        let monthly: [DeskReport.Row]
        let history: [DeskReportTables.YearFigures]
        let yearsHeld: [Int]
    }

    func figures(_ fiscal: FiscalYear) async throws -> Figures {
        let today = TokyoDate.today()
        let repository = self.repository
        let sla = self.sla
        return try await database.read { sql in
            let report = try await repository.report(fiscalYear: fiscal, today: today, sla: sla, on: sql)
            let days = try await repository.submittedDays(fiscalYear: fiscal, on: sql)
            let held = try await repository.years(on: sql)
            // The years before this one that the data holds, for the comparison (at most ten).
            var history = [DeskReportTables.YearFigures(year: fiscal, report: report)]
            for y in held where y < fiscal.startYear && history.count < 10 {
                let earlier = FiscalYear(startYear: y)
                history.append(
                    .init(
                        year: earlier,
                        report: try await repository.report(
                            fiscalYear: earlier,
                            today: today, sla: sla, on: sql)))
            }
            return Figures(
                year: fiscal, report: report, monthly: DeskReport.monthly(days, in: fiscal),
                history: history, yearsHeld: held)
        }
    }

    /// Every table one after the other: table, item, value, unit; the totals labelled; then the rates and
    /// the comparison.
    func csvLines(_ f: Figures, l: Localizer, lang: Lang) -> [String] {
        let tables = DeskReportTables(l: l, lang: lang)
        var lines = [
            CSV.row(
                [
                    "report_csv_section", "report_csv_item", "report_csv_value",
                    "report_csv_unit",
                ].map { l.t($0, lang) })
        ]
        lines.append(
            CSV.row([
                l.t("report_total", lang), f.year.label(lang), String(f.report.total),
                tables.unitLabel(.cases),
            ]))
        for t in tables.tables(f.report, monthly: f.monthly) {
            let unit = tables.unitLabel(t.unit)
            for line in t.lines + (t.total.map { [$0] } ?? []) {
                lines.append(
                    CSV.row([
                        t.title, line.label,
                        String(line.value), unit,
                    ]))
            }
        }
        let rateTitle = l.t("report_rates", lang)
        for (key, rate) in [
            ("report_first_response_rate", f.report.firstResponseRate),
            (
                "report_decision_rate",
                f.report.decisionRate
            ),
        ] {
            lines.append(
                CSV.row([
                    rateTitle, l.t(key, lang), rate.percent.map { String(format: "%.1f", $0) } ?? "",
                    "%",
                ]))
        }
        let header = tables.comparisonHeader
        for row in tables.comparison(f.history) {
            for (index, value) in row.enumerated().dropFirst() {
                lines.append(CSV.row([l.t("report_comparison", lang), "\(row[0]) \(header[index])", value, ""]))
            }
        }
        return lines
    }

    /// One sheet per table, numbers as numbers (minutes as hours with decimals), and a sheet comparing the years.
    func workbook(_ f: Figures, l: Localizer, lang: Lang) -> WorkbookWriter {
        let tables = DeskReportTables(l: l, lang: lang)
        let r = f.report
        let summary = WorkbookWriter.Sheet(
            name: l.t("report_sheet_summary", lang),
            header: [
                l.t("report_csv_item", lang),
                l.t(
                    "report_csv_value",
                    lang),
            ],
            rows: [
                [.text(l.t("report_field_year", lang)), .text(f.year.label(lang))],
                [.text(l.t("report_total", lang)), .number(Double(r.total))],
                [.text(l.t("report_accepted", lang)), .number(Double(r.accepted))],
                [.text(l.t("report_first_response_rate", lang)), .text(tables.rate(r.firstResponseRate))],
                [.text(l.t("report_decision_rate", lang)), .text(tables.rate(r.decisionRate))],
                [
                    .text(l.t("report_satisfaction_average", lang)),
                    r.satisfactionAverage.map { .number(($0 * 100).rounded() / 100) } ?? .empty,
                ],
            ])
        var sheets = [summary]
        for t in tables.tables(r, monthly: f.monthly) {
            let value = { (v: Int) -> WorkbookWriter.Cell in
                .number(t.unit == .hours ? (Double(v) / 60 * 100).rounded() / 100 : Double(v))
            }
            let unit = t.unit == .hours ? l.t("report_unit_hours_decimal", lang) : tables.unitLabel(t.unit)
            sheets.append(
                WorkbookWriter.Sheet(
                    name: t.title, header: [l.t("report_csv_item", lang), unit],
                    rows: t.lines.map { [.text($0.label), value($0.value)] }
                        + (t.total.map {
                            [
                                [
                                    .text($0.label),
                                    value($0.value),
                                ]
                            ]
                        } ?? [])))
        }
        sheets.append(
            WorkbookWriter.Sheet(
                name: l.t("report_comparison", lang), header: tables.comparisonHeader,
                rows: tables.comparison(f.history).map { $0.map(WorkbookWriter.Cell.text) }))
        return WorkbookWriter(sheets: sheets)
    }
}
