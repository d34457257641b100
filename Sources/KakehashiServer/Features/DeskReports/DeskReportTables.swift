import KakehashiCore

/// The fiscal-year report as labelled tables — the one source of the page, the CSV and the Excel
/// file, so that all three say the same. Each table knows its unit (件数, 時間, 回答数), and only a
/// table whose rows are disjoint has a total row, labelled with what it totals.
struct DeskReportTables {
    enum Unit: String { case cases, hours, responses }

    struct Line: Sendable {
        let label: String
        let value: Int
        /// As written on the page: 12, or 3時間20分 for minutes.
        let text: String
    }

    struct Table: Sendable {
        let id: String
        let title: String
        let note: String?
        let unit: Unit
        let lines: [Line]
        let total: Line?
    }

    /// One year's figures beside the years before it.
    struct YearFigures {
        let year: FiscalYear
        let report: DeskReport
    }

    let l: Localizer
    let lang: Lang

    func unitLabel(_ unit: Unit) -> String { l.t("report_unit_\(unit.rawValue)", lang) }

    func text(_ value: Int, _ unit: Unit) -> String {
        guard unit == .hours else { return l.number(value, lang) }
        let hours = l.number(value / 60, lang)
        return value % 60 == 0 ? l.t("report_hours", lang, ["hours": hours])
            : l.t("report_hours_minutes", lang, ["hours": hours, "minutes": String(value % 60)])
    }

    func tables(_ report: DeskReport, monthly: [DeskReport.Row]) -> [Table] {
        func table(_ id: String, _ rows: [DeskReport.Row], unit: Unit = .cases, sums: Bool, note: String? = nil,
                   label: (String) -> String) -> Table {
            let lines = rows.map { Line(label: label($0.key), value: $0.value, text: text($0.value, unit)) }
            let sum = lines.reduce(0) { $0 + $1.value }
            return Table(id: id, title: l.t("report_\(id)", lang), note: note, unit: unit, lines: lines,
                         total: sums ? Line(label: l.t("report_total_\(unit.rawValue)", lang), value: sum,
                             text: text(sum, unit)) : nil)
        }
        return [
            table("monthly", monthly, sums: true) { l.t("month_\($0)", lang) },
            table("requester", report.byRequester, sums: true) { $0 },
            table("phase", report.byPhase, sums: true) { l.t("phase_\($0)", lang) },
            table("kind", report.bySupportKind, sums: false, note: l.t("report_note_kinds",
                lang)) { l.t("support_\($0)", lang) },
            table("state", report.byState, sums: true) { l.t("cstate_\($0)", lang) },
            table("first_response", report.firstResponse, sums: true, note: l.t("report_note_first_response", lang)) {
                l.t("sla_\($0)", lang)
            },
            table("decision", report.decision, sums: true, note: l.t("report_note_decision", lang)) { l.t("sla_\($0)",
                lang) },
            table("team", report.byTeam, sums: false, note: l.t("report_note_team", lang)) { l.t("team_\($0)", lang) },
            table("effort", report.effortByTeam, unit: .hours, sums: true, note: l.t("report_note_effort", lang)) {
                $0 == "desk" ? l.t("report_desk_staff", lang) : l.t("team_\($0)", lang)
            },
            table("satisfaction", report.satisfaction, unit: .responses, sums: true) { l.t("satisfaction_\($0)",
                lang) },
        ]
    }

    /// 92.3%（120件 / 130件）, or a dash when nothing came due.
    func rate(_ rate: DeskReport.Rate) -> String {
        guard let percent = rate.percent else { return l.t("report_rate_none", lang) }
        return l.t("report_rate", lang, ["percent": String(format: "%.1f", percent), "met": l.number(rate.met, lang),
                                         "due": l.number(rate.due, lang)])
    }

    func average(_ report: DeskReport) -> String {
        report.satisfactionAverage.map { String(format: "%.2f", $0) } ?? l.t("report_rate_none", lang)
    }

    /// The comparison of fiscal years: one row per year, newest first.
    var comparisonHeader: [String] {
        ["report_field_year", "report_total", "report_accepted", "report_first_response_rate", "report_decision_rate",
         "report_satisfaction_average"].map { l.t($0, lang) }
    }

    func comparison(_ years: [YearFigures]) -> [[String]] {
        years.map { y in
            [y.year.label(lang), l.number(y.report.total, lang), l.number(y.report.accepted, lang),
             rate(y.report.firstResponseRate), rate(y.report.decisionRate), average(y.report)]
        }
    }
}
