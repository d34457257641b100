import Foundation
import KakehashiCore

/// What the assessment part of a system page reads.
struct AssessmentData: Sendable {
    let assessments: [SystemAssessment]
    let reviews: [SystemReview]
    /// The questionnaire the newest assessment was answered against.
    let questionnaire: Questionnaire?
    let people: [String: Person]
}

/// Labels of strategies, risks, confidence and progress, from the message catalogs.
struct AssessmentLabels: Sendable {
    let l: Localizer
    let lang: Lang

    var english: Bool { lang == .en }
    func strategy(_ code: String) -> String { l.t("strategy_\(code)", lang) }
    func risk(_ code: String) -> String { l.t("risk_\(code)", lang) }
    func status(_ code: String) -> String { l.t("migration_status_\(code)", lang) }
    func cloud(_ code: String) -> String { code.isEmpty ? l.t("cloud_none", lang) : l.t("cloud_\(code)", lang) }
    func person(_ id: String, _ people: [String: Person]) -> String { people[id]?.displayName ?? "—" }
    func effort(_ value: Double) -> String { l.t("effort_person_months", lang, ["value": Self.number(value)]) }
}

/// 移行評価と判断 on a system's page: the newest assessment and decision, and their history.
struct SystemAssessmentSection: Sendable {
    let canEdit: Bool
    let assessHref: String
    let reviewHref: String
    let hasAssessment: Bool
    let questionnaire: String
    let assessedBy: String
    let risk: String
    let riskClass: String
    let riskDetail: String
    let recommendation: String
    let reasons: [String]
    let hasReasons: Bool
    let against: [String]
    let hasAgainst: Bool
    let mitigations: [String]
    let hasMitigations: Bool
    let hasReview: Bool
    let review: [SystemPage.Fact]
    let history: [HistoryRow]
    let hasHistory: Bool

    struct HistoryRow: Sendable {
        let at: String
        let kind: String
        let summary: String
        let by: String
    }

    static func build(systemId: String, _ d: AssessmentData, canEdit: Bool, l: Localizer, lang: Lang) -> SystemAssessmentSection {
        let labels = AssessmentLabels(l: l, lang: lang)
        let latest = d.assessments.first
        let outcome = latest.flatMap { try? JSONDecoder().decode(AssessmentScoring.Outcome.self, from: Data($0.outcome.utf8)) }
        let q = d.questionnaire
        func answerText(_ c: AssessmentScoring.Contribution) -> String {
            let question = q?.question(c.question)
            let answer = question?.answers.first { $0.id == c.answer }
            return l.t("assessment_reason", lang, ["question": question?.text.text(english: labels.english) ?? c.question,
                                                   "answer": answer?.text.text(english: labels.english) ?? c.answer,
                                                   "weight": (c.weight > 0 ? "+" : "") + AssessmentLabels.number(c.weight)])
        }
        var recommendation = ""
        var mitigations: [String] = []
        var riskDetail = ""
        if let outcome, let latest {
            if let best = outcome.recommended {
                recommendation = l.t("assessment_recommended", lang, ["strategy": labels.strategy(best.rawValue),
                                                                     "confidence": l.t("confidence_\(outcome.confidence.rawValue)", lang)])
            } else {
                recommendation = l.t(outcome.weighted ? "assessment_no_recommendation" : "assessment_unweighted", lang)
            }
            riskDetail = l.t("assessment_risk_detail", lang, [
                "red": String(outcome.counts[.red] ?? 0), "yellow": String(outcome.counts[.yellow] ?? 0),
                "unknown": String(outcome.counts[.unknown] ?? 0), "shown": String(outcome.shown.count), "answered": String(outcome.answered)])
            let answers = (try? JSONDecoder().decode([String: String].self, from: Data(latest.answers.utf8))) ?? [:]
            for id in outcome.shown {
                guard let question = q?.question(id), let answer = question.answers.first(where: { $0.id == answers[id] }),
                      answer.risk == .red || answer.risk == .yellow else { continue }
                let text = answer.mitigation ?? answer.rationale
                mitigations.append(l.t("assessment_mitigation", lang, [
                    "risk": labels.risk(answer.risk.rawValue), "question": question.text.text(english: labels.english),
                    "answer": answer.text.text(english: labels.english), "note": text?.text(english: labels.english) ?? l.t("assessment_no_note", lang)]))
            }
        }
        let review = d.reviews.first.map { r in [
            SystemPage.Fact(label: l.t("review_strategy", lang), value: labels.strategy(r.strategy)),
            SystemPage.Fact(label: l.t("review_effort", lang), value: labels.effort(r.effort)),
            SystemPage.Fact(label: l.t("review_target_cloud", lang), value: labels.cloud(r.targetCloud)),
            SystemPage.Fact(label: l.t("review_status", lang), value: labels.status(r.status)),
            SystemPage.Fact(label: l.t("review_comment", lang), value: r.comment),
            SystemPage.Fact(label: l.t("review_decided", lang), value: l.t("by_at", lang,
                ["by": labels.person(r.decidedBy, d.people), "at": DateText.time(r.decidedAt, lang)])),
        ].filter { !$0.value.isEmpty } } ?? []

        var history = d.assessments.map { a in
            (a.createdAt, HistoryRow(at: DateText.time(a.createdAt, lang), kind: l.t("history_assessment", lang),
                                     summary: l.t("history_assessment_summary", lang, ["risk": labels.risk(a.risk),
                                                                                       "strategy": a.recommended.map(labels.strategy) ?? "—",
                                                                                       "questionnaire": "\(a.questionnaireId) v\(a.questionnaireVersion)"]),
                                     by: labels.person(a.createdBy, d.people)))
        }
        history += d.reviews.map { r in
            (r.decidedAt, HistoryRow(at: DateText.time(r.decidedAt, lang), kind: l.t("history_review", lang),
                                     summary: l.t("history_review_summary", lang, ["strategy": labels.strategy(r.strategy), "effort": labels.effort(r.effort),
                                                                                   "status": labels.status(r.status)]),
                                     by: labels.person(r.decidedBy, d.people)))
        }
        let rows = history.sorted { $0.0 > $1.0 }.map(\.1)
        let reasons = outcome?.reasons.map(answerText) ?? []
        let against = outcome?.against.map(answerText) ?? []
        return SystemAssessmentSection(
            canEdit: canEdit, assessHref: "/portfolio/systems/\(systemId)/assess", reviewHref: "/portfolio/systems/\(systemId)/review",
            hasAssessment: latest != nil,
            questionnaire: q.map { "\($0.title.text(english: labels.english)) v\($0.version)" } ?? (latest.map { "\($0.questionnaireId) v\($0.questionnaireVersion)" } ?? ""),
            assessedBy: latest.map { l.t("by_at", lang, ["by": labels.person($0.createdBy, d.people),
                "at": DateText.time($0.createdAt, lang)]) } ?? "",
            risk: latest.map { labels.risk($0.risk) } ?? "", riskClass: latest.map { "risk risk-\($0.risk)" } ?? "",
            riskDetail: riskDetail, recommendation: recommendation,
            reasons: reasons, hasReasons: !reasons.isEmpty, against: against, hasAgainst: !against.isEmpty,
            mitigations: mitigations, hasMitigations: !mitigations.isEmpty,
            hasReview: !review.isEmpty, review: review, history: rows, hasHistory: !rows.isEmpty)
    }
}

extension AssessmentLabels {
    /// A whole number without decimals, else one decimal; anything beyond Int's range as Swift prints it.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return String(value) }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// The assessment form: one choice per question, in the questionnaire's order; a question shown
/// only in some cases says when.
enum AssessmentForm {
    static func page(systemId: String, systemTitle: String, stored: StoredQuestionnaire, q: Questionnaire, answers: [String: String],
                     others: [StoredQuestionnaire], l: Localizer, lang: Lang) -> FormPage {
        let english = lang == .en
        var fields: [FormPage.Field] = []
        for section in q.sections {
            for question in section.questions {
                let options = [Option(value: "", label: l.t("assessment_unanswered", lang), selected: false)]
                    + question.answers.map { Option(value: $0.id, label: $0.text.text(english: english), selected: false) }
                let hints = [question.help?.text(english: english), question.when.map { l.t("assessment_condition", lang, ["when": describe($0, q, english: english, l: l, lang: lang)]) }]
                    .compactMap { $0 }
                fields.append(.init(name: "answer." + question.id, label: l.t("assessment_question_label", lang, ["section": section.title.text(english: english), "question": question.text.text(english: english)]),
                                    value: answers[question.id] ?? "", hint: hints.isEmpty ? nil : hints.joined(separator: " "), options: options))
            }
        }
        var page = FormPage(heading: l.t("assessment_heading", lang, ["system": systemTitle]), action: "/portfolio/systems/\(systemId)/assess",
                            submitLabel: l.t("assessment_save", lang), cancelHref: "/portfolio/systems/\(systemId)", fields: fields)
        page.hidden = [.init(name: "questionnaire", value: q.id), .init(name: "version", value: String(q.version))]
        page.intro = l.t("assessment_intro", lang, ["title": q.title.text(english: english), "version": String(q.version),
                                                     "questions": String(q.questions.count)])
        if others.count > 1 {
            page.related = others.filter { $0.id != stored.id }.map {
                RelatedLink(label: $0.title, href: "/portfolio/systems/\(systemId)/assess?questionnaire=\($0.id)",
                            note: l.t("questionnaire_note", lang, ["version": String($0.version), "questions": String($0.questionCount)]))
            }
            page.relatedHeading = l.t("assessment_other_questionnaires", lang)
        }
        return page
    }

    /// A condition in words: 「種類は」が「パッケージ」のとき, タグ Zone/lgwan があるとき, …
    static func describe(_ c: QuestionCondition, _ q: Questionnaire, english: Bool, l: Localizer, lang: Lang) -> String {
        switch c {
        case .answered(let id, let answers):
            let question = q.question(id)
            let names = answers.map { a in question?.answers.first { $0.id == a }?.text.text(english: english) ?? a }
            return l.t("condition_answered", lang, ["question": question?.text.text(english: english) ?? id, "answers": names.joined(separator: l.t("list_or", lang))])
        case .tag(let tag): return l.t("condition_tag", lang, ["tag": tag])
        case .all(let parts): return parts.map { describe($0, q, english: english, l: l, lang: lang) }.joined(separator: l.t("list_and", lang))
        case .any(let parts):
            return l.t("condition_group", lang, ["conditions": parts.map { describe($0, q, english: english, l: l, lang: lang) }.joined(separator: l.t("list_or", lang))])
        case .not(let part): return l.t("condition_not", lang, ["condition": describe(part, q, english: english, l: l, lang: lang)])
        }
    }
}

/// The decision form (判断の記録).
enum ReviewForm {
    static func page(systemId: String, systemTitle: String, recommended: String?, latest: SystemReview?, allowedClouds: [CloudProvider],
                     l: Localizer, lang: Lang) -> FormPage {
        let labels = AssessmentLabels(l: l, lang: lang)
        let strategies = [Option(value: "", label: "—", selected: false)]
            + MigrationStrategy.allCases.map { Option(value: $0.rawValue, label: labels.strategy($0.rawValue), selected: false) }
        let clouds = [Option(value: "", label: labels.cloud(""), selected: false)]
            + CloudProvider.allCases.map { Option(value: $0.rawValue, label: labels.cloud($0.rawValue) + (allowedClouds.contains($0) ? "" : l.t("cloud_not_allowed_suffix", lang)), selected: false) }
        let statuses = MigrationStatus.allCases.map { Option(value: $0.rawValue, label: labels.status($0.rawValue), selected: false) }
        let strategyHint = recommended.map { l.t("review_strategy_hint", lang, ["strategy": labels.strategy($0)]) }
        var page = FormPage(
            heading: l.t("review_heading", lang, ["system": systemTitle]), action: "/portfolio/systems/\(systemId)/review",
            submitLabel: l.t("review_save", lang), cancelHref: "/portfolio/systems/\(systemId)",
            fields: [
                .init(name: "strategy", label: l.t("review_strategy", lang), value: latest?.strategy ?? recommended ?? "", required: true,
                      hint: strategyHint, options: strategies),
                .init(name: "effort", label: l.t("review_effort_field", lang), value: latest.map { AssessmentLabels.number($0.effort) } ?? "",
                      required: true, hint: l.t("review_effort_hint", lang), maxlength: 12),
                .init(name: "target_cloud", label: l.t("review_target_cloud", lang), value: latest?.targetCloud ?? "", options: clouds),
                .init(name: "status", label: l.t("review_status", lang), value: latest?.status ?? MigrationStatus.notStarted.rawValue, options: statuses),
                .init(name: "comment", label: l.t("review_comment", lang), value: latest?.comment ?? "", type: "textarea", maxlength: 4_000),
            ])
        page.intro = l.t("review_intro", lang)
        return page
    }
}

/// 質問票: every questionnaire's newest version, its older versions, and the import form.
struct QuestionnaireListPage: Sendable {
    let rows: [Row]
    let canImport: Bool
    let imported: String?
    let failed: Bool
    let issues: [String]
    let text: String

    struct Row: Sendable {
        let anchor: String
        let title: String
        let id: String
        let version: Int
        let format: String
        let questions: Int
        let origin: String
        let sourceHref: String
        let older: [Link]
        let hasOlder: Bool
    }

    struct Link: Sendable {
        let label: String
        let href: String
    }

    static func build(newest: [StoredQuestionnaire], versions: [String: [Int]], people: [String: Person], canImport: Bool,
                      outcome: QuestionnaireService.ImportOutcome?, text: String, l: Localizer, lang: Lang) -> QuestionnaireListPage {
        let rows = newest.map { q in
            let older = (versions[q.id] ?? []).filter { $0 < q.version }.sorted(by: >).map {
                Link(label: "v\($0)", href: "/portfolio/questionnaires/\(q.id)/source?version=\($0)")
            }
            let origin = q.createdBy.map { l.t("by_at", lang, ["by": people[$0]?.displayName ?? "—",
                "at": DateText.time(q.createdAt, lang)]) }
                ?? l.t("questionnaire_shipped", lang)
            return Row(anchor: "q-\(q.id)", title: q.title, id: q.id, version: q.version, format: l.t("questionnaire_format_\(q.format)", lang),
                       questions: q.questionCount, origin: origin, sourceHref: "/portfolio/questionnaires/\(q.id)/source?version=\(q.version)",
                       older: older, hasOlder: !older.isEmpty)
        }
        var imported: String?
        var issues: [String] = []
        switch outcome {
        case .unchanged(let q): imported = l.t("questionnaire_unchanged", lang, ["title": q.title, "version": String(q.version)])
        case .failed(let list):
            issues = list.map { issue in
                let message = l.t("questionnaire_issue_\(issue.code)", lang, issue.args)
                return issue.path.isEmpty ? message : l.t("questionnaire_issue_at", lang, ["path": issue.path, "message": message])
            }
        case .imported, nil: break
        }
        return QuestionnaireListPage(rows: rows, canImport: canImport, imported: imported, failed: !issues.isEmpty, issues: issues, text: text)
    }
}
