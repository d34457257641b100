import KakehashiCore

/// The procurement checks as the pages show them: a line per check on the engagement page, the
/// check's own page (findings with the specialists' verdicts) and the report the bureau downloads.
struct ProcurementSummaryView: Sendable {
    let href: String
    let date: String
    let kind: String
    let file: String
    let counts: String
    let top: [String]
    let hasTop: Bool

    static func build(_ check: ProcurementCheck, base: String, l: Localizer, lang: Lang) -> ProcurementSummaryView {
        let findings = check.findingList
        let top = findings.prefix(3).map { "[\(ProcurementReport.severity($0.severity, english: lang == .en))] \($0.message.text(english: lang == .en))" }
        return ProcurementSummaryView(href: "\(base)/procurement/\(check.id)", date: DateText.time(check.createdAt,
            lang), kind: l.t("procurement_kind_\(check.kind)", lang),
                                      file: check.fileName, counts: ProcurementPage.counts(findings, l: l, lang: lang), top: top, hasTop: !top.isEmpty)
    }
}

struct ProcurementPage: Sendable {
    let heading: String
    let engagementHref: String
    let engagementTitle: String
    let number: String
    let action: String
    let facts: [Fact]
    let counts: String
    var findings: [FindingView]
    let hasFindings: Bool
    let questions: [String]
    let hasQuestions: Bool
    let canWork: Bool
    let marks: [Mark]
    let hasMarks: Bool
    let reportHref: String
    let downloadHref: String
    let verdictsDone: String
    /// Why the verdicts were refused, when they were.
    var errors: [String] = []
    var hasErrors = false

    struct FindingView: Sendable {
        let position: Int
        /// 1-based, for people.
        let number: Int
        let severity: String
        let severityCode: String
        let place: String
        let message: String
        let excerpt: String?
        let reason: String
        let fix: String
        let rule: String
        var verdicts: [Option]
        let verdict: String
        var note: String
        let noteBy: String
    }

    /// The verdicts as the person sent them, when they were refused: nothing typed is lost.
    mutating func keep(_ sent: [ProcurementService.VerdictInput]) {
        for input in sent {
            guard let i = findings.firstIndex(where: { $0.position == input.position }) else { continue }
            findings[i].verdicts = findings[i].verdicts.map { Option(value: $0.value, label: $0.label, selected: $0.value == (input.verdict ?? "")) }
            findings[i].note = input.note ?? ""
        }
    }

    struct Mark: Sendable {
        let action: String
        let label: String
    }

    static func counts(_ findings: [ProcurementFinding], l: Localizer, lang: Lang) -> String {
        guard !findings.isEmpty else { return l.t("procurement_no_findings", lang) }
        let parts = ProcurementReport.severityCounts(findings, english: lang == .en)
        return l.t("procurement_counts", lang, ["count": String(findings.count), "parts": parts.joined(separator: lang == .en ? ", " : "・")])
    }

    static func build(_ check: ProcurementCheck, engagement: Engagement, consultation: Consultation, system: CatalogSystem?, verdicts: [Int: StoredVerdict],
                      names: [String: String], access: DeskAccess, members: [EngagementMember], l: Localizer, lang: Lang) -> ProcurementPage {
        let english = lang == .en
        let base = "/desk/engagements/\(engagement.id)"
        let findings = check.findingList
        let canWork = !engagement.isClosed && access.mayWork(on: engagement, members: members)
        var facts = [
            Fact(label: l.t("procurement_field_kind", lang), value: l.t("procurement_kind_\(check.kind)", lang)),
            Fact(label: l.t("procurement_field_file", lang), value: check.fileName),
            Fact(label: l.t("procurement_field_run", lang), value: l.t("by_at", lang,
                ["by": names[check.createdBy] ?? "—", "at": DateText.time(check.createdAt, lang)])),
        ]
        if let system { facts.append(Fact(label: l.t("procurement_field_system", lang), value: l.t("procurement_system_value", lang, [
            "system": "\(system.code) \(system.name)", "c": String(system.confidentiality), "a": String(system.availability)]))) }
        if let report = check.specReport {
            facts.append(Fact(label: l.t("procurement_field_size", lang), value: l.t("procurement_spec_size", lang, ["sections": String(report.sections), "paragraphs": String(report.paragraphs)])))
        }
        if let report = check.estimateReport {
            facts.append(Fact(label: l.t("procurement_field_size", lang), value: l.t("procurement_estimate_size", lang, ["lines": String(report.lines), "amount": EstimateCheck.yen(report.subtotal)])))
            facts.append(Fact(label: l.t("procurement_field_category", lang), value: l.t("ecategory_\(check.category ?? "")", lang)))
            facts.append(Fact(label: l.t("procurement_field_fiscal_year", lang), value: FiscalYear(startYear: report.fiscalYear).japaneseLabel))
            facts.append(Fact(label: l.t("procurement_field_comparable", lang),
                              value: l.t(check.published ? "procurement_published" : check.accepted ? "procurement_accepted" : "procurement_not_accepted", lang)))
        }
        let views = findings.enumerated().map { position, f in
            let stored = verdicts[position]
            return FindingView(
                position: position, number: position + 1, severity: ProcurementReport.severity(f.severity, english: english), severityCode: f.severity,
                place: ProcurementReport.place(f, english: english), message: f.message.text(english: english), excerpt: f.excerpt,
                reason: f.reason.text(english: english), fix: f.fix.text(english: english), rule: f.rule,
                verdicts: [Option(value: "", label: l.t("procurement_verdict_none", lang), selected: stored == nil)]
                    + FindingVerdict.allCases.map { Option(value: $0.rawValue, label: l.t("fverdict_\($0.rawValue)", lang), selected: stored?.verdict == $0.rawValue) },
                verdict: stored.map { l.t("fverdict_\($0.verdict)", lang) } ?? l.t("procurement_verdict_none", lang), note: stored?.note ?? "",
                noteBy: stored.map { l.t("by_at", lang, ["by": names[$0.decidedBy] ?? "—",
                    "at": DateText.time($0.decidedAt, lang)]) } ?? "")
        }
        let questions = (check.estimateReport?.questions ?? []).map { $0.text(english: english) }
        var marks: [Mark] = []
        if check.kind == ProcurementKind.estimate.rawValue && !engagement.isClosed {
            if access.mayManage(engagement) { marks.append(check.accepted ? Mark(action: "withdraw", label: l.t("procurement_withdraw", lang)) : Mark(action: "accept", label: l.t("procurement_accept", lang))) }
            if access.isDeskOfficer && check.accepted && !check.published { marks.append(Mark(action: "publish", label: l.t("procurement_publish", lang))) }
        }
        let decided = verdicts.count
        return ProcurementPage(
            heading: l.t("procurement_check_title", lang, ["kind": l.t("procurement_kind_\(check.kind)", lang), "file": check.fileName]),
            engagementHref: base, engagementTitle: consultation.title, number: consultation.number ?? "", action: "\(base)/procurement/\(check.id)",
            facts: facts, counts: counts(findings, l: l, lang: lang), findings: views, hasFindings: !views.isEmpty, questions: questions, hasQuestions: !questions.isEmpty,
            canWork: canWork && !views.isEmpty, marks: marks, hasMarks: !marks.isEmpty,
            reportHref: "\(base)/procurement/\(check.id)/report", downloadHref: "\(base)/procurement/\(check.id)/report.html",
            verdictsDone: l.t("procurement_verdicts_done", lang, ["done": String(decided), "count": String(findings.count)]))
    }
}
