import KakehashiCore

/// View models of the desk's pages. Templates read stored properties only.
struct ConsultationListPage: Sendable {
    let isDesk: Bool
    let q: String
    let states: [Option]
    let phases: [Option]
    let kinds: [Option]
    let dues: [Option]
    let year: String
    let rows: [ConsultationRow]
    let hasRows: Bool
    let headers: [SortHeader]
    let pager: PagerView
    /// For saving the current filters as a view.
    let currentQuery: String
    let viewName: String
    let viewError: String?
    let views: [SavedViewLink]
    let hasViews: Bool
}

struct SavedViewLink: Sendable {
    let id: String
    let name: String
    let href: String
    let current: Bool
}

struct ConsultationRow: Sendable {
    let number: String
    let title: String
    let href: String
    let requester: String
    let state: String
    let stateLabel: String
    let phase: String
    let submittedOn: String
    let decisionDue: String
    let sla: String
    let slaLabel: String
    let priority: String
}

/// What the case page is built from, read in one unit of work.
struct CaseData: Sendable {
    let consultation: Consultation
    let kinds: [SupportKind]
    let contactIds: [String]
    let names: [String: String]
    let unitName: String
    let tenantName: String
    let messages: [ConsultationMessage]
    let decision: TriageDecisionRecord?
    let engagementId: String?
    let attachments: [Attachment]
    let mayAttach: Bool
    let similar: [SimilarCase]
    let articles: [RelatedArticles.Found]
}

struct Fact: Sendable {
    let label: String
    let value: String
}

struct CasePage: Sendable {
    let id: String
    let title: String
    let number: String
    let state: String
    let stateLabel: String
    let facts: [Fact]
    let summary: String
    let details: String
    let kinds: [String]
    let version: Int
    let isDraft: Bool
    let canEdit: Bool
    let editSteps: [Option]
    let canWithdraw: Bool
    let canDecide: Bool
    let decision: DecisionView?
    let engagementHref: String?
    let messages: [MessageView]
    let hasMessages: Bool
    /// 「メッセージ（3件）」: the thread, from the top of the page.
    let messagesLink: String
    let canPost: Bool
    let canPostInternal: Bool
    var messageError: String?
    var messageDraft = ""
    let attachments: [AttachmentView]
    let hasAttachments: Bool
    let canAttach: Bool
    let attachmentHint: String
    let attachmentAccept: String
    var attachmentError: String?
    let similar: [RelatedLink]
    let hasSimilar: Bool
    let articles: [RelatedLink]
    let hasArticles: Bool

    struct AttachmentView: Sendable {
        let id: String
        let name: String
        let href: String
        let size: String
        let by: String
        let at: String
        let fromActivity: Bool
        let canRemove: Bool
    }

    struct DecisionView: Sendable {
        let outcome: String
        let scope: String?
        let reason: String?
        let redirectTo: String?
        let decidedAt: String
        /// The rubric, for desk staff only.
        let rubric: [Fact]
        let showRubric: Bool
        let priority: Int
    }

    struct MessageView: Sendable {
        let author: String
        let at: String
        let body: String
        let isInternal: Bool
    }

    static func build(_ d: CaseData, access: DeskAccess, sla: DeskSLA, attachmentLimitMB: Int, pages: Pages, lang: Lang) -> CasePage {
        let l = pages.localizer
        let c = d.consultation
        let today = TokyoDate.today()
        func status(_ due: String?, _ done: String?) -> String {
            guard let due = due.flatMap(LocalDate.init(iso:)) else { return "—" }
            let s = sla.status(due: due, done: done.flatMap(LocalDate.init(iso:)), today: today)
            return l.t("value_with_status", lang, ["value": DateText.day(due, lang), "status": l.t("sla_\(s.rawValue)",
                lang)])
        }
        var facts = [
            Fact(label: l.t("field_requesting_unit", lang), value: "\(d.tenantName) \(d.unitName)"),
            Fact(label: l.t("field_requester", lang), value: d.names[c.requesterId] ?? "—"),
            Fact(label: l.t("field_contacts", lang), value: d.contactIds.compactMap { d.names[$0] }.joined(separator: l.t("list_separator", lang)).nonEmpty ?? "—"),
            Fact(label: l.t("field_phase", lang), value: l.t("phase_\(c.phase)", lang)),
            Fact(label: l.t("field_desired_period", lang), value: l.t("period_value", lang,
                ["from": c.desiredStart.map { DateText.day(iso: $0, lang) } ?? "—",
                                                                                              "to": c.desiredEnd.map { DateText.day(iso: $0, lang) } ?? ""])),
            Fact(label: l.t("field_budget_range", lang), value: l.t("budget_\(c.budgetRange)", lang)),
        ]
        if c.procurementStart != nil || c.procurementNote != nil {
            facts.append(Fact(label: l.t("field_procurement_start", lang),
                value: [c.procurementStart.map { DateText.day(iso: $0, lang) },
                    c.procurementNote].compactMap { $0 }.joined(separator: " ")))
        }
        if let submitted = c.submittedOn {
            facts.append(Fact(label: l.t("field_submitted_on", lang), value: DateText.day(iso: submitted, lang)))
            facts.append(Fact(label: l.t("sla_first_response", lang), value: status(c.firstResponseDue, c.firstResponseOn)))
            facts.append(Fact(label: l.t("sla_decision", lang), value: status(c.decisionDue, c.decidedOn)))
        }
        let mayEdit = access.mayEditDraft(c, contactIds: d.contactIds)
        let decision = d.decision.map { r in
            DecisionView(
                outcome: l.t("outcome_\(r.outcome)", lang), scope: r.scope, reason: r.reason, redirectTo: r.redirectTo,
                decidedAt: DateText.day(at: r.decidedAt, lang),
                rubric: [(TriageCriterion.impact, r.impact, r.impactReason), (.urgency, r.urgency, r.urgencyReason),
                         (.complexity, r.complexity, r.complexityReason), (.readiness, r.readiness, r.readinessReason)]
                    .map { Fact(label: l.t("criterion_\($0.0.rawValue)", lang), value: "\($0.1) — \($0.2)") },
                showRubric: access.readsInternalNotes, priority: r.priority)
        }
        return CasePage(
            id: c.id, title: c.title, number: c.number ?? "", state: c.state, stateLabel: l.t("cstate_\(c.state)", lang),
            facts: facts, summary: c.summary, details: c.details,
            kinds: d.kinds.map { l.t("support_\($0.rawValue)", lang) }, version: c.version,
            isDraft: c.stateValue == .draft, canEdit: mayEdit && c.stateValue.isEditable,
            editSteps: IntakeRoutes.Step.allCases.map {
                Option(value: "/desk/consultations/\(c.id)/edit?step=\($0.rawValue)", label: l.t("intake_step_\($0.rawValue)", lang), selected: false)
            },
            canWithdraw: mayEdit && c.stateValue.canMove(to: .withdrawn),
            canDecide: access.isDeskOfficer && c.stateValue == .submitted,
            decision: decision,
            engagementHref: d.engagementId.map { "/desk/engagements/\($0)" },
            messages: d.messages.map {
                MessageView(author: d.names[$0.authorId] ?? "—", at: DateText.time($0.createdAt, lang),
                            body: $0.body, isInternal: $0.isInternal)
            },
            hasMessages: !d.messages.isEmpty,
            messagesLink: l.t("messages_link", lang, ["count": String(d.messages.count)]),
            canPost: c.stateValue != .draft,
            canPostInternal: access.readsInternalNotes,
            attachments: d.attachments.map {
                AttachmentView(id: $0.id, name: $0.filename, href: "/desk/attachments/\($0.id)", size: ByteCount.text($0.sizeBytes),
                               by: d.names[$0.uploadedBy] ?? "—", at: DateText.time($0.uploadedAt, lang),
                               fromActivity: $0.activityId != nil,
                               canRemove: d.mayAttach && ($0.uploadedBy == access.personId || access.isDeskOfficer))
            },
            hasAttachments: !d.attachments.isEmpty,
            canAttach: d.mayAttach,
            attachmentHint: l.t("hint_attachments", lang, ["max": String(attachmentLimitMB)]),
            attachmentAccept: AttachmentPolicy.extensions.map { "." + $0 }.joined(separator: ","),
            similar: SimilarCases.links(d.similar, l, lang), hasSimilar: !d.similar.isEmpty,
            articles: RelatedArticles.links(d.articles, l, lang), hasArticles: !d.articles.isEmpty)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
